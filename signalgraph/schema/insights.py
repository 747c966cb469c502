"""Insights in the graph: the type, its inputs, and the Query/Mutation fragments."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..resolvers import insights as resolvers
from ..scopes import Scope
from ..vocabulary import INSIGHT_TYPES
from .common import DeleteResult
from .inputs import provided
from .pagination import Connection, window
from .permissions import HasScope
from .scalars import JSON

if TYPE_CHECKING:
    from .accounts import Account
    from .ideas import Idea
    from .opportunities import Opportunity
    from .products import Product
    from .signals import Signal
    from .tags import Tag

TYPE_DESCRIPTION = "One of: " + ", ".join(INSIGHT_TYPES)


@strawberry.enum
class InsightStatus(str, Enum):
    draft = "draft"
    published = "published"
    archived = "archived"


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


@strawberry.type
class Insight:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str | None
    description: str
    status: InsightStatus
    type: str | None = strawberry.field(description=TYPE_DESCRIPTION)
    product_id: strawberry.ID | None
    suggestions: JSON | None
    classifications: JSON | None
    provenance: JSON | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    def external_links(self) -> list[ExternalLink]:
        return [
            ExternalLink(type=link.get("type"), url=link.get("url", ""), name=link.get("name"))
            for link in self.external_links or []
        ]

    @strawberry.field
    async def opportunity_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.opportunity_ids_by_insight_id.load(self.id)

    @strawberry.field
    async def idea_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.idea_ids_by_insight_id.load(self.id)

    @strawberry.field
    async def tag_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.tag_ids_by_insight_id.load(self.id)

    @strawberry.field
    async def account_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.account_ids_by_insight_id.load(self.id)

    @strawberry.field
    async def signal_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.signal_ids_by_insight_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.OPPORTUNITIES_READ)])
    async def opportunities(
        self, info: Info
    ) -> list[Annotated[Opportunity, strawberry.lazy("signalgraph.schema.opportunities")]]:
        return await info.context.loaders.opportunities_by_insight_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.IDEAS_READ)])
    async def ideas(self, info: Info) -> list[Annotated[Idea, strawberry.lazy("signalgraph.schema.ideas")]]:
        return await info.context.loaders.ideas_by_insight_id.load(self.id)

    @strawberry.field
    async def tags(self, info: Info) -> list[Annotated[Tag, strawberry.lazy("signalgraph.schema.tags")]]:
        return await info.context.loaders.tags_by_insight_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.SIGNALS_READ)])
    async def signals(self, info: Info) -> list[Annotated[Signal, strawberry.lazy("signalgraph.schema.signals")]]:
        return await info.context.loaders.signals_by_insight_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def accounts(
        self, info: Info
    ) -> list[Annotated[Account, strawberry.lazy("signalgraph.schema.accounts")]]:
        return await info.context.loaders.accounts_by_insight_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)])
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("signalgraph.schema.products")] | None:
        return await info.context.loaders.product_by_id.load(self.product_id) if self.product_id else None


@strawberry.input
class InsightFilter:
    status: list[InsightStatus] | None = strawberry.UNSET
    type: list[str] | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    account_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Matches name and description.")
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class CreateInsightInput:
    description: str
    name: str | None = strawberry.UNSET
    status: InsightStatus | None = strawberry.UNSET
    type: str | None = strawberry.field(default=strawberry.UNSET, description=TYPE_DESCRIPTION)
    product_id: strawberry.ID | None = strawberry.UNSET
    opportunity_ids: list[strawberry.ID] | None = strawberry.UNSET
    idea_ids: list[strawberry.ID] | None = strawberry.UNSET
    tag_ids: list[strawberry.ID] | None = strawberry.UNSET
    account_ids: list[strawberry.ID] | None = strawberry.UNSET
    suggestions: JSON | None = strawberry.UNSET
    external_links: list[ExternalLinkInput] | None = strawberry.UNSET


@strawberry.input
class UpdateInsightInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: InsightStatus | None = strawberry.UNSET
    type: str | None = strawberry.field(default=strawberry.UNSET, description=TYPE_DESCRIPTION)
    product_id: strawberry.ID | None = strawberry.UNSET
    opportunity_ids: list[strawberry.ID] | None = strawberry.UNSET
    idea_ids: list[strawberry.ID] | None = strawberry.UNSET
    tag_ids: list[strawberry.ID] | None = strawberry.UNSET
    account_ids: list[strawberry.ID] | None = strawberry.UNSET
    suggestions: JSON | None = strawberry.UNSET
    external_links: list[ExternalLinkInput] | None = strawberry.UNSET


@strawberry.type
class InsightQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def insight(self, info: Info, id: strawberry.ID) -> Insight | None:
        return await resolvers.get_insight(info.context, id)

    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def insights(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        offset: int | None = None,
        filter: InsightFilter | None = None,
    ) -> Connection[Insight]:
        w = window(first, after, offset)
        page = await resolvers.list_insights(info.context, limit=w.limit, offset=w.offset, **provided(filter))
        return Connection.from_page(page)


@strawberry.type
class InsightMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.INSIGHTS_WRITE)])
    async def create_insight(self, info: Info, input: CreateInsightInput) -> Insight:
        return await resolvers.create_insight(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.INSIGHTS_WRITE)])
    async def update_insight(self, info: Info, id: strawberry.ID, input: UpdateInsightInput) -> Insight:
        return await resolvers.update_insight(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.INSIGHTS_DELETE)])
    async def delete_insight(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_insight(info.context, id))
