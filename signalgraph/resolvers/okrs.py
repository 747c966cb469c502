"""OKRs: an objective with ordered key results, linked to products; key results link to projects.

`keyResults` in an update is the full list: entries with the id of one of this OKR's key results update
it in place, entries without an id are new, and key results left out are deleted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import InvalidInput, NotFound
from ..storage.models import KeyResult, Okr, Product, Project
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import links
from ..storage.repositories import okrs as okrs_repo
from ..storage.repositories.base import Page, Slice
from ..storage.repositories.okrs import OKRS
from . import common
from .request_context import Context
from .resources import delete_row, list_rows


async def get_okr(ctx: Context, okr_id: str) -> Okr | None:
    return await ctx.loaders.okr_by_id.load(okr_id)


async def list_okrs(ctx: Context, *, window: Slice, **filters: Any) -> Page:
    return await list_rows(ctx, OKRS, window=window, **filters)


def _validate(data: dict[str, Any]) -> None:
    if "objective" in data:
        common.text(data["objective"], "objective")
    seen: set[str] = set()
    for entry in data.get("key_results") or []:
        common.text(entry.get("name"), "keyResults.name", max_length=1000)
        kr_id = entry.get("id")
        if kr_id is not None:
            if kr_id in seen:
                raise InvalidInput(f"keyResults: id {kr_id} is listed twice", field="keyResults")
            seen.add(kr_id)


async def create_okr(ctx: Context, data: dict[str, Any]) -> Okr:
    _validate({"objective": None, **data})
    ws = ctx.workspace_id
    async with ctx.write() as w:
        product_ids = await common.linkable(w.session, Product, ws, data.get("product_ids"), "productIds")
        okr = Okr(workspace_id=ws, objective=data["objective"], priority=data["priority"])
        w.session.add(okr)
        await w.session.flush()
        await repo.replace_links(w.session, links.OKR_PRODUCTS, ws, okr.id, product_ids)
        await _sync_key_results(w.session, ws, okr.id, data["key_results"])
    return okr


async def update_okr(ctx: Context, okr_id: str, changes: dict[str, Any]) -> Okr:
    common.not_null(changes, "objective", "priority", "key_results")
    _validate(changes)
    ws = ctx.workspace_id
    async with ctx.write() as w:
        okr = common.found(await repo.get(w.session, Okr, ws, okr_id), "OKR", okr_id)
        for field in ("objective", "priority"):
            if field in changes:
                setattr(okr, field, changes[field])
        if "product_ids" in changes:
            product_ids = await common.linkable(w.session, Product, ws, changes["product_ids"], "productIds")
            await repo.replace_links(w.session, links.OKR_PRODUCTS, ws, okr.id, product_ids)
        if "key_results" in changes:
            await _sync_key_results(w.session, ws, okr.id, changes["key_results"])
        okr.updated_at = utcnow()
        w.session.add(okr)
    return okr


async def _sync_key_results(session: AsyncSession, ws: str, okr_id: str, entries: list[dict[str, Any]]) -> None:
    """Make the OKR's key results exactly `entries`, in order (see the module docstring)."""
    existing = {kr.id: kr for kr in await okrs_repo.key_results_of(session, ws, okr_id)}
    unknown = [e["id"] for e in entries if e.get("id") is not None and e["id"] not in existing]
    if unknown:
        raise NotFound(f"keyResults: not key results of this OKR: {', '.join(unknown)}", field="keyResults")
    wanted_projects = [p for e in entries for p in e.get("project_ids") or []]
    await common.linkable(session, Project, ws, wanted_projects, "keyResults.projectIds")
    kept = {e["id"] for e in entries if e.get("id") is not None}
    await okrs_repo.delete_key_results(session, ws, [kr_id for kr_id in existing if kr_id not in kept])
    current_projects = await repo.linked_ids(session, links.KEY_RESULT_PROJECTS, ws, kept)
    now = utcnow()
    for position, entry in enumerate(entries):
        kr = existing.get(entry.get("id"))
        if kr is None:
            kr = KeyResult(workspace_id=ws, okr_id=okr_id, name=entry["name"], position=position)
            session.add(kr)
            await session.flush()
            await repo.replace_links(session, links.KEY_RESULT_PROJECTS, ws, kr.id, entry.get("project_ids") or [])
            continue
        projects_change = "project_ids" in entry and set(entry["project_ids"] or []) != set(current_projects[kr.id])
        if projects_change:
            await repo.replace_links(session, links.KEY_RESULT_PROJECTS, ws, kr.id, entry["project_ids"] or [])
        if projects_change or kr.name != entry["name"] or kr.position != position:
            kr.name, kr.position, kr.updated_at = entry["name"], position, now
            session.add(kr)


async def delete_okr(ctx: Context, okr_id: str) -> str:
    """Key results and links go with it (FK cascade)."""
    return await delete_row(ctx, OKRS, okr_id, "OKR")