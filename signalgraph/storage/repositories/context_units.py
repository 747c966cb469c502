"""Context unit queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import ContextUnit
from . import base
from .base import Page


async def list_context_units(
    session: AsyncSession,
    workspace_id: str,
    *,
    limit: int,
    offset: int,
    product_id: str | None = None,
    is_global: bool | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page:
    stmt = select(ContextUnit).where(ContextUnit.workspace_id == workspace_id)
    if product_id is not None:
        stmt = stmt.where(ContextUnit.product_id == product_id)
    if is_global is not None:
        stmt = stmt.where(
            ContextUnit.product_id.is_(None) if is_global else ContextUnit.product_id.is_not(None)
        )
    if search:
        stmt = stmt.where(base.search_clause(search, ContextUnit.name, ContextUnit.description))
    if updated_since is not None:
        stmt = stmt.where(base.updated_since_clause(ContextUnit, updated_since))
    return await base.page(
        session,
        stmt,
        limit=limit,
        offset=offset,
        order_by=(ContextUnit.created_at.desc(), ContextUnit.id.desc()),
    )


async def delete_context_unit(session: AsyncSession, workspace_id: str, unit_id: str) -> bool:
    result = await session.execute(
        delete(ContextUnit).where(ContextUnit.id == unit_id, ContextUnit.workspace_id == workspace_id)
    )
    return result.rowcount > 0
