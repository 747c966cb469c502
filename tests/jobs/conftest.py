"""Fixtures for the jobs layer: services on a test database with either runner, a shared Redis (skipped
with a reason when absent, required under SIGNALGRAPH_TEST_REQUIRE_SERVICES=1), a private Redis that tests
may stop and start, and arq workers in this process or as subprocesses."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import update

from signalgraph.app import create_app
from signalgraph.jobs.queue import ArqQueue, InProcessQueue, JobQueue, JobRef, schedule
from signalgraph.jobs.worker import FUNCTIONS, Worker, worker_settings
from signalgraph.services import Services
from signalgraph.settings import Settings
from signalgraph.storage.engine import Database
from signalgraph.storage.models import Job
from signalgraph.storage.repositories import jobs as jobs_repo
from signalgraph.storage.repositories import workspaces as workspaces_repo
from tests.conftest import BACKENDS, migrated_database, service_unavailable
from tests.factories import Api
from tests.jobs.sample_jobs import TEST_FUNCTIONS
from tests.serving import serving

SHARED_REDIS_URL = os.environ.get("SIGNALGRAPH_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ALL_FUNCTIONS = {**FUNCTIONS, **TEST_FUNCTIONS}
ROOT = Path(__file__).resolve().parents[2]


def job_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings for fast jobs: short retry delays and timeouts, few tries, no periodic sweeps."""
    base = Settings(
        database_url=database_url, job_max_tries=3, job_retry_delay_seconds=0.01, job_timeout_seconds=5,
        processing_timeout_seconds=60, sweep_interval_seconds=3600,
    )
    return dataclasses.replace(base, **overrides)


@dataclass
class Harness:
    """Services on the test database with one runner, and one fresh workspace to work in."""

    services: Services
    workspace_id: str

    @property
    def db(self) -> Database:
        return self.services.db

    @property
    def queue(self) -> JobQueue:
        return self.services.queue

    async def schedule(self, kind: str, target_id: str | None = None, version: str = "1") -> JobRef:
        async with self.db.write() as session:
            return await schedule(session, self.workspace_id, kind, target_id or str(uuid.uuid4()), version)

    async def row(self, job_id: str) -> Job:
        async with self.db.read() as session:
            row = await jobs_repo.get(session, self.workspace_id, job_id)
        assert row is not None
        return row

    async def set_row(self, job_id: str, **values: Any) -> None:
        async with self.db.write() as session:
            await session.execute(update(Job).where(Job.id == job_id).values(**values))

    async def wait_for(self, job_id: str, *statuses: str, timeout: float = 60) -> Job:
        """Poll the row until it has one of `statuses` (a bound on waiting, not a timed assertion)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            row = await self.row(job_id)
            if row.status in statuses or loop.time() > deadline:
                return row
            await asyncio.sleep(0.05)


async def new_workspace(db: Database) -> str:
    async with db.write() as session:
        workspace, _ = await workspaces_repo.get_or_create_workspace(session, f"jobs-{uuid.uuid4().hex[:10]}")
    return workspace.id


@pytest.fixture(scope="module", params=BACKENDS)
async def jobs_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A fresh database for one module of these tests. The sweeper looks at every job of its database, so
    these tests keep away from the shared test database, where the shared server leaves jobs queued."""
    async with migrated_database(request.param, tmp_path_factory) as url:
        yield url


@pytest.fixture
async def make_harness(jobs_database_url: str):
    """make_harness(redis_url=None, **settings) → a Harness; its database and queue are closed after the test."""
    made: list[Harness] = []

    async def make(**overrides: Any) -> Harness:
        settings = job_settings(jobs_database_url, **overrides)
        db = Database(settings.database_url)
        services = Services(settings=settings, db=db, queue=None)  # type: ignore[arg-type]
        if settings.redis_url:
            services.queue = ArqQueue(settings)
        else:
            services.queue = InProcessQueue(settings, ALL_FUNCTIONS, {"services": services})
        harness = Harness(services, await new_workspace(db))
        made.append(harness)
        return harness

    yield make
    for harness in made:
        await harness.queue.close()
        async with harness.db.write() as session:  # nothing of this test is left for another test's sweeper
            await session.execute(
                update(Job).where(Job.workspace_id == harness.workspace_id, Job.status.in_(("queued", "running")))
                .values(status="failed", last_error="left by a test")
            )
        await harness.db.dispose()


@pytest.fixture(scope="session")
async def shared_redis_url() -> str:
    client = Redis.from_url(SHARED_REDIS_URL, socket_connect_timeout=2)
    try:
        await client.ping()
    except (RedisError, OSError) as exc:
        service_unavailable(f"Redis at {SHARED_REDIS_URL}", exc)
    finally:
        await client.aclose()
    return SHARED_REDIS_URL


