"""Opportunities: problems worth solving, linked to the insights behind them, the ideas and the accounts."""

from __future__ import annotations

from ..scopes import Scope
from ..storage.models import Account, Idea, Insight, Opportunity, Product
from ..storage.repositories import links
from ..storage.repositories.opportunities import OPPORTUNITIES
from ..vocabulary import OPPORTUNITY_STATUSES
from .resources import Field, Links, Ref, Resource

OPPORTUNITY = Resource[Opportunity](OPPORTUNITIES, "Opportunity", "opportunities", description=(
    "A customer problem worth solving, backed by insights and addressed by ideas."
), fields=(
    Field("name", required=True, max_length=500, description="Title of the opportunity (at most 500 characters)."),
    Field("description", required=True, description="Detailed problem statement."),
    Field("score", float, bounds=(0, 100), description="Priority score, 0 to 100; null: not scored."),
    Field("status", values=OPPORTUNITY_STATUSES, default="discovery", description="Where the opportunity is in discovery; new ones start at discovery."),
    Ref("product_id", Product, Scope.PRODUCTS_READ),
    Links("insight_ids", Insight, links.INSIGHT_OPPORTUNITIES.reversed(), Scope.INSIGHTS_READ),
    Links("idea_ids", Idea, links.OPPORTUNITY_IDEAS, Scope.IDEAS_READ),
    Links("account_ids", Account, links.ACCOUNT_OPPORTUNITIES.reversed(), Scope.ACCOUNTS_READ),
))
