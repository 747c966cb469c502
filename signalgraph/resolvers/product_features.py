"""What describes a product: its feature tree and personas (written here), and its questions (read-only).

Each lives under one product: an id of another product's feature, persona or question is NOT_FOUND.
Product analysis reads the names of the features and personas, so creating, renaming or deleting one
asks for a new analysis, which rewrites the product's open questions.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import InvalidInput, NotFound
from ..jobs.queue import ANALYZE_PRODUCT, JobRef, schedule, stamp
from ..limits import FEATURES_PER_PRODUCT, PERSONAS_PER_PRODUCT
from ..storage.models import Product, ProductFeature, ProductPersona, ProductQuestion
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import products as products_repo
from . import common
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


# -- features ----------------------------------------------------------------------------------
async def list_features(ctx: Context, product_id: str) -> list[ProductFeature]:
    await require_product(ctx, product_id)
    return await ctx.loaders.features_by_product_id.load(product_id)


async def _check_parent(
    session: Any, workspace_id: str, product_id: str, feature_id: str | None, parent_id: str
) -> None:
    """The parent must be a feature of the same product, and not the feature or one of its descendants."""
    parents = await products_repo.feature_parents(session, workspace_id, product_id)
    if parent_id not in parents:
        raise NotFound(f"parentId: no feature {parent_id} in product {product_id}", field="parentId")
    ancestor: str | None = parent_id
    seen: set[str] = set()  # a cycle left by two racing updates must not loop forever
    while ancestor is not None and ancestor not in seen:
        if ancestor == feature_id:
            raise InvalidInput("parentId would make the feature its own ancestor", field="parentId")
        seen.add(ancestor)
        ancestor = parents.get(ancestor)


async def create_feature(ctx: Context, product_id: str, data: dict[str, Any]) -> ProductFeature:
    fields = feature_fields(data, creating=True)
    ws = ctx.workspace_id
    async with ctx.write() as w:
        common.found(await repo.get(w.session, Product, ws, product_id), "Product", product_id)
        if fields.get("parent_id") is not None:
            await _check_parent(w.session, ws, product_id, None, fields["parent_id"])
        await common.room_for_one_more(
            w.session, ProductFeature.product_id, ws, product_id, FEATURES_PER_PRODUCT, "features"
        )
        feature = ProductFeature(workspace_id=ws, product_id=product_id, **fields)
        w.session.add(feature)
        w.enqueue(await schedule_analysis(w.session, ws, product_id))
    return feature


async def _owned(session: Any, model: type, workspace_id: str, product_id: str, id_: str) -> Any:
    row = await repo.get(session, model, workspace_id, id_)
    if row is None or row.product_id != product_id:
        await _missing(session, model, workspace_id, product_id, id_)
    return row


async def _missing(session: Any, model: type, workspace_id: str, product_id: str, id_: str) -> None:
    """NOT_FOUND naming the product when it is missing, else naming the feature or persona."""
    common.found(await repo.get(session, Product, workspace_id, product_id), "Product", product_id)
    raise NotFound(f"{model.__name__} {id_} not found in product {product_id}")


async def update_feature(
    ctx: Context, product_id: str, feature_id: str, changes: dict[str, Any]
) -> ProductFeature:
    fields = feature_fields(changes, creating=False)

    async def check_parent(w: Write) -> None:
        if fields.get("parent_id") is not None:
            await _check_parent(w.session, w.workspace_id, product_id, feature_id, fields["parent_id"])

    return await _update(ctx, ProductFeature, product_id, feature_id, fields, check_parent)


async def _update(
    ctx: Context,
    model: type,
    product_id: str,
    id_: str,
    fields: dict[str, Any],
    check: Callable[[Write], Awaitable[None]] | None = None,
) -> Any:
    """Change a feature or persona of this product; a new name asks for a new analysis."""
    async with ctx.write() as w:
        row = await _owned(w.session, model, w.workspace_id, product_id, id_)
        if check is not None:
            await check(w)
        renamed = "name" in fields and fields["name"] != row.name
        for field, value in fields.items():
            setattr(row, field, value)
        row.updated_at = utcnow()
        w.session.add(row)
        if renamed:
            w.enqueue(await schedule_analysis(w.session, w.workspace_id, product_id))
    return row


async def delete_feature(ctx: Context, product_id: str, feature_id: str) -> str:
    """Its children become root features."""
    return await _delete(ctx, ProductFeature, product_id, feature_id)


async def _delete(ctx: Context, model: type, product_id: str, id_: str) -> str:
    async with ctx.write() as w:
        if not await products_repo.delete_child(w.session, model, ctx.workspace_id, product_id, id_):
            await _missing(w.session, model, ctx.workspace_id, product_id, id_)
        w.enqueue(await schedule_analysis(w.session, ctx.workspace_id, product_id))
    return id_


# -- personas ----------------------------------------------------------------------------------
async def list_personas(ctx: Context, product_id: str) -> list[ProductPersona]:
    await require_product(ctx, product_id)
    return await ctx.loaders.personas_by_product_id.load(product_id)


async def create_persona(ctx: Context, product_id: str, data: dict[str, Any]) -> ProductPersona:
    fields = persona_fields(data, creating=True)
    ws = ctx.workspace_id
    async with ctx.write() as w:
        common.found(await repo.get(w.session, Product, ws, product_id), "Product", product_id)
        await common.room_for_one_more(
            w.session, ProductPersona.product_id, ws, product_id, PERSONAS_PER_PRODUCT, "personas"
        )
        persona = ProductPersona(workspace_id=ws, product_id=product_id, **fields)
        w.session.add(persona)
        w.enqueue(await schedule_analysis(w.session, ws, product_id))
    return persona


async def update_persona(
    ctx: Context, product_id: str, persona_id: str, changes: dict[str, Any]
) -> ProductPersona:
    return await _update(ctx, ProductPersona, product_id, persona_id, persona_fields(changes, creating=False))


async def delete_persona(ctx: Context, product_id: str, persona_id: str) -> str:
    return await _delete(ctx, ProductPersona, product_id, persona_id)


# -- questions (written by product analysis) ---------------------------------------------------
async def list_questions(ctx: Context, product_id: str) -> list[ProductQuestion]:
    await require_product(ctx, product_id)
    return await ctx.loaders.questions_by_product_id.load(product_id)


async def get_question(ctx: Context, product_id: str, question_id: str) -> ProductQuestion | None:
    """None for a question this product does not have; NOT_FOUND if the product itself is missing."""
    await require_product(ctx, product_id)
    async with ctx.read() as session:
        return await products_repo.question(session, ctx.workspace_id, product_id, question_id)
