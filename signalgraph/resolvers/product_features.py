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
from ..storage.models import Product, ProductFeature, ProductPersona, ProductQuestion
from ..storage.models.base import utcnow
from ..storage.repositories import products as products_repo
from . import common
from .children import Child
from .request_context import Context, Write

PERSONA_LISTS = ("goals", "pain_points", "use_cases")


async def require_product(ctx: Context, product_id: str) -> Product:
    """The product, or NOT_FOUND: a sub-resource of a missing product is an error, not an empty list."""
    return common.found(await ctx.loaders.product_by_id.load(product_id), "Product", product_id)


async def schedule_analysis(session: AsyncSession, workspace_id: str, product_id: str) -> JobRef:
    """In the writing transaction: analyse the product as this change leaves it; enqueue after the commit."""
    return await schedule(session, workspace_id, ANALYZE_PRODUCT, product_id, stamp(utcnow()))


def _named(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Name and description are required on create and never null."""
    if creating:
        data = {"name": None, "description": None, **data}
    for field, max_length in (("name", 500), ("description", 100_000)):
        if field in data:
            common.text(data[field], field, max_length=max_length)
    return data


def feature_fields(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    data = _named(data, creating=creating)
    return {k: data[k] for k in ("name", "description", "parent_id") if k in data}


def persona_fields(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """A null list is an empty one."""
    data = _named(data, creating=creating)
    fields = {k: data[k] for k in ("name", "description") if k in data}
    fields.update({k: data[k] or [] for k in PERSONA_LISTS if k in data})
    return fields


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
    feature_fields,
    FEATURES_PER_PRODUCT,
    check=_check_parent,
    after_save=_analyse,
    after_delete=_analyse_product,
)
PERSONAS = Child(
    Product, ProductPersona.product_id, "personas", persona_fields, PERSONAS_PER_PRODUCT, after_save=_analyse,
    after_delete=_analyse_product,
)
QUESTIONS = Child(Product, ProductQuestion.product_id, "questions")  # written by product analysis
