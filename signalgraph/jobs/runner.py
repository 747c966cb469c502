"""The wrapper every job runs in, whichever runner calls it: the job row's state, timeouts, retries.

arq delivers at least once and retries only on `Retry`, so the wrapper turns every failure of a try
into `Retry(defer=backoff)` until `settings.job_max_tries` tries have run, then records the job
`failed` (with `last_error`) and lets the job's `on_failure` settle its target in the same
transaction (`on_retry` sees each failed try before that). Tries are counted in the job row, not in
arq, so a worker killed mid-job (arq runs the job again once its lock expires) or a job re-queued by
the sweeper keeps its count; a finished job delivered again does nothing. The tokens a job's model
calls use are counted the same way (`run.usage`, recorded on the row after every try), so the token
budget holds across tries, and a spent budget fails the job at once.

While a try runs, the wrapper heartbeats it (the row's `updated_at`, every quarter of
`settings.processing_timeout_seconds`): a row `running` whose heartbeat is older than that lost its
worker, and the sweeper re-queues it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from arq import Retry
from sqlalchemy.ext.asyncio import AsyncSession

from .. import logs, metrics
from ..processing.chat_completions import BudgetExhausted, TokenUsage
from ..services import Services
from ..settings import Settings
from ..storage.models import Job
from ..storage.models.base import utcnow
from ..storage.repositories import jobs as jobs_repo

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY_SECONDS = 300.0
ERROR_MAX_CHARS = 2000
WORKER_LOST = "the job stopped without finishing (its worker was lost or timed out)"


class PermanentJobError(Exception):
    """A failure that another try cannot fix (e.g. a signal without text): fail at once."""


PERMANENT = (PermanentJobError, BudgetExhausted)


@dataclass(frozen=True)
class JobRun:
    """What a job body gets: the services, and which job of which workspace about which target."""

    services: Services
    job_id: str
    workspace_id: str
    target_id: str
    attempt: int
    usage: TokenUsage  # the model tokens of every try so far; the job's model calls add to it
    finished: list[bool] = field(default_factory=list)  # [True] once `succeed` recorded the outcome

    async def succeed(self, session: AsyncSession) -> None:
        """Record the job `succeeded` in the body's own last transaction, where the wrapper would take one
        more after it (a write turn per job on SQLite). Call it first in that transaction: the job row is
        then locked before the target, in the order a failed try takes them. If the transaction does not
        commit, nothing of it counts and the try fails as any other."""
        usage = self.usage.as_json() if self.usage.requests else None
        await jobs_repo.finish(session, self.job_id, utcnow(), usage)
        self.finished.append(True)


Body = Callable[[JobRun], Awaitable[None]]
# Called inside the transaction that records a failed try or the final failure: (session, job row, error).
OnError = Callable[[AsyncSession, Job, str], Awaitable[None]]


def backoff(settings: Settings, attempt: int) -> float:
    return min(settings.job_retry_delay_seconds * 2 ** (attempt - 1), MAX_RETRY_DELAY_SECONDS)


def describe(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "the job did not finish within its time limit"
    message = str(exc) or type(exc).__name__
    return message[:ERROR_MAX_CHARS]


def job(
    kind: str, on_failure: OnError | None = None, on_retry: OnError | None = None
) -> Callable[[Body], Callable[..., Awaitable[None]]]:
    """Make `body(run)` the job function `kind(ctx, target_id)` that both runners call."""

    def wrap(body: Body) -> Callable[..., Awaitable[None]]:
        async def run_job(ctx: dict[str, Any], target_id: str) -> None:
            # This task's log lines are the job's, not those of the request that queued it (in-process).
            logs.REQUEST.set(None)
            logs.JOB.set(logs.JobInfo(job_id=ctx["job_id"], kind=kind))
            services: Services = ctx["services"]
            run = await _start(services, ctx["job_id"], target_id, on_failure)
            if run is None:
                return
            metrics.JOBS_STARTED.labels(kind).inc()
            started = time.perf_counter()
            beating = asyncio.create_task(_heartbeat(services, run.job_id), name=f"heartbeat:{run.job_id}")
            try:
                await asyncio.wait_for(body(run), services.settings.job_timeout_seconds)
            except Exception as exc:  # every failure of a try is retried or recorded, never lost
                await _stop(beating)
                retry = await _failed_try(run, exc, on_failure, on_retry)
                outcome = "retried" if retry else "failed"
                (metrics.JOBS_RETRIED if retry else metrics.JOBS_FAILED).labels(kind).inc()
                metrics.JOB_SECONDS.labels(kind, outcome).observe(time.perf_counter() - started)
                if retry:
                    raise Retry(defer=backoff(services.settings, run.attempt)) from exc
                return
            finally:
                await _stop(beating)
            if not run.finished:
                async with services.db.write() as session:
                    row = await jobs_repo.claim(session, run.job_id)
                    if row is not None:
                        _succeeded(row, run)
            metrics.JOBS_SUCCEEDED.labels(kind).inc()
            metrics.JOB_SECONDS.labels(kind, "succeeded").observe(time.perf_counter() - started)
            logger.info("job %s succeeded on try %d", run.job_id, run.attempt)

        run_job.__name__ = run_job.__qualname__ = kind
        run_job.kind = kind  # type: ignore[attr-defined]
        return run_job

    return wrap


def heartbeat_interval(settings: Settings) -> float:
    return settings.processing_timeout_seconds / 4


async def _heartbeat(services: Services, job_id: str) -> None:
    """Until cancelled: the job's sign of life. A beat that fails (the database busy) is only late."""
    while True:
        await asyncio.sleep(heartbeat_interval(services.settings))
        try:
            async with services.db.write_autocommit() as session:  # one statement
                await jobs_repo.heartbeat(session, job_id, utcnow())
        except Exception as exc:  # noqa: BLE001 - the next beat tries again; the sweeper allows for four
            logger.warning("job %s: heartbeat failed (%s)", job_id, logs.one_line(exc))


