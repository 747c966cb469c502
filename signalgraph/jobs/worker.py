"""The job registry, and arq's worker settings built from it: one set of job functions, two runners.

`signalgraph worker` runs arq's Worker with `worker_settings(settings)`; without Redis the server's
`InProcessQueue` runs the same FUNCTIONS and PERIODIC functions itself.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from arq import cron
from arq import worker as arq_worker
from arq.connections import RedisSettings
from arq.constants import in_progress_key_prefix
from arq.utils import timestamp_ms
from arq.worker import func

from .. import __version__, health, metrics
from ..services import Services
from ..settings import Settings
from ..storage.engine import Database, describe_database
from . import indexing, products, signals
from .extractor_pool import ExtractorPool
from .queue import (
    MAX_JOBS,
    RUNNER_TIMEOUT_MARGIN_SECONDS,
    ArqQueue,
    JobFunction,
    describe_job_mode,
    runner_max_tries,
)

logger = logging.getLogger(__name__)
from .sweeper import sweep_jobs

# kind → async def job(ctx, target_id). The kind is also the arq function name and the job row's kind.
FUNCTIONS: dict[str, JobFunction] = {
    f.kind: f  # type: ignore[attr-defined]
    for f in (
        signals.process_signal,
        products.analyze_product,
        indexing.index_context_unit,
        indexing.index_context_document,
    )
}
# Run every settings.sweep_interval_seconds (and once at start-up) by either runner.
PERIODIC: tuple[JobFunction, ...] = (sweep_jobs,)
# How often arq looks for jobs when it has a free slot (arq's default is 0.5 s). arq polls the queue and
# only starts jobs at a poll, so a slot freed by a finished job stayed empty until the next one: with
# jobs of a few tens of milliseconds, one worker spent most of each half second idle (bench/README.md,
# "One worker"). A poll is one ZRANGEBYSCORE, so polling 20 times a second costs Redis and the worker
# next to nothing.
POLL_DELAY_SECONDS = 0.05


# arq's claim of a listed job (Worker.start_jobs: WATCH the in-progress key, EXISTS, ZSCORE, then MULTI,
# PSETEX, EXEC, five round trips) as one script, atomic as the transaction was: the job's score when it
# was free to start and is now marked in progress, else nil. KEYS: in-progress key, queue; ARGV: job id,
# now (ms), in-progress mark's lifetime (ms).
CLAIM_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local score = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not score or tonumber(score) > tonumber(ARGV[2]) then return false end
redis.call('PSETEX', KEYS[1], ARGV[3], '1')
return score
"""


class Worker(arq_worker.Worker):
    """arq's worker, with fewer Redis round trips per job (arq 0.26 to 0.28 claim jobs the same way).

    A job stays in arq's queue until it finishes, and a poll lists the oldest `max_jobs` ids: mostly the
    ones this worker is running. arq checked each listed id in Redis (WATCH, EXISTS, ZSCORE, UNWATCH) only
    to skip it, and claimed a free one in five round trips, twenty polls a second; one worker spent about
    as much of its event loop on that as on a job's writes (bench/README.md, "One worker"). Here a job
    this worker runs is skipped without asking, and a free one is claimed by one script doing the same
    checks and the same write.
    """

    _claim: Any = None

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        if self._claim is None:
            self._claim = self.pool.register_script(CLAIM_SCRIPT)
        for job_id in (j.decode() for j in job_ids):
            if job_id in self.tasks:
                continue
            await self.sem.acquire()
            if self.job_counter >= self.max_jobs:
                self.sem.release()
                return
            self.job_counter += 1
            keys = [in_progress_key_prefix + job_id, self.queue_name]
            score = await self._claim(keys=keys, args=[job_id, timestamp_ms(), int(self.in_progress_timeout_s * 1000)])
            if score is None:  # running elsewhere, finished, or deferred meanwhile
                self.job_counter -= 1
                self.sem.release()
                continue
            task = self.loop.create_task(self.run_job(job_id, int(float(score))))
            task.add_done_callback(lambda _: self._release_sem_dec_counter_on_complete())
            self.tasks[job_id] = task


