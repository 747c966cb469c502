"""Ideas: candidate solutions, linked to the opportunities they address, the insights and the accounts."""

from __future__ import annotations

from ..scopes import Scope
from ..storage.models import Account, Idea, Insight, Opportunity, Product
from ..storage.repositories import links
from ..storage.repositories.ideas import IDEAS
from ..vocabulary import IDEA_STATUSES
from .resources import Field, Links, Ref, Resource

IDEA = Resource[Idea](IDEAS, "Idea", "ideas", description="A candidate solution to opportunities.", fields=(
    Field("name", required=True, max_length=500, description="Title of the idea (at most 500 characters)."),
    Field("description", required=True, description="Detailed description of the solution."),
    Field("status", values=IDEA_STATUSES, default="evaluating", description="Where the idea is on its way to release; new ideas are evaluating."),
    Ref("product_id", Product, Scope.PRODUCTS_READ),
    Links("opportunity_ids", Opportunity, links.OPPORTUNITY_IDEAS.reversed(), Scope.OPPORTUNITIES_READ),
    Links("insight_ids", Insight, links.INSIGHT_IDEAS.reversed(), Scope.INSIGHTS_READ),
    Links("account_ids", Account, links.ACCOUNT_IDEAS.reversed(), Scope.ACCOUNTS_READ),
))
