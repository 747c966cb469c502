"""Scheduling and enqueueing jobs, for both runners: arq on Redis, or in-process without Redis.

Work is asked for in two steps. Inside the transaction that makes it necessary, `schedule` writes the
job's row (its persisted state) under a deterministic id; after the commit, `queue.enqueue(job)`
hands it to the runner. An enqueue that fails (Redis down) is logged, not raised: the row stays
`queued` and the sweeper hands it over again, and the same id makes a second hand-over a no-op.
Jobs take ids, never objects.

A request never waits on Redis for long: the hand-over runs as a task of its own, the request waits for
it at most REQUEST_WAIT_SECONDS (a healthy Redis answers in a millisecond), and after a failure a circuit
breaker stops trying for BREAKER_PAUSE_SECONDS (said once in the log and shown in /readyz): meanwhile
enqueue answers False at once and the work waits for the sweeper.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from arq import Retry
from arq.connections import ArqRedis, RedisSettings
from arq.constants import in_progress_key_prefix, job_key_prefix, result_key_prefix
from arq.jobs import serialize_job
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

from .. import logs, metrics
from ..settings import Settings
from ..storage.repositories import jobs as jobs_repo

logger = logging.getLogger(__name__)

JobFunction = Callable[..., Awaitable[Any]]
# The runner's own deadline exceeds the job's (settings.job_timeout_seconds, enforced by the job
# wrapper) by this much, so a job that overruns is failed or retried by our code, not cut off by arq.
RUNNER_TIMEOUT_MARGIN_SECONDS = 5
MAX_JOBS = 10  # run at once by one arq worker (arq's default), and by the in-process runner
REDIS_TIMEOUT_SECONDS = 5
PING_TIMEOUT_SECONDS = 2  # /readyz and the start-up wait: a Redis that hangs is not ready
HAND_OVER_TIMEOUT_SECONDS = 2.0  # one enqueue on Redis, in its own task
REQUEST_WAIT_SECONDS = 0.25  # what a request waits of it before answering (the task goes on)
BREAKER_PAUSE_SECONDS = 30.0  # no hand-over is tried for this long after one failed


# The job kinds: each names one job function (jobs/<domain>.py) and is part of every job's id.
PROCESS_SIGNAL = "process_signal"
ANALYZE_PRODUCT = "analyze_product"
INDEX_CONTEXT_UNIT = "index_context_unit"
INDEX_CONTEXT_DOCUMENT = "index_context_document"


@dataclass(frozen=True)
class JobRef:
    kind: str
    target_id: str
    id: str


def stamp(moment: datetime) -> str:
    """A version for a job id from a row's `updated_at`: each change of the row gets its own job."""
    return str(int(moment.timestamp() * 1_000_000))


async def schedule(
    session: AsyncSession, workspace_id: str, kind: str, target_id: str, version: str | int
) -> JobRef:
    """Record the job in the caller's transaction; enqueue the returned ref after the commit."""
    job = JobRef(kind=kind, target_id=target_id, id=f"{kind}:{target_id}:{version}")
    await jobs_repo.add(session, workspace_id, job.id, kind, target_id)
    return job


class JobQueue(Protocol):
    async def enqueue(self, job: JobRef) -> bool:
        """Hand the job to the runner; False when that failed (the sweeper will retry)."""

    async def ping(self) -> str | None:
        """None when the runner can take jobs (Redis answers), else why not (one line)."""

    async def release(self, job: JobRef) -> None:
        """Forget that a lost worker was running `job`, so the runner may start it again at once."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    def health(self) -> dict[str, Any]:
        """How hand-overs go, for /readyz."""


def runner_max_tries(settings: Settings) -> int:
    """One more than the job's own limit: the job wrapper decides when to give up and records it."""
    return settings.job_max_tries + 1


