"""Insights: what signals say, linked to opportunities, ideas, tags and accounts; signals link themselves."""

from __future__ import annotations

from typing import Any

from ..scopes import Scope
from ..storage.models import Account, Idea, Insight, Opportunity, Product, Signal, Tag
from ..storage.models.base import utcnow
from ..storage.repositories import links
from ..storage.repositories.insights import INSIGHTS
from ..vocabulary import INSIGHT_STATUSES, INSIGHT_TYPES
from .request_context import Write
from .resources import Field, Json, Links, Ref, Resource


async def _edited(w: Write, row: Insight, changes: dict[str, Any], creating: bool) -> None:
    """A person's change: processing leaves an edited insight alone (its findings never merge into it)."""
    if not creating:
        row.edited_at = utcnow()


# Read through `schema/insights.py`, which adds the sources the insight gathers (rows of their own).
PROVENANCE = Field(
    "provenance", Json, writable=False,
    description="Where an extracted insight came from: its signal and the evidence (free-form JSON); null for insights written by hand.",
)
INSIGHT = Resource[Insight](
    INSIGHTS,
    "Insight",
    "insights",
    before_save=_edited,
    description="An observation about customers or the market, written by hand or extracted from signals.",
    fields=(
        Field("name", max_length=500, description="The title of the insight (at most 500 characters); null: untitled."),
        Field("description", required=True, description="Detailed summary of the observation."),
        Field("status", values=INSIGHT_STATUSES, default="draft", description="Where the insight is in review; new insights are draft."),
        Field("type", values=INSIGHT_TYPES, enum=False),
        Ref("product_id", Product, Scope.PRODUCTS_READ),
        Links("opportunity_ids", Opportunity, links.INSIGHT_OPPORTUNITIES, Scope.OPPORTUNITIES_READ),
        Links("idea_ids", Idea, links.INSIGHT_IDEAS, Scope.IDEAS_READ),
        Links("tag_ids", Tag, links.INSIGHT_TAGS, None),
        Links("account_ids", Account, links.ACCOUNT_INSIGHTS.reversed(), Scope.ACCOUNTS_READ),
        Links("signal_ids", Signal, links.SIGNAL_INSIGHTS.reversed(), Scope.SIGNALS_READ, writable=False),
        Field("suggestions", Json, description="AI-generated suggestions for the insight (free-form JSON); null: none."),
        Field(
            "classifications", Json, writable=False,
            description="How processing classified the insight (free-form JSON); null for insights written by hand.",
        ),
        PROVENANCE,
        Field("external_links", list, default=list, description="External references ({ type, url, name }); an update replaces the list."),
    ),
)
