"""Idea queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import AccountIdea, Idea
from . import base
from .base import Page


async def list_ideas(
    session: AsyncSession,
    workspace_id: str,
    *,
    limit: int,
    offset: int,
    status: list[str] | None = None,
    product_id: str | None = None,
    account_id: str | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page:
    stmt = select(Idea).where(Idea.workspace_id == workspace_id)
    if status:
        stmt = stmt.where(Idea.status.in_(status))
    if product_id is not None:
        stmt = stmt.where(Idea.product_id == product_id)
    if account_id is not None:
        linked = select(AccountIdea.idea_id).where(
            AccountIdea.account_id == account_id, AccountIdea.workspace_id == workspace_id
        )
        stmt = stmt.where(Idea.id.in_(linked))
    if search:
        stmt = stmt.where(base.search_clause(search, Idea.name, Idea.description))
    if updated_since is not None:
        stmt = stmt.where(base.updated_since_clause(Idea, updated_since))
    return await base.page(session, stmt, limit=limit, offset=offset, order_by=(Idea.created_at.desc(), Idea.id.desc()))


async def delete_idea(session: AsyncSession, workspace_id: str, idea_id: str) -> bool:
    result = await session.execute(delete(Idea).where(Idea.id == idea_id, Idea.workspace_id == workspace_id))
    return result.rowcount > 0
