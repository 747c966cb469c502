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
from arq.worker import func

from .. import __version__, health, metrics
from ..services import Services
from ..settings import Settings
from ..storage.engine import Database, describe_database
from . import indexing, products, signals
from .extractor_pool import ExtractorPool
from .queue import RUNNER_TIMEOUT_MARGIN_SECONDS, ArqQueue, JobFunction, describe_job_mode, runner_max_tries

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


class Worker(arq_worker.Worker):
    """arq's worker, without the Redis round trips it spends at every poll on the jobs it is running.

    A job stays in arq's queue until it finishes, and a poll lists the oldest `max_jobs` ids: mostly the
    ones this worker is running. arq checks each listed id in Redis (WATCH, EXISTS, ZSCORE, UNWATCH) only
    to skip it, four round trips per running job, twenty polls a second; one worker spent about as much
    of its event loop on that as on the job's writes (bench/README.md, "One worker"). A job this worker
    runs is skipped here without asking; every other id goes through arq's checks as before.
    """

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        await super().start_jobs([job_id for job_id in job_ids if job_id.decode() not in self.tasks])


def _every(seconds: int) -> dict[str, Any]:
    """arq cron fields for "every `seconds`" (exact when it divides a minute or an hour)."""
    if seconds < 60:
        return {"second": set(range(0, 60, seconds))}
    return {"minute": set(range(0, 60, max(1, seconds // 60))), "second": 0}


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    db = Database(settings.database_url)
    metrics.watch_pool(db)
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
    Worker(**worker_settings(settings), burst=burst).run()


async def _wait_for_dependencies(settings: Settings) -> None:
    services = Services(settings=settings, db=Database(settings.database_url), queue=ArqQueue(settings))
    try:
        await health.wait_for_dependencies(services)
    finally:
        await services.queue.close()
        await services.db.dispose()
