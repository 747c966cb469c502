"""Ideas in the graph: the type, its inputs, and the Query/Mutation fragments."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..resolvers import ideas as resolvers
from ..scopes import Scope
from .common import DeleteResult
from .inputs import provided
from .pagination import Connection, window
from .permissions import HasScope

if TYPE_CHECKING:
    from .accounts import Account
    from .insights import Insight
    from .opportunities import Opportunity
    from .products import Product


@strawberry.enum
class IdeaStatus(str, Enum):
    evaluating = "evaluating"
    backlog = "backlog"
    development = "development"
    released = "released"
    archived = "archived"


@strawberry.type
class Idea:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    description: str
    status: IdeaStatus
    product_id: strawberry.ID | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def opportunity_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.opportunity_ids_by_idea_id.load(self.id)

    @strawberry.field
    async def insight_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.insight_ids_by_idea_id.load(self.id)

    @strawberry.field
    async def account_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.account_ids_by_idea_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.OPPORTUNITIES_READ)])
    async def opportunities(
        self, info: Info
    ) -> list[Annotated[Opportunity, strawberry.lazy("signalgraph.schema.opportunities")]]:
        return await info.context.loaders.opportunities_by_idea_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def insights(self, info: Info) -> list[Annotated[Insight, strawberry.lazy("signalgraph.schema.insights")]]:
        return await info.context.loaders.insights_by_idea_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def accounts(self, info: Info) -> list[Annotated[Account, strawberry.lazy("signalgraph.schema.accounts")]]:
        return await info.context.loaders.accounts_by_idea_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)])
    async def product(self, info: Info) -> Annotated[Product, strawberry.lazy("signalgraph.schema.products")] | None:
        return await info.context.loaders.product_by_id.load(self.product_id) if self.product_id else None


@strawberry.input
class IdeaFilter:
    status: list[IdeaStatus] | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    account_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Matches name and description.")
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class CreateIdeaInput:
    name: str
    description: str
    status: IdeaStatus | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    opportunity_ids: list[strawberry.ID] | None = strawberry.UNSET
    insight_ids: list[strawberry.ID] | None = strawberry.UNSET
    account_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input
class UpdateIdeaInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: IdeaStatus | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    opportunity_ids: list[strawberry.ID] | None = strawberry.UNSET
    insight_ids: list[strawberry.ID] | None = strawberry.UNSET
    account_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.type
class IdeaQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.IDEAS_READ)])
    async def idea(self, info: Info, id: strawberry.ID) -> Idea | None:
        return await resolvers.get_idea(info.context, id)

    @strawberry.field(permission_classes=[HasScope(Scope.IDEAS_READ)])
    async def ideas(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        offset: int | None = None,
        filter: IdeaFilter | None = None,
    ) -> Connection[Idea]:
        w = window(first, after, offset)
        page = await resolvers.list_ideas(info.context, limit=w.limit, offset=w.offset, **provided(filter))
        return Connection.from_page(page)


@strawberry.type
class IdeaMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.IDEAS_WRITE)])
    async def create_idea(self, info: Info, input: CreateIdeaInput) -> Idea:
        return await resolvers.create_idea(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.IDEAS_WRITE)])
    async def update_idea(self, info: Info, id: strawberry.ID, input: UpdateIdeaInput) -> Idea:
        return await resolvers.update_idea(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.IDEAS_DELETE)])
    async def delete_idea(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_idea(info.context, id))
