"""Tag queries."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Tag
from . import base
from .base import Page


async def list_tags(
    session: AsyncSession, workspace_id: str, *, limit: int, offset: int, search: str | None = None
) -> Page:
    stmt = select(Tag).where(Tag.workspace_id == workspace_id)
    if search:
        stmt = stmt.where(base.search_clause(search, Tag.name))
    return await base.page(session, stmt, limit=limit, offset=offset, order_by=(Tag.name, Tag.id))


async def tag_by_name(session: AsyncSession, workspace_id: str, name: str, *, exclude_id: str | None = None) -> Tag | None:
    stmt = select(Tag).where(Tag.workspace_id == workspace_id, Tag.name == name)
    if exclude_id is not None:
        stmt = stmt.where(Tag.id != exclude_id)
    return (await session.execute(stmt)).scalars().first()


async def delete_tag(session: AsyncSession, workspace_id: str, tag_id: str) -> bool:
    result = await session.execute(delete(Tag).where(Tag.id == tag_id, Tag.workspace_id == workspace_id))
    return result.rowcount > 0
