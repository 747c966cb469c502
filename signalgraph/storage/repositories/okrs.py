"""OKR and key-result queries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import KeyResult, Okr
from . import links
from .base import Repository, through

OKRS = Repository(
    Okr, filters={"product_id": through(links.OKR_PRODUCTS.reversed(), Okr.id)}, search=(Okr.objective,)
)


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
