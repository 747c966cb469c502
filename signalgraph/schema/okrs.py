"""OKRs and key results in the graph."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..scopes import Scope
from .permissions import HasScope

if TYPE_CHECKING:
    from .products import Product
    from .projects import Project


@strawberry.type
class KeyResult:
    id: strawberry.ID
    okr_id: strawberry.ID
    name: str
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def project_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.project_ids_by_key_result_id.load(self.id)

    @strawberry.field
    async def projects(self, info: Info) -> list[Annotated["Project", strawberry.lazy("signalgraph.schema.projects")]]:
        return await info.context.loaders.projects_by_key_result_id.load(self.id)

    @strawberry.field
    async def okr(self, info: Info) -> "Okr":
        return await info.context.loaders.okr_by_id.load(self.okr_id)


@strawberry.type
class Okr:
    id: strawberry.ID
    workspace_id: strawberry.ID
    objective: str
    priority: int
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def product_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.product_ids_by_okr_id.load(self.id)

    @strawberry.field
    async def key_results(self, info: Info) -> list[KeyResult]:
        return await info.context.loaders.key_results_by_okr_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)])
    async def products(self, info: Info) -> list[Annotated["Product", strawberry.lazy("signalgraph.schema.products")]]:
        return await info.context.loaders.products_by_okr_id.load(self.id)
