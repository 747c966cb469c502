"""Test fixtures: a fresh, migrated database per backend (SQLite and PostgreSQL), the app on it, and API
keys made per test in fresh workspaces. GraphQL tests run in-process against the schema; the tests whose
subject is HTTP (REST, the app, uploads) get a real uvicorn on a free port in front of the same app."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
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

# Test files (SQLite databases, backups, the CLI's databases) go to memory where there is a tmpfs: a test
# database need not survive a crash, and on this machine's disk the fsyncs of one SQLite migration take
# 3.5 s against 0.2 s. Set before pytest makes its temporary directories; subprocesses inherit it.
if "TMPDIR" not in os.environ and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    os.environ["TMPDIR"] = "/dev/shm"
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again

REQUIRE_SERVICES = os.environ.get("SIGNALGRAPH_TEST_REQUIRE_SERVICES") == "1"
POSTGRES_ADMIN_URL = os.environ.get("SIGNALGRAPH_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgres"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start processes of their own take longest: they go first, so that none runs last on its
    own. xdist hands each worker a first chunk of consecutive tests, so they all start on one worker; the
    others take them over with `--dist worksteal` (Makefile)."""
    items.sort(key=lambda item: item.get_closest_marker("processes") is None)


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

    @property
    def url(self) -> str:
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
        return f"{base}/{self.name}"

    async def create(self, template: str | None = None) -> str:
        admin = await _postgres_admin()
        try:
            if template is None:
                await admin.execute(f'CREATE DATABASE "{self.name}"')
            else:
                await admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
            # A test database need not survive a crash of the server: commits skip the wait for the disk.
            await admin.execute(f'ALTER DATABASE "{self.name}" SET synchronous_commit = off')
        finally:
            await admin.close()
        return self.url

    async def drop(self) -> None:
        admin = await _postgres_admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await admin.close()


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


