"""Insight queries, and the sources an extracted insight gathers (`insight_sources`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ..models import Insight, InsightSource
from . import links
from .base import Repository, is_in, triage

_TRIAGE = triage(Insight, links.ACCOUNT_INSIGHTS)
INSIGHTS = Repository(
    Insight,
    filters={"status": _TRIAGE["status"], "type": is_in(Insight.type), **_TRIAGE},
    search=(Insight.name, Insight.description),
)

_SOURCES = (
    select(col(InsightSource.insight_id), col(InsightSource.source))
    .where(
        col(InsightSource.workspace_id) == bindparam("ws"),
        col(InsightSource.insight_id).in_(bindparam("insight_ids", expanding=True)),
    )
    .order_by(col(InsightSource.insight_id), col(InsightSource.id))
)


async def sources_by_insight_id(
    session: AsyncSession, workspace_id: str, insight_ids: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The sources of each insight that has any, in the order it gathered them, in one statement (the
    `sources_by_insight_id` loader, and processing's reads)."""
    ids = sorted(set(insight_ids))
    if not ids:
        return {}
    found: dict[str, list[dict[str, Any]]] = {}
    for insight_id, source in await session.execute(_SOURCES, {"ws": workspace_id, "insight_ids": ids}):
        found.setdefault(insight_id, []).append(source)
    return found


async def replace_sources(
    session: AsyncSession, workspace_id: str, sources: dict[str, list[dict[str, Any]]]
) -> None:
    """Make these the sources of each insight (insight id → sources, in order): two statements for all."""
    if not sources:
        return
    await session.execute(
        delete(InsightSource).where(
            col(InsightSource.workspace_id) == workspace_id, col(InsightSource.insight_id).in_(list(sources))
        )
    )
    rows = [
        {"workspace_id": workspace_id, "insight_id": insight_id, "signal_id": s["signalId"], "source": s}
        for insight_id, found in sources.items()
        for s in found
    ]
    if rows:
        await session.execute(insert(InsightSource), rows)
