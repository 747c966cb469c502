"""Jobs in the graph: the persisted state of queued work (signal processing, indexing, product analysis)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from ..resolvers import jobs as resolvers
from .common import Node
from .resources import with_meanings

KIND_DESCRIPTION = "One of: " + ", ".join(resolvers.KIND_SCOPES)


class JobStatus(str, Enum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


with_meanings(strawberry.enum(JobStatus, description="Where a job is."), {
    "queued": "Waiting for a worker (also between retries).",
    "running": "A try is running.",
    "succeeded": "Done.",
    "failed": "Given up: `lastError` says why.",
})


@strawberry.type(description="Tokens a job's model calls used, over all its tries, as the model server reported them.")
class TokenUsage:
    prompt_tokens: int = strawberry.field(description="Tokens of the requests sent.")
    completion_tokens: int = strawberry.field(description="Tokens of the answers.")
    total_tokens: int = strawberry.field(description="What the job spent of SIGNALGRAPH_LLM_TOKEN_BUDGET.")
    requests: int = strawberry.field(description="Chat-completions requests answered.")
    estimated: bool = strawberry.field(
        description="Some answer reported no usage: its tokens were estimated from its length."
    )


@strawberry.type(description="Queued work (signal processing, indexing, product analysis) and how it went.")
class Job(Node):
    id: strawberry.ID
    kind: str = strawberry.field(description=KIND_DESCRIPTION)
    target_id: strawberry.ID = strawberry.field(
        description="What the job works on: a signal, product, unit or document."
    )
    status: JobStatus = strawberry.field(description='Where the job is.')
    attempts: int = strawberry.field(description="Tries started so far (retries are tries).")
    last_error: str | None = strawberry.field(description='Why the latest try failed; null when none failed.')
    started_at: datetime | None = strawberry.field(description="When the latest try started.")
    finished_at: datetime | None = strawberry.field(description='When the job succeeded or finally failed; null while it is not finished.')
    created_at: datetime
    updated_at: datetime

    @strawberry.field(
        description="What the job's calls to the configured LLM used (SIGNALGRAPH_LLM_*); null when it made none."
    )
    def token_usage(self) -> TokenUsage | None:
        usage = self.token_usage  # resolved on the job row: its `token_usage` column
        if not usage:
            return None
        return TokenUsage(
            prompt_tokens=usage["promptTokens"],
            completion_tokens=usage["completionTokens"],
            total_tokens=usage["totalTokens"],
            requests=usage["requests"],
            estimated=usage.get("estimated", False),
        )


@strawberry.type
class JobQuery:
    @strawberry.field(
        description="A job by id; null when absent. Needs the read scope of what the job works on "
        "(signals:read for process_signal, products:read, context-units:read, context-documents:read)."
    )
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:
        return await resolvers.get_job(info.context, id)
