"""Context documents in the graph (metadata only; raw storage keys are never exposed)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..scopes import Scope
from .context_units import IndexingStatus
from .permissions import HasScope

if TYPE_CHECKING:
    from .products import Product


@strawberry.type
class ContextDocument:
    id: strawberry.ID
    workspace_id: strawberry.ID
    file_name: str
    mime_type: str | None
    size: int | None
    description: str | None
    product_id: strawberry.ID | None
    vector_file_id: str | None
    indexing_status: IndexingStatus
    created_at: datetime
    updated_at: datetime

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)])
    async def product(self, info: Info) -> Annotated["Product", strawberry.lazy("signalgraph.schema.products")] | None:
        return await info.context.loaders.product_by_id.load(self.product_id) if self.product_id else None
