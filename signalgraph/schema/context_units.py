"""Context units in the graph."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..scopes import Scope
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
    async def product(self, info: Info) -> Annotated["Product", strawberry.lazy("signalgraph.schema.products")] | None:
        return await info.context.loaders.product_by_id.load(self.product_id) if self.product_id else None
