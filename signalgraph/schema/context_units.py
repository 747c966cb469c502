"""Context units in the graph."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..resolvers import context_units as resolvers
from ..scopes import Scope
from .common import DeleteResult
from .inputs import provided
from .pagination import Connection, window
from .permissions import HasScope

if TYPE_CHECKING:
    from .products import Product


@strawberry.enum
class IndexingStatus(str, Enum):
    pending = "pending"
    indexed = "indexed"


@strawberry.type
class ContextUnit:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    description: str | None
    data: str = strawberry.field(description="The full Markdown body.")
    product_id: strawberry.ID | None
    vector_file_id: str | None
    indexing_status: IndexingStatus
    created_at: datetime
    updated_at: datetime

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)])
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("signalgraph.schema.products")] | None:
        return await info.context.loaders.product_by_id.load(self.product_id) if self.product_id else None


@strawberry.input
class ContextUnitFilter:
    product_id: strawberry.ID | None = strawberry.UNSET
    is_global: bool | None = strawberry.field(
        default=strawberry.UNSET,
        name="global",
        description="true: only global units (no product); false: only product-scoped.",
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Matches name and description."
    )
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class CreateContextUnitInput:
    name: str
    data: str = strawberry.field(description="The full Markdown body.")
    description: str | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="The product this guidance is for; absent or null: global."
    )


@strawberry.input
class UpdateContextUnitInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    data: str | None = strawberry.field(
        default=strawberry.UNSET, description="A new body makes the unit pending."
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Null makes the unit global; a new scope makes it pending."
    )


@strawberry.type
class ContextUnitQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.CONTEXT_UNITS_READ)])
    async def context_unit(self, info: Info, id: strawberry.ID) -> ContextUnit | None:
        return await resolvers.get_context_unit(info.context, id)

    @strawberry.field(permission_classes=[HasScope(Scope.CONTEXT_UNITS_READ)])
    async def context_units(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        offset: int | None = None,
        filter: ContextUnitFilter | None = None,
    ) -> Connection[ContextUnit]:
        w = window(first, after, offset)
        page = await resolvers.list_context_units(
            info.context, limit=w.limit, offset=w.offset, **provided(filter)
        )
        return Connection.from_page(page)


@strawberry.type
class ContextUnitMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.CONTEXT_UNITS_WRITE)])
    async def create_context_unit(self, info: Info, input: CreateContextUnitInput) -> ContextUnit:
        return await resolvers.create_context_unit(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.CONTEXT_UNITS_WRITE)])
    async def update_context_unit(
        self, info: Info, id: strawberry.ID, input: UpdateContextUnitInput
    ) -> ContextUnit:
        return await resolvers.update_context_unit(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.CONTEXT_UNITS_DELETE)])
    async def delete_context_unit(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_context_unit(info.context, id))
