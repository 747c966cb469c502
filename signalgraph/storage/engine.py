"""Database URL → async engine with the right pragmas, and the two kinds of sessions.

Reads take a short-lived session of their own (GraphQL resolves siblings concurrently, and an
AsyncSession must never be shared by two tasks). Writes run in one session and one transaction,
which on SQLite begins IMMEDIATE so that a read never has to upgrade to a write lock.

A request that finds every pooled connection busy waits POOL_TIMEOUT_SECONDS for one, then fails as
Unavailable (a 503 with Retry-After): one error for the request, not an unexpected error per field.

SQLite has one writer at a time: the writers of one process take turns on an asyncio lock, in order,
instead of polling the file lock through SQLite's busy handler, which sleeps up to 100 ms between tries
(a worker's ten concurrent jobs spent most of their time there). Other processes wait on the busy timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import (
    AbstractAsyncContextManager,
    AsyncExitStack,
    asynccontextmanager,
    contextmanager,
    nullcontext,
)
from pathlib import Path

import orjson
from sqlalchemy import event, make_url, text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from ..errors import Conflict, Unavailable
from .sqlite_cursor import use_one_hand_off_cursors

SQLITE_BUSY_TIMEOUT_MS = 30_000
# What a database that cannot be reached (down, wrong host, missing database, not migrated) raises.
UNREACHABLE = (DBAPIError, OSError, TimeoutError)
# PostgreSQL's SQLSTATEs for a transaction aborted because of a concurrent one: deadlock, serialization.
ABORTED_BY_CONCURRENCY = ("40P01", "40001")
_IMMEDIATE = "signalgraph_begin_immediate"
POOL_TIMEOUT_SECONDS = 10.0
# A pooled PostgreSQL connection older than this is replaced at checkout (one a network dropped silently).
POOL_RECYCLE_SECONDS = 1800
BUSY = "Every database connection is busy; retry shortly"
# PostgreSQL refusing a connection for now: too many clients, or starting up / shutting down.
REFUSED_FOR_NOW = ("53300", "57P03")


def describe_database(database_url: str) -> str:
    """Which database, for a log line: SQLite's absolute path, or PostgreSQL's host:port/name (no secrets)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"SQLite {Path(url.database).resolve() if url.database else ':memory:'}"
    return f"PostgreSQL {url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def sqlite_path(database_url: str) -> Path | None:
    """The absolute path of an SQLite database's file; None for PostgreSQL or an in-memory database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database).resolve()


def create_engine(
    database_url: str, *, pool_size: int = 10, pool_timeout: float = POOL_TIMEOUT_SECONDS
) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        use_one_hand_off_cursors()
        engine = create_async_engine(
            database_url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_timeout=pool_timeout,
        )
        _configure_sqlite(engine)
        return engine
    # jsonb is read as the API reads JSON (orjson): it gives a number such as 1.5e21 back as the integer
    # 1500000000000000000000, which json.loads would keep, and orjson, which renders the responses, cannot
    # write; orjson reads it as the float that was stored.
    engine = create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=pool_timeout,
        pool_recycle=POOL_RECYCLE_SECONDS,
        json_deserializer=orjson.loads,
    )
    _configure_postgres(engine)
    return engine


def _configure_postgres(engine: AsyncEngine) -> None:
    """A pooled connection the server has closed is replaced when it is checked out, without a round trip.

    SQLAlchemy's pool_pre_ping sent `BEGIN; ; ROLLBACK` (three round trips) before every checkout. asyncpg
    already knows when the server closed a connection (a restart, pg_terminate_backend, an idle timeout that
    closes the socket): the event loop sees the socket close while the connection sits in the pool and
    `is_closed()` turns true. One the network dropped silently is retired by pool_recycle, and a statement
    failing on a dead connection invalidates the pool (SQLAlchemy's disconnect handling); /readyz opens a
    connection of its own (Database.ping), so it reports a database that is down whatever the pool holds.
    """

    @event.listens_for(engine.sync_engine, "checkout")
    def on_checkout(_dbapi_connection, record, _proxy):
        driver = record.driver_connection
        if driver is not None and driver.is_closed():
            raise DisconnectionError("the server closed this pooled connection")  # the pool takes a new one


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so writes can ask for IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(conn):
        immediate = conn.get_execution_options().get(_IMMEDIATE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The engine plus session factories; one per process, shared by the app, the CLI and workers."""

    def __init__(self, database_url: str, *, pool_size: int = 10, pool_timeout: float = POOL_TIMEOUT_SECONDS):
        self.url = database_url
        self.engine = create_engine(database_url, pool_size=pool_size, pool_timeout=pool_timeout)
        self.is_sqlite = database_url.startswith("sqlite")
        write_bind = self.engine.execution_options(**{_IMMEDIATE: True}) if self.is_sqlite else self.engine
        self._reads = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._writes = async_sessionmaker(write_bind, expire_on_commit=False, autoflush=False)
        # PostgreSQL statements that need no transaction around them (reads that need not share a snapshot, a
        # write that is one statement) run in autocommit: no BEGIN and ROLLBACK or COMMIT round trips. SQLite's
        # begin in our own event (IMMEDIATE for writes): plain reads there (`write_autocommit` writes as `write`).
        self._autocommit = (
            self._reads
            if self.is_sqlite
            else async_sessionmaker(
                self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False, autoflush=False
            )
        )
        self._writer_turn: AbstractAsyncContextManager[object] = asyncio.Lock() if self.is_sqlite else nullcontext()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only; its transaction is rolled back at the end."""
        with _busy_is_unavailable():
            async with self._reads() as session:
                yield session

    @asynccontextmanager
    async def read_autocommit(self) -> AsyncIterator[AsyncSession]:
        """A session for reads that need not see one snapshot together: on PostgreSQL each statement is a
        transaction of its own, without the two round trips of a transaction around them."""
        with _busy_is_unavailable():
            async with self._autocommit() as session:
                yield session

    @asynccontextmanager
    async def write_autocommit(self) -> AsyncIterator[AsyncSession]:
        """A session for a write that is one statement (atomic by itself): on PostgreSQL it commits on its
        own, without the BEGIN and COMMIT round trips of a transaction around it. SQLite's writers take
        turns, so there it is `write`."""
        if self.is_sqlite:
            async with self.write() as session:
                yield session
            return
        with _aborted_is_conflict(), _busy_is_unavailable():
            async with self._autocommit() as session:
                yield session

    async def ping(self) -> None:
        """One round trip on a new connection; raises one of UNREACHABLE when the database does not answer."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def open_connections(self, count: int) -> None:
        """Open `count` pooled connections now, at once: a worker's, before its first job, so that its first
        jobs do not each wait for a connection of their own (on PostgreSQL a new server process and its
        authentication, several milliseconds of the server's CPU each)."""
        async with AsyncExitStack() as stack:
            await asyncio.gather(*(stack.enter_async_context(self.engine.connect()) for _ in range(count)))

    def shared_reads(self) -> SharedReads:
        """One request's reads on one session (see SharedReads), in autocommit on PostgreSQL: under its
        READ COMMITTED every statement of a transaction takes a snapshot of its own anyway, so a BEGIN and a
        ROLLBACK around them were two round trips that bought nothing."""
        return SharedReads(self._autocommit)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends, rolled back if it raises.

        On PostgreSQL, writers do not take turns: one that PostgreSQL aborts to break a deadlock with a
        concurrent one (say, an update of an insight while its product is deleted) is a Conflict to retry.
        """
        with _aborted_is_conflict(), _busy_is_unavailable():
            async with self._writer_turn, self._writes() as session, session.begin():
                yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


@contextmanager
def _aborted_is_conflict() -> Iterator[None]:
    """A write PostgreSQL aborted to break a deadlock with a concurrent one is a Conflict to retry."""
    try:
        yield
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) not in ABORTED_BY_CONCURRENCY:
            raise
        raise Conflict("The request conflicted with a concurrent change; retry it") from exc


def _refused_for_now(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in REFUSED_FOR_NOW


@contextmanager
def _busy_is_unavailable() -> Iterator[None]:
    """No connection to be had now (the pool's all taken, or PostgreSQL has too many clients): a 503."""
    try:
        yield
    except PoolTimeout as exc:
        raise Unavailable(BUSY) from exc
    except DBAPIError as exc:
        if _refused_for_now(exc):
            raise Unavailable(BUSY) from exc
        raise


class SharedReads:
    """All the reads of one request on one session, taken in turn.

    A request's loader batches and lists would each take a session of their own: on PostgreSQL a pool
    checkout with its ping, then BEGIN, the SELECT and ROLLBACK, for one statement. Here they share one
    connection (and, on SQLite, one read transaction), one at a time (an AsyncSession serves one task at a
    time). `end()` closes it: after a write, so that later reads see what it wrote (an SQLite read
    transaction keeps the snapshot it began with), and when the request is over. Rows already read stay readable. Once no
    connection could be had, the request's other reads fail at once rather than each wait the pool out.
    """

    def __init__(self, factory: async_sessionmaker[AsyncSession]):
        self._factory = factory
        self._session: AsyncSession | None = None
        self._turn = asyncio.Lock()
        self._unavailable = False

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._turn:
            if self._unavailable:
                raise Unavailable(BUSY)
            if self._session is None:
                self._session = self._factory()
            try:
                with _busy_is_unavailable():
                    yield self._session
            except BaseException as exc:
                await self._close()  # a failed statement may have aborted the transaction (PostgreSQL)
                self._unavailable = isinstance(exc, Unavailable)
                raise

    async def end(self) -> None:
        async with self._turn:
            await self._close()

    async def _close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()
