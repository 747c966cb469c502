"""Opportunities in the graph."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..scopes import Scope
from .permissions import HasScope

if TYPE_CHECKING:
    from .accounts import Account
    from .ideas import Idea
    from .insights import Insight
    from .products import Product


@strawberry.enum
class OpportunityStatus(str, Enum):
    discovery = "discovery"
    defined = "defined"
    validated = "validated"
    archived = "archived"


@strawberry.type
class Opportunity:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    description: str
    score: float | None = strawberry.field(description="Priority score, 0 to 100.")
    status: OpportunityStatus
    product_id: strawberry.ID | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def insight_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.insight_ids_by_opportunity_id.load(self.id)

    @strawberry.field
    async def idea_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.idea_ids_by_opportunity_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def insights(self, info: Info) -> list[Annotated["Insight", strawberry.lazy("signalgraph.schema.insights")]]:
        return await info.context.loaders.insights_by_opportunity_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.IDEAS_READ)])
    async def ideas(self, info: Info) -> list[Annotated["Idea", strawberry.lazy("signalgraph.schema.ideas")]]:
        return await info.context.loaders.ideas_by_opportunity_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def accounts(self, info: Info) -> list[Annotated["Account", strawberry.lazy("signalgraph.schema.accounts")]]:
        return await info.context.loaders.accounts_by_opportunity_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)])
    async def product(self, info: Info) -> Annotated["Product", strawberry.lazy("signalgraph.schema.products")] | None:
        return await info.context.loaders.product_by_id.load(self.product_id) if self.product_id else None
