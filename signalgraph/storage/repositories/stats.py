"""System-level counts for /metrics, across every workspace: the one place that reads without a workspace
besides the job runner's (jobs.py). Each is one indexed aggregate, cheap enough for every scrape."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ..models import Job, Signal


async def queued_jobs(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many jobs wait to run, and since when the longest-waiting one has (its last change)."""
    stmt = select(func.count(), func.min(col(Job.updated_at))).where(col(Job.status) == "queued")
    count, oldest = (await session.execute(stmt)).one()
    return int(count), oldest


async def signals_by_status(session: AsyncSession) -> dict[str, int]:
    stmt = select(col(Signal.status), func.count()).group_by(col(Signal.status))
    return {status: int(count) for status, count in (await session.execute(stmt)).all()}
