"""Job rows: written with the work they stand for, claimed by the runner, found again by the sweeper.

`claim` and `sweepable` are system-level: a worker knows only the job id it was handed, and the
sweeper looks across workspaces. Everything reachable from the API takes the workspace id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from ..models import Job
from ..models.base import utcnow
from . import base

FINISHED = ("succeeded", "failed")

M = TypeVar("M", bound=SQLModel)


async def add(session: AsyncSession, workspace_id: str, job_id: str, kind: str, target_id: str) -> Job:
    """The job row for this id: new, or a finished one queued again; one still pending is left alone."""
    job = await base.get(session, Job, workspace_id, job_id)
    if job is None:
        job = Job(id=job_id, workspace_id=workspace_id, kind=kind, target_id=target_id)
    elif job.status in FINISHED:
        job.status, job.attempts, job.last_error, job.token_usage = "queued", 0, None, None
        job.started_at = job.finished_at = None
        job.updated_at = utcnow()
    session.add(job)
    await session.flush()
    return job


async def get(session: AsyncSession, workspace_id: str, job_id: str) -> Job | None:
    return await base.get(session, Job, workspace_id, job_id)


async def claim(session: AsyncSession, job_id: str) -> Job | None:
    """The row of a job about to run, locked for the rest of the transaction (PostgreSQL)."""
    stmt = select(Job).where(Job.id == job_id).with_for_update()
    return (await session.execute(stmt)).scalars().first()


# Built once: every job runs them (building a statement costs more than running it). Statements on the
# table, not the model: an ORM-enabled UPDATE goes through SQLAlchemy's bulk-update machinery on every run,
# which cost the worker's loop more than the statement's round trip (bench/README.md, "One worker").
_JOBS_TABLE: Any = Job.__table__  # type: ignore[attr-defined]
_JOBS = _JOBS_TABLE.c
_START_TRY = (
    update(_JOBS_TABLE)
    .where(_JOBS.id == bindparam("job_id"), _JOBS.status.not_in(FINISHED), _JOBS.attempts < bindparam("max_tries"))
    .values(attempts=_JOBS.attempts + 1, status="running", started_at=bindparam("now"), updated_at=bindparam("now"))
    .returning(_JOBS.workspace_id, _JOBS.attempts, _JOBS.token_usage)
)
_FINISH = (
    update(_JOBS_TABLE)
    .where(_JOBS.id == bindparam("job_id"))
    .values(status="succeeded", last_error=None, finished_at=bindparam("now"), updated_at=bindparam("now"))
)


async def start_try(
    session: AsyncSession, job_id: str, max_tries: int, now: datetime
) -> tuple[str, int, dict | None] | None:
    """Claim a job that is not finished and has tries left for one more try, in one statement (the row
    is locked until the transaction ends, as by `claim`): its (workspace id, tries so far, token usage);
    None when it is unknown, finished or out of tries (`claim` it to see which)."""
    row = (await session.execute(_START_TRY, {"job_id": job_id, "max_tries": max_tries, "now": now})).first()
    return None if row is None else (row[0], row[1], row[2])


async def finish(session: AsyncSession, job_id: str, now: datetime, token_usage: dict | None) -> None:
    """Record the job `succeeded` in one statement (its token usage too, when it has any)."""
    if token_usage is None:
        await session.execute(_FINISH, {"job_id": job_id, "now": now})
    else:
        await session.execute(_FINISH.values(token_usage=token_usage), {"job_id": job_id, "now": now})


async def heartbeat(session: AsyncSession, job_id: str, now: datetime) -> None:
    """A running job's sign of life: its `updated_at`."""
    running = (col(Job.id) == job_id) & (col(Job.status) == "running")
    await session.execute(update(Job).where(running).values(updated_at=now))


async def sweepable(session: AsyncSession, stale_before: datetime, limit: int) -> list[Job]:
    """Jobs to hand to the queue again: every queued one, and running ones whose last heartbeat (their
    `updated_at`) is older than `stale_before`."""
    stmt = (
        select(Job)
        .where(or_(Job.status == "queued", and_(Job.status == "running", Job.updated_at < stale_before)))
        .order_by(Job.updated_at, Job.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def lock_target(session: AsyncSession, model: type[M], workspace_id: str, target_id: str) -> M | None:
    """The row a job works on, locked until the transaction ends (PostgreSQL): jobs on one row take turns."""
    stmt = select(model).where(model.id == target_id, model.workspace_id == workspace_id).with_for_update()
    return (await session.execute(stmt)).scalars().first()
