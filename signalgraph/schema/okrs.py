"""OKRs and key results in the graph: the types, their inputs, and the Query/Mutation fragments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.types import Info

from ..limits import KEY_RESULTS_PER_OKR
from ..resolvers import okrs as resolvers
from ..scopes import Scope
from .common import DeleteResult, Node
from .inputs import provided
from .pagination import order_input
from .permissions import HasScope
from .resources import connection, list_field

OkrOrder: Any = order_input("Okr")

@strawberry.type(description="A measurable result of an OKR, advanced by projects.")
class KeyResult(Node):
    id: strawberry.ID
    okr_id: strawberry.ID
    name: str = strawberry.field(description='What the key result measures.')
    position: int = strawberry.field(description="Place in the OKR's key-result list, from 0.")
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def project_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.project_ids_by_key_result_id.load(self.id)

    projects = connection("projects_by_key_result_id", "projects.Project")

    @strawberry.field(description="The OKR the key result belongs to.")
    async def okr(self, info: Info) -> Okr:
        return await info.context.loaders.okr_by_id.load(self.okr_id)


@strawberry.type(description="An objective and its key results, for the products it supports.")
class Okr(Node):
    id: strawberry.ID
    workspace_id: strawberry.ID
    objective: str
    priority: int
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def product_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.product_ids_by_okr_id.load(self.id)

    @strawberry.field(description=f"The key results, in order: a small list, at most {KEY_RESULTS_PER_OKR:,}.")
    async def key_results(self, info: Info) -> list[KeyResult]:
        return await info.context.loaders.key_results_by_okr_id.load(self.id)

    products = connection("products_by_okr_id", "products.Product", Scope.PRODUCTS_READ)


@strawberry.input(description="A key result; with the id of one of this OKR's key results it updates that one.")
class KeyResultInput:
    id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="The id of one of this OKR's key results, to update it; left out: a new key result.")
    name: str = strawberry.field(description='What the key result measures.')
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the links when sent; left out, an existing one keeps its own."
    )


@strawberry.input
class OkrFilter:
    product_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Matches the objective.")
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class CreateOkrInput:
    objective: str = strawberry.field(description='Outcome-oriented objective.')
    priority: int = strawberry.field(description='Numeric priority used by planning surfaces.')
    key_results: list[KeyResultInput] = strawberry.field(
        description=f"The key results, in order (at most {KEY_RESULTS_PER_OKR:,})."
    )
    product_ids: list[strawberry.ID] | None = strawberry.UNSET


@strawberry.input
class UpdateOkrInput:
    objective: str | None = strawberry.UNSET
    priority: int | None = strawberry.UNSET
    product_ids: list[strawberry.ID] | None = strawberry.UNSET
    key_results: list[KeyResultInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The full list: listed ids are kept and updated, entries without id created, the rest deleted.",
    )


@strawberry.type
class OkrQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.OKRS_READ)])
    async def okr(self, info: Info, id: strawberry.ID) -> Okr | None:
        return await resolvers.get_okr(info.context, id)

    okrs = list_field(resolvers.list_okrs, Okr, OkrFilter, OkrOrder, Scope.OKRS_READ)


@strawberry.type
class OkrMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.OKRS_WRITE)])
    async def create_okr(self, info: Info, input: CreateOkrInput) -> Okr:
        return await resolvers.create_okr(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.OKRS_WRITE)])
    async def update_okr(self, info: Info, id: strawberry.ID, input: UpdateOkrInput) -> Okr:
        return await resolvers.update_okr(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.OKRS_DELETE)])
    async def delete_okr(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_okr(info.context, id))
