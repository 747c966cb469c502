"""Context units: curated Markdown guidance, global or scoped to one product, indexed for retrieval.

The retrieval index covers the body and the scope, so a change to `data` or `productId` makes the
unit `pending` again (its old index entry no longer describes it); a name or description change does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..storage.models import ContextDocument, ContextUnit, Product
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import context_units as units_repo
from ..storage.repositories.base import Page
from . import common
from .context_search import remove_from_index, schedule_indexing
from .request_context import Context

NAME_MAX = 500
DESCRIPTION_MAX = 10_000
DATA_MAX = 1_000_000


def mark_pending(row: ContextUnit | ContextDocument) -> None:
    """The row must be (re)indexed: its retrieval file no longer matches it."""
    row.indexing_status = "pending"
    row.vector_file_id = None


async def get_context_unit(ctx: Context, unit_id: str) -> ContextUnit | None:
    return await ctx.loaders.context_unit_by_id.load(unit_id)


async def list_context_units(ctx: Context, *, limit: int, offset: int, **filters: Any) -> Page:
    async with ctx.db.read() as session:
        return await units_repo.list_context_units(
            session, ctx.workspace_id, limit=limit, offset=offset, **filters
        )


# The text fields and their checks: name and data are required and not blank.
TEXT_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "name": lambda v: common.text(v, "name", max_length=NAME_MAX).strip(),
    "description": lambda v: common.text(v, "description", max_length=DESCRIPTION_MAX, required=False),
    "data": lambda v: common.text(v, "data", max_length=DATA_MAX),
}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """The text fields present in `data`, validated."""
    return {field: check(data[field]) for field, check in TEXT_CHECKS.items() if field in data}


async def create_context_unit(ctx: Context, data: dict[str, Any]) -> ContextUnit:
    fields = _clean({"name": None, "data": None, **data})
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        product_id = await common.linkable_one(session, Product, ws, data.get("product_id"), "productId")
        unit = ContextUnit(workspace_id=ws, product_id=product_id, **fields)
        mark_pending(unit)
        session.add(unit)
        job = await schedule_indexing(session, unit)
    ctx.invalidate_loaders()
    await ctx.queue.enqueue(job)
    return unit


async def update_context_unit(ctx: Context, unit_id: str, changes: dict[str, Any]) -> ContextUnit:
    common.not_null(changes, "name", "data")
    fields = _clean(changes)
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        unit = common.found(await repo.get(session, ContextUnit, ws, unit_id), "Context unit", unit_id)
        reindex = "data" in fields and fields["data"] != unit.data
        if "product_id" in changes:
            product_id = await common.linkable_one(session, Product, ws, changes["product_id"], "productId")
            reindex = reindex or product_id != unit.product_id
            unit.product_id = product_id
        for field, value in fields.items():
            setattr(unit, field, value)
        if reindex:
            mark_pending(unit)
        unit.updated_at = utcnow()
        session.add(unit)
        # Re-indexed on every change (a new name is searchable too); only content or scope make it pending.
        job = await schedule_indexing(session, unit)
    ctx.invalidate_loaders()
    await ctx.queue.enqueue(job)
    return unit


async def delete_context_unit(ctx: Context, unit_id: str) -> str:
    async with ctx.db.write() as session:
        if not await units_repo.delete_context_unit(session, ctx.workspace_id, unit_id):
            common.found(None, "Context unit", unit_id)
        await remove_from_index(session, ctx.workspace_id, unit_id)
    ctx.invalidate_loaders()
    return unit_id