class MigratedTemplates:
    """One database per backend migrated from empty by Alembic, once per test process; the migrated
    databases the tests get are copies of it (a file copy for SQLite, CREATE DATABASE … TEMPLATE for
    PostgreSQL: half a second against three for running the migrations again). PostgreSQL databases
    made from it are dropped together when the session ends."""

    def __init__(self) -> None:
        self._sqlite: Path | None = None
        self._postgres: PostgresDatabase | None = None
        self._lock = asyncio.Lock()
        self.to_drop: list[PostgresDatabase] = []

    async def sqlite(self) -> Path:
        async with self._lock:
            if self._sqlite is None:
                path = Path(tempfile.mkdtemp(prefix="sg-template-")) / "signalgraph.db"
                await upgrade_async(f"sqlite+aiosqlite:///{path}")  # its engine is disposed: nothing left in a WAL
                self._sqlite = path
            return self._sqlite

    async def postgres(self) -> str:
        async with self._lock:
            if self._postgres is None:
                template = PostgresDatabase()
                template.name += "_template"
                url = await template.create()
                self.to_drop.append(template)
                await upgrade_async(url)
                self._postgres = template
            return self._postgres.name

    async def drop_all(self) -> None:
        dropping, self.to_drop = self.to_drop, []
        results = await asyncio.gather(*(database.drop() for database in dropping), return_exceptions=True)
        if self._sqlite is not None:
            shutil.rmtree(self._sqlite.parent, ignore_errors=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result


TEMPLATES = MigratedTemplates()


@pytest.fixture(scope="session", autouse=True)
async def _drop_test_databases() -> AsyncIterator[None]:
    """At the end of the session, the PostgreSQL databases of migrated_database and their template go,
    all at once (one DROP DATABASE takes about a second)."""
    yield
    await TEMPLATES.drop_all()


@contextlib.asynccontextmanager
async def migrated_database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A fresh database of `backend`, a copy of one migrated from empty by Alembic (MigratedTemplates);
    a PostgreSQL one is dropped when the session ends."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "signalgraph.db"
        shutil.copyfile(await TEMPLATES.sqlite(), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template = await TEMPLATES.postgres()
    database = PostgresDatabase()
    url = await database.create(template=template)
    TEMPLATES.to_drop.append(database)
    yield url


class RunningServer:
    def __init__(self, base_url: str, services: Services, http: httpx.AsyncClient):
        self.base_url = base_url
        self.services = services
        self.http = http


class Backend:
    """One database backend for the session: its database, migrated from empty by Alembic; the app on it,
    whose services the in-process tests share (jobs held until a test drains them); and, once a test asks
    for HTTP, a real uvicorn in front of that app, on this test loop."""

    def __init__(self, database_url: str, stack: contextlib.AsyncExitStack):
        self.database_url = database_url
        self.app = create_app(Settings(database_url=database_url))
        self.services: Services = self.app.state.services
        self.services.queue = HeldQueue(self.services.settings, FUNCTIONS, {"services": self.services})
        self._stack = stack
        self._server: RunningServer | None = None

    async def server(self) -> RunningServer:
        if self._server is None:
            base_url = await self._stack.enter_async_context(serving(self.app))
            http = await self._stack.enter_async_context(httpx.AsyncClient(base_url=base_url, timeout=30))
            self._server = RunningServer(base_url, self.services, http)
        return self._server


class Backends:
    """The backends of this test process, each made when a test first needs it and kept to the end: tests
    of both backends may come in any order (pytest-xdist hands them out as workers free up), and switching
    between them costs nothing."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory):
        self._tmp = tmp_path_factory
        self._made: dict[str, Backend] = {}
        self._unavailable: dict[str, BaseException] = {}  # a backend that could not be made fails once
        self._stack = contextlib.AsyncExitStack()

    async def get(self, name: str) -> Backend:
        if name in self._unavailable:
            raise self._unavailable[name]
        if name not in self._made:
            try:
                url = await self._create_database(name)
            except (pytest.skip.Exception, pytest.fail.Exception) as outcome:
                self._unavailable[name] = outcome
                raise
            self._made[name] = Backend(url, self._stack)
            self._stack.push_async_callback(self._made[name].services.db.dispose)
        return self._made[name]

    async def _create_database(self, name: str) -> str:
        return await self._stack.enter_async_context(migrated_database(name, self._tmp))

    async def close(self) -> None:
        await self._stack.aclose()


@pytest.fixture(scope="session")
async def backends(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Backends]:
    made = Backends(tmp_path_factory)
    yield made
    await made.close()


@pytest.fixture(params=BACKENDS)
async def backend(request: pytest.FixtureRequest, backends: Backends) -> Backend:
    """Every test that touches the database runs once per backend."""
    return await backends.get(request.param)


@pytest.fixture
def database_url(backend: Backend) -> str:
    return backend.database_url


@pytest.fixture
async def server(backend: Backend) -> RunningServer:
    """The real app behind a real uvicorn, for the tests whose subject is HTTP."""
    return await backend.server()


@pytest.fixture
def http(server: RunningServer) -> httpx.AsyncClient:
    return server.http


@pytest.fixture
async def services(backend: Backend) -> AsyncIterator[Services]:
    """The app's services; `await services.queue.drain()` runs the jobs this test's requests queued (the
    others are abandoned when it ends)."""
    queue = backend.services.queue
    assert isinstance(queue, HeldQueue)
    await queue.abandon()  # what tests without this fixture left
    yield backend.services
    await queue.abandon()


@pytest.fixture
def make_api(services: Services):
    """make_api(scopes=None, workspace=None) → an Api with a new key (all scopes by default) whose GraphQL
    runs in-process against the schema."""

    async def make(scopes: list[str] | None = None, workspace: str | None = None) -> Api:
        return await Api.create(services, scopes=scopes, workspace=workspace)

    return make


@pytest.fixture
def make_http_api(http: httpx.AsyncClient, services: Services):
    """make_http_api(scopes=None, workspace=None) → an Api with a new key that speaks over the real server."""

    async def make(scopes: list[str] | None = None, workspace: str | None = None) -> Api:
        return await Api.create(services, http=http, scopes=scopes, workspace=workspace)

    return make


@pytest.fixture
async def api(make_api) -> Api:
    """An all-scopes key in a fresh workspace."""
    return await make_api()


@pytest.fixture
async def http_api(make_http_api) -> Api:
    """An all-scopes key in a fresh workspace, over HTTP."""
    return await make_http_api()


@pytest.fixture
def server_errors(caplog):
    """server_errors() → the ERROR records logged so far in the test, uvicorn's own (the tracebacks of
    exceptions that escape the app, on a logger that does not propagate) included."""
    uvicorn_error = logging.getLogger("uvicorn.error")
    uvicorn_error.addHandler(caplog.handler)
    yield lambda: [record for record in caplog.records if record.levelno >= logging.ERROR]
    uvicorn_error.removeHandler(caplog.handler)


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The environment for `signalgraph` commands: this one's, less its SIGNALGRAPH_ settings, with an SQLite
    database (not created yet) at tmp_path/cli.db."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env["SIGNALGRAPH_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    return env

