"""Jobs in the graph: the persisted state of queued work (signal processing, indexing, product analysis)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from ..resolvers import jobs as resolvers

KIND_DESCRIPTION = "One of: " + ", ".join(resolvers.KIND_SCOPES)


@strawberry.enum
class JobStatus(str, Enum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


@strawberry.type
class Job:
    id: strawberry.ID
    kind: str = strawberry.field(description=KIND_DESCRIPTION)
    target_id: strawberry.ID = strawberry.field(
        description="What the job works on: a signal, product, unit or document."
    )
    status: JobStatus
    attempts: int = strawberry.field(description="Tries started so far (retries are tries).")
    last_error: str | None
    started_at: datetime | None = strawberry.field(description="When the latest try started.")
    finished_at: datetime | None
    created_at: datetime
    updated_at: datetime


@strawberry.type
class JobQuery:
    @strawberry.field(
        description="A job by id; null when absent. Needs the read scope of what the job works on "
        "(signals:read for process_signal, products:read, context-units:read, context-documents:read)."
    )
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:
        return await resolvers.get_job(info.context, id)
