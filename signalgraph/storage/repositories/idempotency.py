"""Idempotency records: claim with one conflict-checked INSERT, then complete, release or expire."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ..models import IdempotencyRecord


async def claim(session: AsyncSession, record: IdempotencyRecord) -> bool:
    """Insert the record unless one with its id exists; True when this caller now owns the key."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    values = {column.key: getattr(record, column.key) for column in IdempotencyRecord.__table__.columns}
    result = await session.execute(
        insert(IdempotencyRecord).values(**values).on_conflict_do_nothing(index_elements=["id"])
    )
    return result.rowcount == 1


async def get(session: AsyncSession, record_id: str) -> IdempotencyRecord | None:
    return (
        (await session.execute(select(IdempotencyRecord).where(IdempotencyRecord.id == record_id)))
        .scalars()
        .first()
    )


async def delete_if_abandoned(
    session: AsyncSession, record_id: str, now: datetime, locked_before: datetime
) -> bool:
    """Drop the record if it has expired, or if its request never finished (a crashed process)."""
    result = await session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.id == record_id,
            or_(
                IdempotencyRecord.expires_at <= now,
                and_(IdempotencyRecord.completed_at.is_(None), IdempotencyRecord.created_at <= locked_before),
            ),
        )
    )
    return result.rowcount > 0


async def complete(
    session: AsyncSession, record_id: str, status_code: int, headers: dict[str, Any], body: str, now: datetime
) -> None:
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_id)
        .values(status_code=status_code, headers=headers, body=body, completed_at=now)
    )


async def release(session: AsyncSession, record_id: str) -> None:
    """Forget an unfinished claim, so the request can be retried with the same key."""
    await session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.id == record_id, IdempotencyRecord.completed_at.is_(None)
        )
    )


async def forget(session: AsyncSession, record_id: str) -> None:
    """Drop a record, finished or not."""
    await session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.id) == record_id))


async def delete_expired(session: AsyncSession, api_key_id: str, now: datetime) -> None:
    await session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.api_key_id == api_key_id, IdempotencyRecord.expires_at <= now
        )
    )
