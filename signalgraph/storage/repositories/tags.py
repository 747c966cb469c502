"""Tag queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Tag
from .base import Repository

TAGS = Repository(Tag, search=(Tag.name,), order_by=(Tag.name, Tag.id))


async def tag_by_name(session: AsyncSession, workspace_id: str, name: str, *, exclude_id: str | None = None) -> Tag | None:
    stmt = select(Tag).where(Tag.workspace_id == workspace_id, Tag.name == name)
    if exclude_id is not None:
        stmt = stmt.where(Tag.id != exclude_id)
    return (await session.execute(stmt)).scalars().first()