@pytest.fixture
async def queue_name(shared_redis_url: str) -> AsyncIterator[str]:
    """A queue of this test's own on the shared Redis; its keys are deleted afterwards."""
    name = f"sg-test:{uuid.uuid4().hex}"
    yield name
    client = Redis.from_url(shared_redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"*{name}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


class PrivateRedis:
    """A redis-server of this test's own on a unix socket, which the test may stop and start again."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="sg-redis-"))
        self.socket = self.directory / "redis.sock"
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            "redis-server", "--port", "0", "--unixsocket", str(self.socket), "--unixsocketperm", "700",
            "--save", "", "--appendonly", "no", "--dir", str(self.directory),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = Redis(unix_socket_path=str(self.socket))
        try:
            for _ in range(200):
                try:
                    await client.ping()
                    return
                except (RedisError, OSError):
                    await asyncio.sleep(0.025)
            raise RuntimeError("private redis-server did not start")
        finally:
            await client.aclose()

    async def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            await self.process.wait()
            self.process = None


@pytest.fixture
async def private_redis() -> AsyncIterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        service_unavailable("redis-server (for a private Redis)", "not installed")
    redis = PrivateRedis()
    await redis.start()
    try:
        yield redis
    finally:
        await redis.stop()
        shutil.rmtree(redis.directory, ignore_errors=True)


async def run_burst_worker(settings: Settings, functions: dict | None = None) -> Worker:
    """An arq worker in this process until its queue is empty (its start-up sweep included)."""
    worker = Worker(**worker_settings(settings, functions or ALL_FUNCTIONS), burst=True, handle_signals=False)
    try:
        await worker.async_run()
    finally:
        await worker.close()
    return worker


class WorkerProcess:
    """A worker subprocess, started with `argv` and the settings as SIGNALGRAPH_* variables."""

    def __init__(self, settings: Settings, argv: list[str]):
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.update({
            "SIGNALGRAPH_DATABASE_URL": settings.database_url,
            "SIGNALGRAPH_REDIS_URL": settings.redis_url or "",
            "SIGNALGRAPH_QUEUE_NAME": settings.queue_name,
            "SIGNALGRAPH_JOB_MAX_TRIES": str(settings.job_max_tries),
            "SIGNALGRAPH_JOB_TIMEOUT_SECONDS": str(settings.job_timeout_seconds),
            "SIGNALGRAPH_JOB_RETRY_DELAY_SECONDS": str(int(settings.job_retry_delay_seconds)),
            "SIGNALGRAPH_PROCESSING_TIMEOUT_SECONDS": str(settings.processing_timeout_seconds),
            "SIGNALGRAPH_SWEEP_INTERVAL_SECONDS": str(settings.sweep_interval_seconds),
        })
        for name, value in (("LLM_BASE_URL", settings.llm_base_url), ("LLM_MODEL", settings.llm_model),
                            ("LLM_TIMEOUT_SECONDS", settings.llm_timeout_seconds)):
            if value is not None:
                env[f"SIGNALGRAPH_{name}"] = str(int(value) if isinstance(value, float) else value)
        self.process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    async def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            await asyncio.to_thread(self.process.wait, 20)


@pytest.fixture
async def worker_processes() -> AsyncIterator[list[WorkerProcess]]:
    """Start workers with `worker_processes.append(WorkerProcess(...))`; all are stopped after the test."""
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        await worker.stop()



SIGNALGRAPH_WORKER_ARGV = [sys.executable, "-m", "signalgraph.cli", "worker"]


@dataclass
class RunningApp:
    http: httpx.AsyncClient
    services: Services

    async def api(self, **kwargs: Any) -> Api:
        return await Api.create(self.services, http=self.http, **kwargs)


@asynccontextmanager
async def running_app(settings: Settings) -> AsyncIterator[RunningApp]:
    """The whole app with these settings behind a real uvicorn on this test loop."""
    app = create_app(settings)
    async with serving(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        yield RunningApp(http, app.state.services)


SIGNAL_STATE = "query($publicId: String!) { signal(publicId: $publicId) { status } }"


async def wait_for_signal(api: Api, public_id: str, *statuses: str, timeout: float = 60) -> str:
    """Poll the signal until it has one of `statuses` (a bound on waiting, not a timed assertion)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        status = (await api.ok(SIGNAL_STATE, {"publicId": public_id}))["signal"]["status"]
        if status in statuses or loop.time() > deadline:
            return status
        await asyncio.sleep(0.1)
