"""Runs of a signal's processing, as resolvers ask for them (on create, and `processSignal`).

A signal is processable when it has evidence text: typed ones always, raw ones when their `data` or
`source.external_data` holds some. A run is asked for inside the caller's transaction (the signal goes `processing` and points at its
job) and handed to the queue after the commit. When the queue cannot take it (Redis down), the signal
waits as `pending` and the sweeper queues its job later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ..jobs.queue import PROCESS_SIGNAL, JobRef, schedule
from ..processing.signal_derivation import raw_text
from ..storage.models import Signal
from ..storage.repositories import signal_runs as runs_repo
from .request_context import Context


def processable(signal: Signal) -> bool:
    """A typed signal has its text; a raw one has evidence when its payloads hold some (signal_derivation)."""
    return signal.signal_type is not None or raw_text(signal.source, signal.data) is not None


async def request_processing(session: AsyncSession, signal: Signal, now: datetime) -> JobRef:
    """In the caller's transaction (the signal row written): count a run, record its job, show processing."""
    run = await runs_repo.next_run(session, signal.workspace_id, signal.id)
    job = await schedule(session, signal.workspace_id, PROCESS_SIGNAL, signal.id, run)
    signal.attempts, signal.status, signal.last_job_id, signal.started_at = run, "processing", job.id, now
    signal.processed_at = signal.failed_at = signal.last_error = None
    signal.updated_at = now
    session.add(signal)
    return job


async def hand_over(ctx: Context, signal: Signal, job: JobRef) -> None:
    """After the commit: enqueue the run; if the queue is unreachable, the signal waits as `pending`."""
    if await ctx.queue.enqueue(job):
        return
    async with ctx.write() as w:
        await runs_repo.mark_pending(w.session, signal.workspace_id, signal.id, job.id)
    signal.status = "pending"
