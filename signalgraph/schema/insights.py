"""Insights in the graph: built from their declaration (resolvers/insights.py), with their external links."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from ..resolvers.insights import INSIGHT, PROVENANCE
from .resources import build


@strawberry.type(description="A link from an insight to an external reference (a ticket, document or page).")
class ExternalLink:
    type: str | None = strawberry.field(description='What the link points at, such as jira or doc; null: unspecified.')
    url: str = strawberry.field(description='The URL.')
    name: str | None = strawberry.field(description='Display text; null: none.')


@strawberry.input(description="A link from an insight to an external reference.")
class ExternalLinkInput:
    url: str = strawberry.field(description='The URL.')
    type: str | None = strawberry.field(default=None, description="What the link points at, such as jira or doc.")
    name: str | None = strawberry.field(default=None, description="Display text.")


class InsightFields:
    @strawberry.field(description=PROVENANCE.description)
    async def provenance(self, info: Info) -> JSON | None:
        """The stored provenance with the sources an extracted insight gathers (rows of their own)."""
        row: Any = self  # the insight's row, whose `provenance` is the stored column
        stored: dict[str, Any] | None = row.provenance
        if stored and stored.get("signalId"):
            sources = await info.context.loaders.sources_by_insight_id.load(row.id)
            stored = {**stored, "sources": sources} if sources else stored
        return cast("JSON | None", stored)

    @strawberry.field
    def external_links(self) -> list[ExternalLink]:
        return [
            ExternalLink(type=link.get("type"), url=link.get("url", ""), name=link.get("name"))
            for link in self.external_links or []  # type: ignore[attr-defined]
        ]


Insight, InsightQuery, InsightMutation = build(
    INSIGHT,
    __name__,
    extra=InsightFields,
    inputs={"external_links": list[ExternalLinkInput]},
    relations=("opportunities", "ideas", "tags", "signals", "accounts"),
)
