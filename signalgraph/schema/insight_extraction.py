"""`extractInsights`: the signal extractor run on a transcript at once, its findings as draft insights."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from ..limits import TRANSCRIPT_CHARS
from ..resolvers import insight_extraction as resolvers
from ..scopes import Scope
from .inputs import provided
from .insights import Insight
from .permissions import HasScope


@strawberry.input(description="A text to extract insights from.")
class ExtractInsightsInput:
    transcript: str = strawberry.field(
        description=f"The text to analyse: a transcript, ticket or any feedback (at most {TRANSCRIPT_CHARS:,} characters)."
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The product the insights are about."
    )
    create_insights: bool | None = strawberry.field(
        default=False, description="Save the insights (true), or only return them (false, the default)."
    )


@strawberry.type
class InsightExtractionMutation:
    @strawberry.mutation(
        permission_classes=[HasScope(Scope.INSIGHTS_WRITE)],
        description="The insights found in a transcript, as draft insights of type user-interview. With "
        "createInsights false nothing is saved: the insights returned are candidates with fresh ids that "
        "no query will find. With true they are saved and linked to the product.",
    )
    async def extract_insights(self, info: Info, input: ExtractInsightsInput) -> list[Insight]:
        return await resolvers.extract_insights(info.context, provided(input))
