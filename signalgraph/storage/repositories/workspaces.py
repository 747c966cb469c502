"""Workspaces, API keys and the per-workspace counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ..models import ApiKey, Workspace, WorkspaceCounter


async def get_workspace(session: AsyncSession, workspace_id: str) -> Workspace | None:
    return await session.get(Workspace, workspace_id)


async def workspace_by_name(session: AsyncSession, name: str) -> Workspace | None:
    return (await session.execute(select(Workspace).where(Workspace.name == name))).scalars().first()


async def get_or_create_workspace(session: AsyncSession, name: str) -> tuple[Workspace, bool]:
    existing = await workspace_by_name(session, name)
    if existing:
        return existing, False
    workspace = Workspace(name=name)
    session.add(workspace)
    await session.flush()
    return workspace, True


async def add_api_key(session: AsyncSession, key: ApiKey) -> ApiKey:
    session.add(key)
    await session.flush()
    return key


async def api_key_by_prefix(session: AsyncSession, prefix: str) -> tuple[ApiKey, Workspace] | None:
    """The key with its workspace, in one statement (it runs on every request)."""
    stmt = select(ApiKey, Workspace).join(Workspace, Workspace.id == ApiKey.workspace_id).where(ApiKey.prefix == prefix)
    row = (await session.execute(stmt)).first()
    return (row[0], row[1]) if row else None


async def list_api_keys(session: AsyncSession, workspace_id: str | None = None) -> list[tuple[ApiKey, Workspace]]:
    stmt = select(ApiKey, Workspace).join(Workspace, Workspace.id == ApiKey.workspace_id)
    if workspace_id is not None:
        stmt = stmt.where(ApiKey.workspace_id == workspace_id)
    return [tuple(row) for row in (await session.execute(stmt.order_by(ApiKey.created_at))).all()]


async def revoke_api_key(session: AsyncSession, prefix: str, when: datetime) -> bool:
    result = await session.execute(
        update(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None)).values(revoked_at=when)
    )
    return result.rowcount > 0


async def expire_api_key(session: AsyncSession, key_id: str, when: datetime) -> None:
    await session.execute(update(ApiKey).where(col(ApiKey.id) == key_id).values(expires_at=when))


async def touch_api_key(session: AsyncSession, key_id: str, when: datetime, unless_since: datetime) -> None:
    """Set last_used_at to `when`, unless it was set at or after `unless_since` (by another process)."""
    await session.execute(
        update(ApiKey)
        .where(col(ApiKey.id) == key_id, or_(col(ApiKey.last_used_at).is_(None), col(ApiKey.last_used_at) < unless_since))
        .values(last_used_at=when)
    )


async def next_counter_value(session: AsyncSession, workspace_id: str, name: str) -> int:
    """Increment and return a workspace counter inside the caller's transaction.

    The row stays locked until commit (PostgreSQL row lock, SQLite's single writer), so concurrent
    creators in any number of processes get consecutive values, and a rolled-back create frees its value.
    """
    dialect = session.bind.dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    await session.execute(
        insert(WorkspaceCounter)
        .values(workspace_id=workspace_id, name=name, value=0)
        .on_conflict_do_nothing(index_elements=["workspace_id", "name"])
    )
    result = await session.execute(
        update(WorkspaceCounter)
        .where(WorkspaceCounter.workspace_id == workspace_id, WorkspaceCounter.name == name)
        .values(value=WorkspaceCounter.value + 1)
        .returning(WorkspaceCounter.value)
    )
    return result.scalar_one()