class InProcessQueue:
    """Runs the job functions as tasks of the server's own loop, with arq's retry semantics.

    A job raising `Retry(defer=…)` runs again after the delay; an id already queued or running here
    is not queued twice; `periodic` functions (the sweeper) run every `settings.sweep_interval_seconds`.
    At most `MAX_JOBS` tries run at once, as in an arq worker: the others wait their turn before they
    open a session or read their target, so a burst of creates costs a waiting task each, not a running job.
    """

    def __init__(
        self,
        settings: Settings,
        functions: dict[str, JobFunction],
        job_context: dict[str, Any],
        periodic: Sequence[JobFunction] = (),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self._settings = settings
        self._functions = functions
        self._context = job_context
        self._periodic = periodic
        self._sleep = sleep  # how a retry waits out its delay (tests record it)
        self._active: dict[str, asyncio.Task] = {}
        self._slots = asyncio.Semaphore(MAX_JOBS)
        self._background: list[asyncio.Task] = []

    async def enqueue(self, job: JobRef) -> bool:
        if job.id not in self._active:
            metrics.JOBS_ENQUEUED.labels(job.kind).inc()
            task = asyncio.create_task(self._run(job), name=f"job:{job.id}")
            self._active[job.id] = task
            task.add_done_callback(lambda _: self._active.pop(job.id, None))
        return True

    async def _run(self, job: JobRef) -> None:
        function = self._functions[job.kind]
        timeout = self._settings.job_timeout_seconds + RUNNER_TIMEOUT_MARGIN_SECONDS
        for job_try in range(1, runner_max_tries(self._settings) + 1):
            try:
                async with self._slots:
                    await asyncio.wait_for(
                        function({**self._context, "job_id": job.id, "job_try": job_try}, job.target_id), timeout
                    )
                return
            except Retry as retry:
                await self._sleep((retry.defer_score or 0) / 1000)
            except Exception:
                logger.exception("job %s failed", job.id)
                return
        logger.warning("job %s: max tries exceeded", job.id)

    async def ping(self) -> str | None:
        return None

    async def release(self, job: JobRef) -> None:
        """Nothing to forget: a task of this process that is gone is not in `_active`."""

    async def _every(self, function: JobFunction) -> None:
        while True:
            try:
                await function(dict(self._context))
            except Exception:
                logger.exception("periodic job %s failed", function.__name__)
            await asyncio.sleep(self._settings.sweep_interval_seconds)

    async def start(self) -> None:
        """Start the periodic functions; their first run picks up work a previous process left."""
        self._background = [
            asyncio.create_task(self._every(f), name=f"every:{f.__name__}") for f in self._periodic
        ]

    async def drain(self) -> None:
        """Wait until no job is queued or running here: used by tests."""
        while self._active:
            await asyncio.gather(*list(self._active.values()), return_exceptions=True)

    def health(self) -> dict[str, Any]:
        return {"mode": "in-process", "status": "ok"}

    async def close(self) -> None:
        """Stop everything; unfinished jobs keep their rows and are swept by the next process."""
        tasks = self._background + list(self._active.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def redis_client(settings: Settings) -> ArqRedis:
    """A client for `settings.redis_url` that connects on first use, so start-up never waits on Redis."""
    assert settings.redis_url is not None
    conf = RedisSettings.from_dsn(settings.redis_url)
    return ArqRedis(
        host=conf.host,
        port=conf.port,
        unix_socket_path=conf.unix_socket_path,
        db=conf.database,
        username=conf.username,
        password=conf.password,
        ssl=conf.ssl,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        default_queue_name=settings.queue_name,
    )


class CircuitBreaker:
    """Open for `pause` seconds after a failure; the first failure of an outage and the recovery are
    logged, once each."""

    def __init__(self, pause: float = BREAKER_PAUSE_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.pause = pause
        self._clock = clock
        self._open_until = 0.0
        self.failure: str | None = None  # why the last hand-over failed, until one succeeds

    @property
    def is_open(self) -> bool:
        return self._clock() < self._open_until

    def failed(self, why: str) -> None:
        if self.failure is None:
            logger.warning(
                "could not hand jobs to Redis (%s): not trying for %.0f s; the sweeper queues them later", why, self.pause
            )
        self.failure = why
        self._open_until = self._clock() + self.pause

    def succeeded(self) -> None:
        if self.failure is not None:
            logger.info("Redis takes jobs again")
        self.failure = None
        self._open_until = 0.0

    def health(self) -> dict[str, Any]:
        if self.failure is None:
            return {"status": "ok"}
        return {
            "status": "paused" if self.is_open else "retrying",
            "error": self.failure,
            "retryInSeconds": max(0, round(self._open_until - self._clock())),
        }


# arq's enqueue_job in one round trip. arq sends WATCH, EXISTS, then MULTI/PSETEX/ZADD/EXEC and UNWATCH: four
# round trips, which a request creating a signal waited for (bench/README.md, "POST with the enqueue"). The
# script writes the same job, under the same keys, as arq would, and likewise does nothing when the job or
# its result is already there. KEYS: job key, result key, queue; ARGV: expiry (ms), job, score, job id.
ENQUEUE_SCRIPT = """
if redis.call('EXISTS', KEYS[1], KEYS[2]) > 0 then return 0 end
redis.call('PSETEX', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
return 1
"""


class ArqQueue:
    """Enqueues on Redis for `signalgraph worker` processes; the workers run the sweeper."""

    def __init__(self, settings: Settings, redis: ArqRedis | None = None, breaker: CircuitBreaker | None = None):
        self._owned = redis is None
        self.redis = redis or redis_client(settings)
        self.breaker = breaker or CircuitBreaker()
        self._hand_overs: set[asyncio.Task] = set()
        self._queue_name = settings.queue_name
        self._enqueue_script = self.redis.register_script(ENQUEUE_SCRIPT)

    async def _enqueue_job(self, job: JobRef) -> None:
        """What arq's `enqueue_job(job.kind, job.target_id, _job_id=job.id)` does, in one round trip."""
        now = int(time.time() * 1000)
        payload = serialize_job(job.kind, (job.target_id,), {}, None, now, serializer=self.redis.job_serializer)
        await self._enqueue_script(
            keys=[job_key_prefix + job.id, result_key_prefix + job.id, self._queue_name],
            args=[self.redis.expires_extra_ms, payload, now, job.id],
        )

    async def enqueue(self, job: JobRef) -> bool:
        """True once Redis has the job; False when the breaker is open, Redis failed, or it has not
        answered within REQUEST_WAIT_SECONDS (the hand-over goes on; the row stays for the sweeper)."""
        if self.breaker.is_open:
            return False
        task = asyncio.create_task(self._hand_over(job), name=f"enqueue:{job.id}")
        self._hand_overs.add(task)
        task.add_done_callback(self._hand_overs.discard)
        try:
            return await asyncio.wait_for(asyncio.shield(task), REQUEST_WAIT_SECONDS)
        except TimeoutError:
            return False

    async def _hand_over(self, job: JobRef) -> bool:
        try:
            # None means a job with this id is already queued or running: that is success too.
            await asyncio.wait_for(self._enqueue_job(job), HAND_OVER_TIMEOUT_SECONDS)
        except (TimeoutError, RedisError, OSError) as exc:
            self.breaker.failed(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            return False
        self.breaker.succeeded()
        metrics.JOBS_ENQUEUED.labels(job.kind).inc()
        return True

    def health(self) -> dict[str, Any]:
        return {"mode": "redis", **self.breaker.health()}

    async def release(self, job: JobRef) -> None:
        """arq keeps a job it started in its queue with an in-progress mark that expires only after the job
        timeout: without the mark, the next worker to poll runs the job of a lost worker now."""
        try:
            await asyncio.wait_for(self.redis.delete(in_progress_key_prefix + job.id), HAND_OVER_TIMEOUT_SECONDS)
        except (TimeoutError, RedisError, OSError) as exc:
            self.breaker.failed(logs.one_line(exc) or type(exc).__name__)

    async def ping(self) -> str | None:
        try:
            await asyncio.wait_for(self.redis.ping(), PING_TIMEOUT_SECONDS)
        except (TimeoutError, RedisError, OSError) as exc:
            return logs.one_line(exc) or "timed out"
        return None

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        for task in list(self._hand_overs):
            task.cancel()
        await asyncio.gather(*self._hand_overs, return_exceptions=True)
        if self._owned:
            await self.redis.aclose()


def describe_job_mode(settings: Settings) -> str:
    """How jobs run, for a log line: in-process, or on which Redis (no password)."""
    if settings.redis_url is None:
        return "in-process (no SIGNALGRAPH_REDIS_URL)"
    conf = RedisSettings.from_dsn(settings.redis_url)
    where = conf.unix_socket_path or f"{conf.host}:{conf.port}"
    return f"on Redis {where}/{conf.database} (queue {settings.queue_name})"


def create_queue(
    settings: Settings,
    functions: dict[str, JobFunction],
    job_context: dict[str, Any],
    periodic: Sequence[JobFunction] = (),
) -> JobQueue:
    """In-process without Redis; arq on Redis otherwise."""
    if settings.redis_url is None:
        return InProcessQueue(settings, functions, job_context, periodic)
    return ArqQueue(settings)
