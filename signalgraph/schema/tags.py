"""Tags in the graph; they go with the insights scopes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..resolvers import tags as resolvers
from ..scopes import Scope
from .common import DeleteResult
from .inputs import provided
from .pagination import Connection, window
from .permissions import HasScope

if TYPE_CHECKING:
    from .insights import Insight


@strawberry.type
class Tag:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    color: str | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def insights(self, info: Info) -> list[Annotated[Insight, strawberry.lazy("signalgraph.schema.insights")]]:
        return await info.context.loaders.insights_by_tag_id.load(self.id)


@strawberry.input
class CreateTagInput:
    name: str
    color: str | None = strawberry.UNSET


@strawberry.input
class UpdateTagInput:
    name: str | None = strawberry.UNSET
    color: str | None = strawberry.UNSET


@strawberry.type
class TagQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def tag(self, info: Info, id: strawberry.ID) -> Tag | None:
        return await resolvers.get_tag(info.context, id)

    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def tags(
        self, info: Info, first: int | None = None, after: str | None = None, offset: int | None = None,
        search: str | None = None,
    ) -> Connection[Tag]:
        w = window(first, after, offset)
        return Connection.from_page(await resolvers.list_tags(info.context, limit=w.limit, offset=w.offset, search=search))


@strawberry.type
class TagMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.INSIGHTS_WRITE)])
    async def create_tag(self, info: Info, input: CreateTagInput) -> Tag:
        return await resolvers.create_tag(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.INSIGHTS_WRITE)])
    async def update_tag(self, info: Info, id: strawberry.ID, input: UpdateTagInput) -> Tag:
        return await resolvers.update_tag(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.INSIGHTS_DELETE)])
    async def delete_tag(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_tag(info.context, id))
