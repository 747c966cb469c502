"""What describes a product: its feature tree and personas (written here), and its questions (read-only).

Each lives under one product: an id of another product's feature, persona or question is NOT_FOUND.
Product analysis reads the names of the features and personas, so creating, renaming or deleting one
asks for a new analysis, which rewrites the product's open questions.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import InvalidInput, NotFound
from ..jobs.queue import ANALYZE_PRODUCT, JobRef, schedule, stamp
from ..limits import FEATURES_PER_PRODUCT, PERSONAS_PER_PRODUCT
from ..scopes import Scope
from ..storage.models import Product, ProductFeature, ProductPersona, ProductQuestion
from ..storage.models.base import utcnow
from ..storage.repositories import products as products_repo
from . import common
from .children import Child
from .request_context import Context, Write
from .resources import Field, Ref

PERSONA_LISTS = ("goals", "pain_points", "use_cases")


async def require_product(ctx: Context, product_id: str) -> Product:
    """The product, or NOT_FOUND: a sub-resource of a missing product is an error, not an empty list."""
    return common.found(await ctx.loaders.product_by_id.load(product_id), "Product", product_id)


async def schedule_analysis(session: AsyncSession, workspace_id: str, product_id: str) -> JobRef:
    """In the writing transaction: analyse the product as this change leaves it; enqueue after the commit."""
    return await schedule(session, workspace_id, ANALYZE_PRODUCT, product_id, stamp(utcnow()))


def _lists(values: dict[str, Any], creating: bool) -> None:
    """A null list is an empty one."""
    for name in PERSONA_LISTS:
        if name in values and values[name] is None:
            values[name] = []


def _named(thing: str) -> tuple[Field, Field]:
    """Name and description: required on create and never null."""
    return (
        Field("name", required=True, max_length=500, description=f"{thing} name."),
        Field("description", required=True, description=f"{thing} description."),
    )


async def _check_parent(w: Write, product_id: str, feature_id: str | None, values: dict[str, Any]) -> None:
    """The parent must be a feature of the same product, and not the feature or one of its descendants."""
    parent_id = values.get("parent_id")
    if parent_id is None:
        return
    parents = await products_repo.feature_parents(w.session, w.workspace_id, product_id)
    if parent_id not in parents:
        raise NotFound(f"parentId: no feature {parent_id} in product {product_id}", field="parentId")
    ancestor: str | None = parent_id
    seen: set[str] = set()  # a cycle left by two racing updates must not loop forever
    while ancestor is not None and ancestor not in seen:
        if ancestor == feature_id:
            raise InvalidInput("parentId would make the feature its own ancestor", field="parentId")
        seen.add(ancestor)
        ancestor = parents.get(ancestor)


async def _analyse(w: Write, row: Any, values: dict[str, Any], before: dict[str, Any] | None) -> None:
    """A new feature or persona, or a new name, asks for a new analysis."""
    if before is None or before.get("name", row.name) != row.name:
        await _analyse_product(w, row.product_id)


async def _analyse_product(w: Write, product_id: str) -> None:
    w.enqueue(await schedule_analysis(w.session, w.workspace_id, product_id))


# A deleted feature's children become root features (the foreign key sets their parent to null).
FEATURES = Child(
    Product,
    ProductFeature.product_id,
    "features",
    fields=(
        *_named("Feature"),
        Ref(
            "parent_id",
            ProductFeature,
            Scope.PRODUCTS_READ,
            description="A feature of the same product.",
            update_description="A feature of the same product; null makes the feature a root.",
        ),
    ),
    bound=FEATURES_PER_PRODUCT,
    check=_check_parent,
    after_save=_analyse,
    after_delete=_analyse_product,
)
PERSONAS = Child(
    Product,
    ProductPersona.product_id,
    "personas",
    fields=(
        *_named("Persona"),
        Field("goals", list, description="What the persona wants to achieve; an update replaces the list."),
        Field("pain_points", list, description="What gets in the persona's way; an update replaces the list."),
        Field("use_cases", list, description="What the persona uses the product for; an update replaces the list."),
    ),
    bound=PERSONAS_PER_PRODUCT,
    clean=_lists,
    after_save=_analyse,
    after_delete=_analyse_product,
)
QUESTIONS = Child(Product, ProductQuestion.product_id, "questions")  # written by product analysis
