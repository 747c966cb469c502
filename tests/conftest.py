"""Test fixtures: a fresh, migrated database per backend (SQLite and PostgreSQL), a real HTTP server
(uvicorn on a free port) in front of the app, and API keys made per test in fresh workspaces."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from signalgraph.app import create_app
from signalgraph.jobs.worker import FUNCTIONS
from signalgraph.services import Services
from signalgraph.settings import Settings
from signalgraph.storage.migrate import upgrade_async

from .factories import Api
from .jobs.held_queue import HeldQueue
from .serving import serving

REQUIRE_SERVICES = os.environ.get("SIGNALGRAPH_TEST_REQUIRE_SERVICES") == "1"
POSTGRES_ADMIN_URL = os.environ.get("SIGNALGRAPH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgres"]


def service_unavailable(what: str, why: object) -> None:
    """Skip with a visible reason; under SIGNALGRAPH_TEST_REQUIRE_SERVICES=1 (CI), fail instead."""
    message = f"{what} is not reachable ({why})"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}, and SIGNALGRAPH_TEST_REQUIRE_SERVICES=1 requires it", pytrace=False)
    pytest.skip(message)


async def _postgres_admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        service_unavailable(f"PostgreSQL at {POSTGRES_ADMIN_URL}", exc)
        raise


class PostgresDatabase:
    """A throwaway database on the shared server, dropped when the session ends."""

    def __init__(self) -> None:
        self.name = f"sg_test_{uuid.uuid4().hex[:12]}"

    async def create(self) -> str:
        admin = await _postgres_admin()
        try:
            await admin.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await admin.close()
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        return f"{base}/{self.name}"

    async def drop(self) -> None:
        admin = await _postgres_admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture(scope="session", params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A fresh database, migrated from empty by Alembic, for the whole session of one backend."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "signalgraph.db"
        url = f"sqlite+aiosqlite:///{path}"
        await upgrade_async(url)
        yield url
        return
    pg = PostgresDatabase()
    url = await pg.create()
    try:
        await upgrade_async(url)
        yield url
    finally:
        await pg.drop()


@pytest.fixture(params=BACKENDS)
async def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A new, empty database of each backend (no migration applied), for tests that migrate it themselves."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    pg = PostgresDatabase()
    url = await pg.create()
    try:
        yield url
    finally:
        await pg.drop()


class RunningServer:
    def __init__(self, base_url: str, services: Services):
        self.base_url = base_url
        self.services = services


@pytest.fixture(scope="session")
async def server(database_url: str) -> AsyncIterator[RunningServer]:
    """The real app behind a real uvicorn, on this test loop."""
    app = create_app(Settings(database_url=database_url))
    services = app.state.services
    services.queue = HeldQueue(services.settings, FUNCTIONS, {"services": services})  # jobs run on drain()
    async with serving(app) as base_url:
        yield RunningServer(base_url, services)


@pytest.fixture(scope="session")
async def http(server: RunningServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def services(server: RunningServer) -> Services:
    """The server's services; `await services.queue.drain()` runs the jobs this test's requests queued."""
    server.services.queue.forget()
    return server.services


@pytest.fixture
def make_api(http: httpx.AsyncClient, services: Services):
    """make_api(scopes=None, workspace=None) → an Api client with a new key (all scopes by default)."""

    async def make(scopes: list[str] | None = None, workspace: str | None = None) -> Api:
        return await Api.create(http, services, scopes=scopes, workspace=workspace)

    return make


@pytest.fixture
async def api(make_api) -> Api:
    """An all-scopes key in a fresh workspace."""
    return await make_api()


@pytest.fixture
def server_errors(caplog):
    """server_errors() → the ERROR records logged so far in the test, uvicorn's own (the tracebacks of
    exceptions that escape the app, on a logger that does not propagate) included."""
    uvicorn_error = logging.getLogger("uvicorn.error")
    uvicorn_error.addHandler(caplog.handler)
    yield lambda: [record for record in caplog.records if record.levelno >= logging.ERROR]
    uvicorn_error.removeHandler(caplog.handler)
