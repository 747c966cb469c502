"""Projects in the graph; they go with the OKR scopes."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..resolvers import projects as resolvers
from ..scopes import Scope
from .common import DeleteResult
from .inputs import provided
from .pagination import Connection, window
from .permissions import HasScope

if TYPE_CHECKING:
    from .okrs import KeyResult


@strawberry.enum
class ProjectStatus(str, Enum):
    planned = "planned"
    active = "active"
    done = "done"
    archived = "archived"


@strawberry.type
class Project:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    description: str | None
    status: ProjectStatus
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def key_results(self, info: Info) -> list[Annotated[KeyResult, strawberry.lazy("signalgraph.schema.okrs")]]:
        return await info.context.loaders.key_results_by_project_id.load(self.id)


@strawberry.input
class ProjectFilter:
    status: list[ProjectStatus] | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Matches name and description.")
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class CreateProjectInput:
    name: str
    description: str | None = strawberry.UNSET
    status: ProjectStatus | None = strawberry.UNSET


@strawberry.input
class UpdateProjectInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    status: ProjectStatus | None = strawberry.UNSET


@strawberry.type
class ProjectQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.OKRS_READ)])
    async def project(self, info: Info, id: strawberry.ID) -> Project | None:
        return await resolvers.get_project(info.context, id)

    @strawberry.field(permission_classes=[HasScope(Scope.OKRS_READ)])
    async def projects(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        offset: int | None = None,
        filter: ProjectFilter | None = None,
    ) -> Connection[Project]:
        w = window(first, after, offset)
        page = await resolvers.list_projects(info.context, limit=w.limit, offset=w.offset, **provided(filter))
        return Connection.from_page(page)


@strawberry.type
class ProjectMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.OKRS_WRITE)])
    async def create_project(self, info: Info, input: CreateProjectInput) -> Project:
        return await resolvers.create_project(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.OKRS_WRITE)])
    async def update_project(self, info: Info, id: strawberry.ID, input: UpdateProjectInput) -> Project:
        return await resolvers.update_project(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.OKRS_DELETE)])
    async def delete_project(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_project(info.context, id))
