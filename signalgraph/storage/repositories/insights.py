"""Insight queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import AccountInsight, Insight
from . import base
from .base import Page


async def list_insights(
    session: AsyncSession,
    workspace_id: str,
    *,
    limit: int,
    offset: int,
    status: list[str] | None = None,
    type: list[str] | None = None,
    product_id: str | None = None,
    account_id: str | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page:
    stmt = select(Insight).where(Insight.workspace_id == workspace_id)
    if status:
        stmt = stmt.where(Insight.status.in_(status))
    if type:
        stmt = stmt.where(Insight.type.in_(type))
    if product_id is not None:
        stmt = stmt.where(Insight.product_id == product_id)
    if account_id is not None:
        linked = select(AccountInsight.insight_id).where(
            AccountInsight.account_id == account_id, AccountInsight.workspace_id == workspace_id
        )
        stmt = stmt.where(Insight.id.in_(linked))
    if search:
        stmt = stmt.where(base.search_clause(search, Insight.name, Insight.description))
    if updated_since is not None:
        stmt = stmt.where(Insight.updated_at >= updated_since)
    return await base.page(
        session, stmt, limit=limit, offset=offset, order_by=(Insight.created_at.desc(), Insight.id.desc())
    )


async def delete_insight(session: AsyncSession, workspace_id: str, insight_id: str) -> bool:
    result = await session.execute(
        delete(Insight).where(Insight.id == insight_id, Insight.workspace_id == workspace_id)
    )
    return result.rowcount > 0
