"""Insights in the graph: built from their declaration (resolvers/insights.py), with their external links."""

from __future__ import annotations

import strawberry

from ..resolvers.insights import INSIGHT
from .resources import build


@strawberry.type
class ExternalLink:
    type: str | None
    url: str
    name: str | None


@strawberry.input
class ExternalLinkInput:
    url: str
    type: str | None = None
    name: str | None = None


class InsightFields:
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
