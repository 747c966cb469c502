"""Products in the graph, with their feature tree, personas and clarification questions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from ..limits import FEATURES_PER_PRODUCT, PERSONAS_PER_PRODUCT
from ..resolvers import product_features
from ..resolvers import products as resolvers
from ..scopes import Scope
from .common import Node
from .pagination import order_input
from .permissions import HasScope
from .resources import child_mutation, connection, input_types, list_field, mutation_type, one_field
from .scalars import JSON

ProductOrder: Any = order_input("Product")

@strawberry.type(description="A node of a product's feature map: features nest under a parent feature.")
class ProductFeature(Node):
    id: strawberry.ID
    product_id: strawberry.ID
    name: str
    description: str
    parent_id: strawberry.ID | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The feature this one nests under; null for a root feature.")
    async def parent(self, info: Info) -> ProductFeature | None:
        return await info.context.loaders.feature_by_id.load(self.parent_id) if self.parent_id else None

    @strawberry.field(description="The features nested directly under this one.")
    async def children(self, info: Info) -> list[ProductFeature]:
        return await info.context.loaders.features_by_parent_id.load(self.id)


@strawberry.type(description="A kind of user the product serves.")
class ProductPersona(Node):
    id: strawberry.ID
    product_id: strawberry.ID
    name: str
    description: str
    goals: list[str]
    pain_points: list[str]
    use_cases: list[str]
    created_at: datetime
    updated_at: datetime


@strawberry.type(description="A clarification question product analysis asks about a product.")
class ProductQuestion(Node):
    id: strawberry.ID
    product_id: strawberry.ID
    topic: str = strawberry.field(
        description="What the question is about: mission, kpis, personas, features."
    )
    question: str = strawberry.field(description='The question, as analysis wrote it.')
    status: str = strawberry.field(description='open while the question waits for an answer.')
    answer: str | None = strawberry.field(description='The answer; null while there is none.')
    created_at: datetime
    updated_at: datetime


@strawberry.type(description="Counts of what is linked to a product.")
class ProductMetrics:
    insights: int = strawberry.field(description='Insights of the product.')
    ideas: int = strawberry.field(description='Ideas of the product.')
    opportunities: int = strawberry.field(description='Opportunities of the product.')
    signals: int = strawberry.field(
        description="Signals linked to the product (productIds on signal create)."
    )
    context_personas: int = strawberry.field(description='Personas of the product.')
    context_feature_map_nodes: int = strawberry.field(description="Features in the product's feature map, at every depth.")
    initiatives_total: int = strawberry.field(description="OKRs linked to the product.")


@strawberry.type(description="A product of the workspace, with its feature map, personas, clarification questions and OKRs.")
class Product(Node):
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    description: str
    type: str | None
    stack: str | None
    mission: str | None
    external_id: str | None
    kpis: list[str]
    tech_stack: JSON = strawberry.field(
        description="[{name, roles}]: technologies and the roles working on them."
    )
    description_analysis: JSON | None = strawberry.field(
        description="Written by product analysis; read-only."
    )
    analysis: JSON = strawberry.field(description="Written by product analysis; read-only.")
    created_at: datetime
    updated_at: datetime

    @strawberry.field(
        description="Every feature of the product's feature map (roots and nested ones): a small list, "
        f"at most {FEATURES_PER_PRODUCT:,}."
    )
    async def features(self, info: Info) -> list[ProductFeature]:
        return await info.context.loaders.features_by_product_id.load(self.id)

    @strawberry.field(description=f"The product's personas: a small list, at most {PERSONAS_PER_PRODUCT:,}.")
    async def personas(self, info: Info) -> list[ProductPersona]:
        return await info.context.loaders.personas_by_product_id.load(self.id)

    @strawberry.field(
        description="The clarification questions product analysis asked: at most one per topic (mission, kpis, "
        "personas, features)."
    )
    async def questions(self, info: Info) -> list[ProductQuestion]:
        return await info.context.loaders.questions_by_product_id.load(self.id)

    @strawberry.field(description="Counts of what is linked to the product.")
    async def metrics(self, info: Info) -> ProductMetrics:
        return ProductMetrics(**await info.context.loaders.metrics_by_product_id.load(self.id))

    okrs = connection("okrs_by_product_id", "okrs.Okr", Scope.OKRS_READ, "The OKRs the product supports.")
    insights = connection(
        "insights_by_product_id", "insights.Insight", Scope.INSIGHTS_READ, "The insights about this product (their productId)."
    )


@strawberry.type(description="How the portfolio summary was computed.")
class PortfolioMeta:
    signals_lookback_days: int = strawberry.field(description="The days of signals counted in the summary's metrics (the last 7).")


@strawberry.type(description="Every product with its counts, for a portfolio dashboard.")
class PortfolioSummary:
    products: list[Product] = strawberry.field(
        description=f"At most {resolvers.PORTFOLIO_MAX_PRODUCTS} products, by name."
    )
    metrics: JSON = strawberry.field(
        description="productId → {insights, ideas, opportunities, signals}; signals of the lookback only."
    )
    meta: PortfolioMeta = strawberry.field(description='How the summary was computed.')


@strawberry.input(description="Conditions on the list of products; every condition given must hold.")
class ProductFilter:
    search: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Case-insensitive, across name, description, type and externalId.",
    )
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Exact name.")
    external_id: str | None = strawberry.field(default=strawberry.UNSET, description="Exact externalId.")
    updated_since: datetime | None = strawberry.UNSET


CreateProductFeatureInput, UpdateProductFeatureInput = input_types(
    "ProductFeature", product_features.FEATURES.fields, __name__, create_description="A new feature of a product."
)
CreateProductPersonaInput, UpdateProductPersonaInput = input_types(
    "ProductPersona",
    product_features.PERSONAS.fields,
    __name__,
    {name: list[str] for name in product_features.PERSONA_LISTS},
    create_description="A new persona of a product.",
)


@strawberry.input(description="A new product, optionally with its first features and personas.")
class CreateProductInput:
    name: str = strawberry.field(description='Product display name.')
    description: str = strawberry.field(description='Product description.')
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description="Stable client-side identifier, unique per workspace; null: none."
    )
    type: str | None = strawberry.field(default=strawberry.UNSET, description='Product category; null: none.')
    stack: str | None = strawberry.field(default=strawberry.UNSET, description='Short implementation stack summary; null: none.')
    mission: str | None = strawberry.field(default=strawberry.UNSET, description='Outcome or mission statement; null: none.')
    kpis: list[str] | None = strawberry.field(default=strawberry.UNSET, description='Outcome measures tracked for this product.')
    tech_stack: JSON | None = strawberry.field(default=strawberry.UNSET, description="[{name, roles}]")
    features: list[CreateProductFeatureInput] | None = strawberry.field(
        default=strawberry.UNSET, description=f"Initial root features (at most {FEATURES_PER_PRODUCT:,}); add children with "
        "createProductFeature."
    )
    personas: list[CreateProductPersonaInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Initial personas (at most {PERSONAS_PER_PRODUCT:,}); add more with createProductPersona.",
    )


@strawberry.input(description="Core fields only: features and personas have their own mutations.")
class UpdateProductInput:
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    external_id: str | None = strawberry.field(default=strawberry.UNSET, description="null clears it.")
    mission: str | None = strawberry.UNSET
    kpis: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the list; null empties it."
    )
    type: str | None = strawberry.UNSET
    stack: str | None = strawberry.UNSET
    tech_stack: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="[{name, roles}]; null empties it."
    )


@strawberry.type
class ProductQuery:
    product = one_field(resolvers.PRODUCT.get, Product, Scope.PRODUCTS_READ)
    products = list_field(resolvers.PRODUCT.list, Product, ProductFilter, ProductOrder, Scope.PRODUCTS_READ)

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)], description="Counts of what is linked to a product.")
    async def product_metrics(self, info: Info, id: strawberry.ID) -> ProductMetrics:
        return ProductMetrics(**await resolvers.product_metrics(info.context, id))

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)], description="Every product with its counts, for a portfolio dashboard.")
    async def portfolio_summary(self, info: Info) -> PortfolioSummary:
        summary = await resolvers.portfolio_summary(info.context)
        return PortfolioSummary(
            products=summary.products,
            metrics=summary.metrics,
            meta=PortfolioMeta(signals_lookback_days=summary.signals_lookback_days),
        )

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)], description="Every feature of a product's feature map.")
    async def product_features(self, info: Info, product_id: strawberry.ID) -> list[ProductFeature]:
        return await product_features.FEATURES.list(info.context, product_id)

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)], description="Every persona of a product.")
    async def product_personas(self, info: Info, product_id: strawberry.ID) -> list[ProductPersona]:
        return await product_features.PERSONAS.list(info.context, product_id)

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)], description="Every clarification question of a product.")
    async def product_questions(self, info: Info, product_id: strawberry.ID) -> list[ProductQuestion]:
        return await product_features.QUESTIONS.list(info.context, product_id)

    @strawberry.field(
        permission_classes=[HasScope(Scope.PRODUCTS_READ)],
        description="One clarification question of a product; null when there is none.",
    )
    async def product_question(
        self, info: Info, product_id: strawberry.ID, id: strawberry.ID
    ) -> ProductQuestion | None:
        return await product_features.QUESTIONS.get(info.context, product_id, id)


ProductMutation = merge_types(
    "ProductMutation",
    (
        mutation_type(resolvers.PRODUCT, __name__, Product, CreateProductInput, UpdateProductInput),
        child_mutation(
            product_features.FEATURES,
            ProductFeature,
            CreateProductFeatureInput,
            UpdateProductFeatureInput,
            Scope.PRODUCTS_WRITE,
            __name__,
        ),
        child_mutation(
            product_features.PERSONAS,
            ProductPersona,
            CreateProductPersonaInput,
            UpdateProductPersonaInput,
            Scope.PRODUCTS_WRITE,
            __name__,
        ),
    ),
)
