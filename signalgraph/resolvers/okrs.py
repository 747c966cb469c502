"""OKRs: an objective with ordered key results, linked to products; key results link to projects.

`keyResults` in an update is the full list: entries with the id of one of this OKR's key results update
it in place, entries without an id are new, and key results left out are deleted.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import InvalidInput, NotFound
from ..limits import KEY_RESULTS_PER_OKR
from ..scopes import Scope
from ..storage.models import KeyResult, Okr, Product, Project
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import links
from ..storage.repositories import okrs as okrs_repo
from ..storage.repositories.okrs import OKRS
from . import common
from .request_context import Write
from .resources import Field, Links, Resource


def _key_results_valid(values: dict[str, Any], creating: bool) -> None:
    for entry in values.get("key_results") or []:
        common.text(entry.get("name"), "keyResults.name", max_length=1000)


def _listed_once(entries: list[dict[str, Any]]) -> None:
    """An id of a key result of the OKR listed twice is a 400; checked after the ids are found (an unknown
    id is a 404, listed twice or not, as everywhere)."""
    seen: set[str] = set()
    for kr_id in (e["id"] for e in entries if e.get("id") is not None):
        if kr_id in seen:
            raise InvalidInput(f"keyResults: id {kr_id} is listed twice", field="keyResults")
        seen.add(kr_id)


async def _write_key_results(w: Write, okr: Okr, values: dict[str, Any], creating: bool) -> None:
    if "key_results" in values:
        await _sync_key_results(w.session, w.workspace_id, okr.id, values["key_results"])


async def _sync_key_results(session: AsyncSession, ws: str, okr_id: str, entries: list[dict[str, Any]]) -> None:
    """Make the OKR's key results exactly `entries`, in order (see the module docstring)."""
    existing = {kr.id: kr for kr in await okrs_repo.key_results_of(session, ws, okr_id)}
    unknown = [e["id"] for e in entries if e.get("id") is not None and e["id"] not in existing]
    if unknown:
        raise NotFound(f"keyResults: not key results of this OKR: {', '.join(unknown)}", field="keyResults")
    wanted_projects = [p for e in entries for p in e.get("project_ids") or []]
    await common.linkable(session, Project, ws, wanted_projects, "keyResults.projectIds")
    _listed_once(entries)
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


# Deleting an OKR deletes its key results and links (foreign keys cascade).
OKR = Resource[Okr](
    OKRS,
    "Okr",
    "okrs",
    label="OKR",
    search="Matches the objective.",
    clean=_key_results_valid,
    after_save=_write_key_results,
    description="An objective and its key results, for the products it supports.",
    fields=(
        Field("objective", required=True, description="Outcome-oriented objective."),
        Field("priority", int, required=True, description="Numeric priority used by planning surfaces."),
        Links("product_ids", Product, links.OKR_PRODUCTS, Scope.PRODUCTS_READ, ids=False),  # the id list: schema/okrs.py (before keyResults)
        Field(
            "key_results",
            list,
            required=True,
            stored=False,
            description=f"The key results, in order (at most {KEY_RESULTS_PER_OKR:,}).",
            update_description="The full list: listed ids are kept and updated, entries without id created, the rest deleted.",
        ),
    ),
)
