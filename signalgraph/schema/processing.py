"""Processing in the graph: `processSignal` queues a new run of a signal's processing; `extractInsights`
runs the extractor on a transcript at once."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from ..resolvers import processing as resolvers
from ..scopes import Scope
from .inputs import provided
from .insights import Insight
from .permissions import HasScope
from .signals import Signal


@strawberry.type
class ProcessSignalResult:
    job_id: str = strawberry.field(
        description="The queued job: its state is `job(id:)` and `signal.processing`."
    )
    signal: Signal


@strawberry.input
class ExtractInsightsInput:
    transcript: str = strawberry.field(
        description="The text to analyse: a transcript, ticket or any feedback."
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The product the insights are about."
    )
    create_insights: bool | None = strawberry.field(
        default=False, description="Save the insights (true), or only return them (false, the default)."
    )


@strawberry.type
class ProcessingMutation:
    @strawberry.mutation(
        permission_classes=[HasScope(Scope.SIGNALS_WRITE)],
        description="Queue processing again (a re-run or a manual retry). Its earlier insights are "
        "reconciled, "
        "never duplicated; a signal without text (raw) is BAD_USER_INPUT.",
    )
    async def process_signal(self, info: Info, public_id: str) -> ProcessSignalResult:
        job_id, signal = await resolvers.process_signal(info.context, public_id)
        return ProcessSignalResult(job_id=job_id, signal=signal)

    @strawberry.mutation(
        permission_classes=[HasScope(Scope.INSIGHTS_WRITE)],
        description="The insights found in a transcript, as draft insights of type user-interview. With "
        "createInsights false nothing is saved: the insights returned are candidates with fresh ids that "
        "no query will find. With true they are saved and linked to the product.",
    )
    async def extract_insights(self, info: Info, input: ExtractInsightsInput) -> list[Insight]:
        return await resolvers.extract_insights(info.context, provided(input))