def _every(seconds: int) -> dict[str, Any]:
    """arq cron fields for "every `seconds`" (exact when it divides a minute or an hour)."""
    if seconds < 60:
        return {"second": set(range(0, 60, seconds))}
    return {"minute": set(range(0, 60, max(1, seconds // 60))), "second": 0}


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    # Every running job may hold a read session while the writer and a heartbeat hold others: with fewer
    # pooled connections, the pool opened and closed overflow connections all the time (a thread and the
    # pragmas each, on SQLite).
    db = Database(settings.database_url, pool_size=MAX_JOBS + 2)
    metrics.watch_pool(db)
    await db.open_connections(MAX_JOBS + 2)
    services = Services(settings=settings, db=db, queue=ArqQueue(settings, ctx["redis"]))
    ctx["services"] = services
    if settings.llm_base_url is None and settings.worker_extractor_processes > 0:
        services.extractor_pool = ExtractorPool(settings.worker_extractor_processes)
        await services.extractor_pool.start()


async def shutdown(ctx: dict[str, Any]) -> None:
    services: Services | None = ctx.get("services")
    if services is not None:
        if services.extractor_pool is not None:
            await services.extractor_pool.close()
        await services.db.dispose()


def worker_settings(settings: Settings, functions: dict[str, JobFunction] | None = None) -> dict[str, Any]:
    """Keyword arguments for arq's Worker. Results are not kept: the job rows are the record."""
    if settings.redis_url is None:
        raise ValueError("a worker needs SIGNALGRAPH_REDIS_URL")
    timeout = settings.job_timeout_seconds + RUNNER_TIMEOUT_MARGIN_SECONDS
    return {
        "functions": [
            func(f, name=name, timeout=timeout, max_tries=runner_max_tries(settings))
            for name, f in (functions or FUNCTIONS).items()
        ],
        "cron_jobs": [
            # Named after the queue: cron job ids are global in Redis, queues are not.
            cron(
                f,
                name=f"cron:{f.__name__}:{settings.queue_name}",
                run_at_startup=True,
                unique=True,
                **_every(settings.sweep_interval_seconds),
            )
            for f in PERIODIC
        ],
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "queue_name": settings.queue_name,
        "on_startup": startup,
        "on_shutdown": shutdown,
        "ctx": {"settings": settings},
        "job_timeout": timeout,
        "max_tries": runner_max_tries(settings),
        "keep_result": 0,
        "poll_delay": POLL_DELAY_SECONDS,
        "max_jobs": MAX_JOBS,
    }


def run_worker(
    settings: Settings, *, burst: bool = False, metrics_port: int | None = None, metrics_host: str = "127.0.0.1"
) -> None:
    """Run until SIGINT/SIGTERM (or, with `burst`, until the queue is empty), once Redis and the database
    answer: until then, one line per try (health.py), not arq's retries ending in a traceback. With
    `metrics_port`, /metrics is served on it from the start (metrics.py)."""
    if metrics_port is not None:
        metrics.serve_in_thread(metrics_host, metrics_port, settings.metrics_token)
        logger.info("metrics on http://%s:%d/metrics", metrics_host, metrics_port)
    asyncio.run(_wait_for_dependencies(settings))
    logger.info(
        "Signalgraph %s worker: database %s, jobs %s",
        __version__, describe_database(settings.database_url), describe_job_mode(settings),
    )
    asyncio.set_event_loop(new_event_loop())
    Worker(**worker_settings(settings), burst=burst).run()


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop's event loop where it is installed, as uvicorn picks for the server: a job is a dozen round
    trips to PostgreSQL and Redis, and asyncio's own loop spent a sixth of the worker's busy time on their
    wake-ups (bench/README.md, "One worker")."""
    try:
        import uvloop
    except ImportError:  # not on Windows (pyproject.toml)
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


async def _wait_for_dependencies(settings: Settings) -> None:
    services = Services(settings=settings, db=Database(settings.database_url), queue=ArqQueue(settings))
    try:
        await health.wait_for_dependencies(services)
    finally:
        await services.queue.close()
        await services.db.dispose()
