"""Readiness and start-up: /readyz names what failed (the database, its migration, Redis); a database or
Redis that does not answer is one line per try, retried with backoff, never a traceback loop."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import orjson
import pytest

from signalgraph.app import create_app
from signalgraph.health import wait_until_reachable
from signalgraph.logs import JsonFormatter
from signalgraph.settings import Settings
from signalgraph.storage.migrate import upgrade
from tests.conftest import POSTGRES_ADMIN_URL
from tests.factories import Api
from tests.jobs.conftest import shared_redis_url  # noqa: F401 - a fixture
from tests.serving import free_port, serve_process, serving
from tests.test_logs import captured

SIGNAL = {"text": "Exports time out on large workspaces.", "signalType": "support_ticket"}


def nowhere() -> str:
    """A Redis URL nothing listens on."""
    return f"redis://127.0.0.1:{free_port()}/0"


def clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env.update({f"SIGNALGRAPH_{name}": value for name, value in values.items()})
    return env


async def test_readyz_is_503_naming_redis_when_redis_is_down_and_requests_still_work(database_url):
    app = create_app(Settings(database_url=database_url, redis_url=nowhere()))
    async with serving(app) as base, httpx.AsyncClient(base_url=base) as http:
        api = await Api.create(app.state.services, http=http)
        ready = await http.get("/readyz")
        alive = await http.get("/healthz")
        with captured(JsonFormatter()) as out:
            created = await http.post("/external/v1/signals", json=SIGNAL,
                                      headers={**api.headers, "X-Request-Id": "req-redis-down"})
    assert ready.status_code == 503
    assert ready.json() | {"revision": None, "queue": None} == {
        "status": "unavailable", "failed": ["redis"], "database": "ok", "redis": "unreachable", "revision": None,
        "queue": None,
    }
    assert alive.status_code == 200
    # The signal is kept and its job row waits for the sweeper; the one warning says so, within the request.
    assert created.status_code == 201
    [warning] = [orjson.loads(line) for line in out.getvalue().splitlines() if "could not hand jobs" in line]
    assert (warning["level"], warning["request_id"], warning["key_prefix"]) == (
        "WARNING", "req-redis-down", api.key.split("_")[1]
    )
    assert "exception" not in warning


async def test_readyz_checks_redis_when_it_is_configured(database_url, shared_redis_url):  # noqa: F811
    app = create_app(Settings(database_url=database_url, redis_url=shared_redis_url))
    async with serving(app) as base, httpx.AsyncClient(base_url=base) as http:
        ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok" and ready.json()["redis"] == "ok" and ready.json()["database"] == "ok"


async def test_waiting_for_a_dependency_is_one_line_per_try_with_a_growing_delay(caplog):
    answers = iter(["Connection refused", "Connection refused", "Connection refused", None])
    slept: list[float] = []

    async def probe() -> str | None:
        return next(answers)

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    with caplog.at_level(logging.INFO, "signalgraph.health"):
        await wait_until_reachable("Redis", probe, sleep)
    assert slept == [1, 2, 4]
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "Redis is unreachable (Connection refused); trying again in 1 s"),
        ("WARNING", "Redis is unreachable (Connection refused); trying again in 2 s"),
        ("WARNING", "Redis is unreachable (Connection refused); trying again in 4 s"),
        ("INFO", "Redis is reachable again"),
    ]


def read_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.processes
def test_serve_with_a_missing_database_logs_one_line_per_try_and_sweep_not_tracebacks(tmp_path):
    missing = f"sg_opsobserve_missing_{uuid.uuid4().hex[:8]}"
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + f"/{missing}"
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log, serve_process(clean_env(DATABASE_URL=url, SWEEP_INTERVAL_SECONDS="1"),
                                                  stderr=log) as (_, base):
        deadline = time.monotonic() + 60
        while True:  # a bound on waiting for start-up, not a timed assertion
            try:
                ready = httpx.get(f"{base}/readyz")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        alive = httpx.get(f"{base}/healthz")
        time.sleep(3)  # a few sweeps and retries
    assert (ready.status_code, ready.json()["database"], ready.json()["failed"]) == (503, "unreachable", ["database"])
    assert alive.status_code == 200
    lines = read_lines(log_path)
    assert not [line for line in lines if "Traceback" in line or line.startswith((" ", "\t"))], lines
    unreachable = [line for line in lines if "database PostgreSQL" in line and "is unreachable" in line]
    assert unreachable and f'database "{missing}" does not exist' in unreachable[0]
    assert "trying again in 1 s" in unreachable[0]
    sweeps = [line for line in lines if "sweep skipped" in line]
    assert len(sweeps) >= 2 and all(f'database "{missing}" does not exist' in line for line in sweeps)


@pytest.mark.processes
def test_a_worker_waits_for_an_unreachable_redis_with_one_line_per_try(tmp_path):
    log_path = tmp_path / "worker.log"
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'w.db'}"
    upgrade(database_url)
    env = clean_env(DATABASE_URL=database_url, REDIS_URL=nowhere())
    with log_path.open("w") as log:
        worker = subprocess.Popen([sys.executable, "-m", "signalgraph.cli", "worker"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.monotonic() + 60  # a bound on waiting for start-up, not a timed assertion
            while len([line for line in read_lines(log_path) if "Redis is unreachable" in line]) < 3:
                assert worker.poll() is None, read_lines(log_path)  # still waiting, not dead
                assert time.monotonic() < deadline, read_lines(log_path)
                time.sleep(0.2)
        finally:
            worker.terminate()
            worker.wait(30)
    lines = read_lines(log_path)
    assert not [line for line in lines if "Traceback" in line or line.startswith((" ", "\t"))], lines
    tries = [line for line in lines if "Redis is unreachable" in line]
    assert len(tries) >= 2 and "trying again in 1 s" in tries[0] and "trying again in 2 s" in tries[1]