async def _stop(task: asyncio.Task) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def _start(
    services: Services, job_id: str, target_id: str, on_failure: OnError | None
) -> JobRun | None:
    """Claim the row for one more try; None when there is nothing (more) to do."""
    # The usual case is one statement, committed on its own (no BEGIN and COMMIT on PostgreSQL); the others
    # are told apart below, under the row's lock.
    async with services.db.write_autocommit() as session:
        started = await jobs_repo.start_try(session, job_id, services.settings.job_max_tries, utcnow())
    if started is not None:
        workspace_id, attempts, token_usage = started
        return JobRun(services, job_id, workspace_id, target_id, attempts, TokenUsage.from_json(token_usage))
    async with services.db.write() as session:
        row = await jobs_repo.claim(session, job_id)
        if row is None or row.status in jobs_repo.FINISHED:
            logger.info("job %s: %s, nothing to do", job_id, "unknown" if row is None else row.status)
            return None
        if row.attempts >= services.settings.job_max_tries:
            await _fail(session, row, row.last_error or WORKER_LOST, on_failure)
            metrics.JOBS_FAILED.labels(row.kind).inc()
            return None
        now = utcnow()
        row.attempts += 1
        row.status, row.started_at, row.updated_at = "running", now, now
        return JobRun(
            services, job_id, row.workspace_id, target_id, row.attempts, TokenUsage.from_json(row.token_usage)
        )


def _succeeded(row: Job, run: JobRun) -> None:
    row.status, row.last_error = "succeeded", None
    row.finished_at = row.updated_at = utcnow()
    _record_usage(row, run)


def _record_usage(row: Job, run: JobRun) -> None:
    if run.usage.requests:
        row.token_usage = run.usage.as_json()


async def _failed_try(
    run: JobRun, exc: Exception, on_failure: OnError | None, on_retry: OnError | None
) -> bool:
    """Record a failed try; True when it is to be retried, False when the job has now failed."""
    error = describe(exc)
    retry = not isinstance(exc, PERMANENT) and run.attempt < run.services.settings.job_max_tries
    (logger.warning if retry else logger.error)("job %s try %d failed: %s", run.job_id, run.attempt, error)
    async with run.services.db.write() as session:
        row = await jobs_repo.claim(session, run.job_id)
        if row is None:
            return False
        _record_usage(row, run)
        if retry:
            row.status, row.last_error, row.updated_at = "queued", error, utcnow()
            if on_retry is not None:
                await on_retry(session, row, error)
        else:
            await _fail(session, row, error, on_failure)
    return retry


async def _fail(session: AsyncSession, row: Job, error: str, on_failure: OnError | None) -> None:
    row.status, row.last_error = "failed", error
    row.finished_at = row.updated_at = utcnow()
    if on_failure is not None:
        await on_failure(session, row, error)
