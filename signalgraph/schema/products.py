"""Products in the graph, with their feature tree, personas and clarification questions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..scopes import Scope
from .permissions import HasScope
from .scalars import JSON

if TYPE_CHECKING:
    from .okrs import Okr


@strawberry.type
class ProductFeature:
    id: strawberry.ID
    product_id: strawberry.ID
    name: str
    description: str
    parent_id: strawberry.ID | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def parent(self, info: Info) -> "ProductFeature | None":
        return await info.context.loaders.feature_by_id.load(self.parent_id) if self.parent_id else None

    @strawberry.field
    async def children(self, info: Info) -> list["ProductFeature"]:
        return await info.context.loaders.features_by_parent_id.load(self.id)


@strawberry.type
class ProductPersona:
    id: strawberry.ID
    product_id: strawberry.ID
    name: str
    description: str
    goals: list[str]
    pain_points: list[str]
    use_cases: list[str]
    created_at: datetime
    updated_at: datetime


@strawberry.type
class ProductQuestion:
    id: strawberry.ID
    product_id: strawberry.ID
    topic: str = strawberry.field(description="What the question is about: mission, kpis, personas, features.")
    question: str
    status: str
    answer: str | None
    created_at: datetime
    updated_at: datetime


@strawberry.type
class ProductMetrics:
    insights: int
    ideas: int
    opportunities: int
    signals: int


@strawberry.type
class Product:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    description: str
    description_analysis: JSON | None
    type: str | None
    stack: str | None
    mission: str | None
    external_id: str | None
    kpis: list[str]
    tech_stack: JSON
    analysis: JSON
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def features(self, info: Info) -> list[ProductFeature]:
        return await info.context.loaders.features_by_product_id.load(self.id)

    @strawberry.field
    async def personas(self, info: Info) -> list[ProductPersona]:
        return await info.context.loaders.personas_by_product_id.load(self.id)

    @strawberry.field
    async def questions(self, info: Info) -> list[ProductQuestion]:
        return await info.context.loaders.questions_by_product_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.OKRS_READ)])
    async def okrs(self, info: Info) -> list[Annotated["Okr", strawberry.lazy("signalgraph.schema.okrs")]]:
        return await info.context.loaders.okrs_by_product_id.load(self.id)
