"""Opportunities in the graph: the type, its inputs, and the Query/Mutation fragments."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..resolvers import opportunities as resolvers
from ..scopes import Scope
from .common import DeleteResult
from .inputs import provided
from .pagination import Connection, window
from .permissions import HasScope

if TYPE_CHECKING:
    from .accounts import Account
    from .ideas import Idea
    from .insights import Insight
    from .products import Product

SCORE_DESCRIPTION = "Priority score, 0 to 100."


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
    score: float | None = strawberry.field(description=SCORE_DESCRIPTION)
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

    @strawberry.field
    async def account_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.account_ids_by_opportunity_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def insights(self, info: Info) -> list[Annotated[Insight, strawberry.lazy("signalgraph.schema.insights")]]:
        return await info.context.loaders.insights_by_opportunity_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.IDEAS_READ)])
    async def ideas(self, info: Info) -> list[Annotated[Idea, strawberry.lazy("signalgraph.schema.ideas")]]:
        return await info.context.loaders.ideas_by_opportunity_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def accounts(self, info: Info) -> list[Annotated[Account, strawberry.lazy("signalgraph.schema.accounts")]]:
        return await info.context.loaders.accounts_by_opportunity_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)])
    async def product(self, info: Info) -> Annotated[Product, strawberry.lazy("signalgraph.schema.products")] | None:
        return await info.context.loaders.product_by_id.load(self.product_id) if self.product_id else None


@strawberry.input
class OpportunityFilter:
    status: list[OpportunityStatus] | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    account_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Matches name and description.")
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class CreateOpportunityInput:
    name: str
    description: str
    score: float | None = strawberry.field(default=strawberry.UNSET, description=SCORE_DESCRIPTION)
    status: OpportunityStatus | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    insight_ids: list[strawberry.ID] | None = strawberry.UNSET
    idea_ids: list[strawberry.ID] | None = strawberry.UNSET
    account_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input
class UpdateOpportunityInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    score: float | None = strawberry.field(default=strawberry.UNSET, description=SCORE_DESCRIPTION)
    status: OpportunityStatus | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    insight_ids: list[strawberry.ID] | None = strawberry.UNSET
    idea_ids: list[strawberry.ID] | None = strawberry.UNSET
    account_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.type
class OpportunityQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.OPPORTUNITIES_READ)])
    async def opportunity(self, info: Info, id: strawberry.ID) -> Opportunity | None:
        return await resolvers.get_opportunity(info.context, id)

    @strawberry.field(permission_classes=[HasScope(Scope.OPPORTUNITIES_READ)])
    async def opportunities(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        offset: int | None = None,
        filter: OpportunityFilter | None = None,
    ) -> Connection[Opportunity]:
        w = window(first, after, offset)
        page = await resolvers.list_opportunities(info.context, limit=w.limit, offset=w.offset, **provided(filter))
        return Connection.from_page(page)


@strawberry.type
class OpportunityMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.OPPORTUNITIES_WRITE)])
    async def create_opportunity(self, info: Info, input: CreateOpportunityInput) -> Opportunity:
        return await resolvers.create_opportunity(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.OPPORTUNITIES_WRITE)])
    async def update_opportunity(self, info: Info, id: strawberry.ID, input: UpdateOpportunityInput) -> Opportunity:
        return await resolvers.update_opportunity(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.OPPORTUNITIES_DELETE)])
    async def delete_opportunity(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_opportunity(info.context, id))
