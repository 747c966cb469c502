"""OKR and key-result queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import KeyResult, Okr, OkrProduct
from . import base
from .base import Page


async def list_okrs(
    session: AsyncSession,
    workspace_id: str,
    *,
    limit: int,
    offset: int,
    product_id: str | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page:
    stmt = select(Okr).where(Okr.workspace_id == workspace_id)
    if product_id is not None:
        linked = select(OkrProduct.okr_id).where(
            OkrProduct.product_id == product_id, OkrProduct.workspace_id == workspace_id
        )
        stmt = stmt.where(Okr.id.in_(linked))
    if search:
        stmt = stmt.where(base.search_clause(search, Okr.objective))
    if updated_since is not None:
        stmt = stmt.where(base.updated_since_clause(Okr, updated_since))
    return await base.page(session, stmt, limit=limit, offset=offset, order_by=(Okr.created_at.desc(), Okr.id.desc()))


async def key_results_of(session: AsyncSession, workspace_id: str, okr_id: str) -> list[KeyResult]:
    """The OKR's key results in their order."""
    stmt = (
        select(KeyResult)
        .where(KeyResult.okr_id == okr_id, KeyResult.workspace_id == workspace_id)
        .order_by(KeyResult.position, KeyResult.created_at)
    )
    return list((await session.execute(stmt)).scalars())


async def delete_key_results(session: AsyncSession, workspace_id: str, ids: Iterable[str]) -> None:
    """Their project links go with them (FK cascade)."""
    ids = list(ids)
    if ids:
        await session.execute(delete(KeyResult).where(KeyResult.id.in_(ids), KeyResult.workspace_id == workspace_id))


async def delete_okr(session: AsyncSession, workspace_id: str, okr_id: str) -> bool:
    """Key results and links go with it (FK cascade)."""
    result = await session.execute(delete(Okr).where(Okr.id == okr_id, Okr.workspace_id == workspace_id))
    return result.rowcount > 0
