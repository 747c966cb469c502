"""Raw signal text and uploaded document bytes, kept in the database's blob table.

Keys look like object-store keys (`signals/manual-text/<workspace>/<uuid>.txt`), so a later move to
an object store keeps them. Always called inside the caller's transaction.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from .models import Blob


async def put(session: AsyncSession, workspace_id: str, key: str, content: bytes, content_type: str) -> Blob:
    blob = await session.get(Blob, key)
    if blob is None:
        blob = Blob(key=key, workspace_id=workspace_id, content=content, content_type=content_type, size=len(content))
    else:
        blob.content, blob.content_type, blob.size = content, content_type, len(content)
    session.add(blob)
    return blob


async def get(session: AsyncSession, workspace_id: str, key: str) -> Blob | None:
    stmt = select(Blob).where(Blob.key == key, Blob.workspace_id == workspace_id)
    return (await session.execute(stmt)).scalars().first()


async def head(session: AsyncSession, workspace_id: str, key: str, max_bytes: int) -> bytes | None:
    """The first `max_bytes` of a blob, read without loading the rest (substr on either database)."""
    stmt = select(func.substr(col(Blob.content), 1, max_bytes)).where(
        col(Blob.key) == key, col(Blob.workspace_id) == workspace_id
    )
    found = (await session.execute(stmt)).first()
    return None if found is None else bytes(found[0] or b"")


async def remove(session: AsyncSession, workspace_id: str, key: str) -> None:
    await session.execute(delete(Blob).where(Blob.key == key, Blob.workspace_id == workspace_id))
