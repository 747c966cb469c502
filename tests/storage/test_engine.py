"""Backpressure: a request that finds every pooled connection busy is a 503 with Retry-After and one log
line, on both faces; 200 concurrent lists answered one 500 and logged 101 tracebacks (1,800 lines)."""

from __future__ import annotations

import asyncio
import logging
import struct
import time
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from sqlalchemy import text

from signalgraph.app import create_app
from signalgraph.errors import Unavailable
from signalgraph.settings import Settings
from signalgraph.storage.engine import Database
from tests.factories import Api
from tests.serving import serving

ROOT_FIELDS = "{ insights { totalCount } signals { totalCount } ideas { totalCount } tags { totalCount } }"


@pytest.fixture
async def small_pool(database_url):
    """The app on a pool of two connections (one plus one overflow) that waits 0.2 s for one."""
    app = create_app(Settings(database_url=database_url))
    services = app.state.services
    await services.db.dispose()
    services.db = Database(database_url, pool_size=1, pool_timeout=0.2)
    async with serving(app, lifespan="off") as base_url, httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        api = await Api.create(services, http=http)
        yield services, api
    await services.db.dispose()


def logged(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING and r.name != "signalgraph.access"]


async def test_no_connection_for_the_key_check_is_a_503_with_retry_after(small_pool, caplog):
    services, api = small_pool
    async with services.db.read() as first, services.db.read() as second:
        await first.execute(text("SELECT 1"))
        await second.execute(text("SELECT 1"))
        caplog.set_level(logging.WARNING)
        rest = await api.rest("GET", "/external/v1/insights?limit=100")
        graphql = await api.http.post("/graphql", json={"query": ROOT_FIELDS}, headers=api.headers)
    assert rest.status_code == 503 and rest.headers["retry-after"] == "2"
    assert rest.json() == {"statusCode": 503, "message": "Every database connection is busy; retry shortly",
                           "error": "Service Unavailable"}
    assert graphql.status_code == 503 and graphql.headers["retry-after"] == "2"
    assert graphql.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert len(logged(caplog)) == 2, [r.getMessage() for r in logged(caplog)]
    assert (await api.rest("GET", "/external/v1/insights")).status_code == 200  # and it passes


async def test_the_fields_of_a_request_share_one_connection(small_pool, backend, caplog):
    """The key check gets a connection; then the first field's statement waits on a table lock, holding the
    pool's last connection. The other fields take their turn on that same connection when it is free, where
    each used to wait for a connection of its own in vain (a 503)."""
    if backend.database_url.startswith("sqlite"):
        pytest.skip("SQLite readers never wait on a lock (WAL): the PostgreSQL run covers this")
    services, api = small_pool
    dsn = backend.database_url.replace("postgresql+asyncpg://", "postgresql://")
    locker = await asyncpg.connect(dsn)
    async with services.db.read() as held:
        await held.execute(text("SELECT 1"))
        transaction = locker.transaction()
        await transaction.start()
        await locker.execute("LOCK TABLE insights IN ACCESS EXCLUSIVE MODE")
        caplog.set_level(logging.WARNING)
        request = asyncio.ensure_future(api.http.post("/graphql", json={"query": ROOT_FIELDS}, headers=api.headers))
        await asyncio.sleep(2)  # well past the pool timeout a field waiting for a connection would meet
        await transaction.rollback()
        await locker.close()
        graphql = await request
    assert graphql.status_code == 200, graphql.text
    assert "errors" not in graphql.json()
    assert graphql.json()["data"] == {name: {"totalCount": 0} for name in ("insights", "signals", "ideas", "tags")}
    assert logged(caplog) == []


@pytest.fixture
async def crowded_postgres() -> AsyncIterator[str]:
    """A server speaking just enough of PostgreSQL's protocol to refuse every connection as the real one
    does when it is out of connections: FATAL 53300, "sorry, too many clients already"."""

    def field(code: bytes, value: str) -> bytes:
        return code + value.encode() + b"\0"

    body = b"".join([field(b"S", "FATAL"), field(b"V", "FATAL"), field(b"C", "53300"),
                     field(b"M", "sorry, too many clients already")]) + b"\0"
    refusal = b"E" + struct.pack("!I", len(body) + 4) + body

    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:  # an SSLRequest is answered 'N' (no TLS), then comes the startup message
            length = struct.unpack("!I", await reader.readexactly(4))[0]
            code = struct.unpack("!I", (await reader.readexactly(length - 4))[:4])[0]
            if code != SSL_REQUEST:
                break
            writer.write(b"N")
        writer.write(refusal)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(refuse, "127.0.0.1", 0)
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{server.sockets[0].getsockname()[1]}/signalgraph"
    finally:
        server.close()


SSL_REQUEST = 80877103


async def test_a_postgresql_with_too_many_clients_is_a_503_not_a_500(crowded_postgres):
    """What a request met when the shared PostgreSQL was full: an unexpected error (500) and a traceback."""
    db = Database(crowded_postgres)
    try:
        for reads in (db.read, db.write, lambda: db.shared_reads().session()):
            with pytest.raises(Unavailable) as refused:
                async with reads() as session:
                    await session.execute(text("SELECT 1"))
            assert refused.value.http_status == 503
    finally:
        await db.dispose()


async def test_once_a_request_gets_no_connection_its_other_reads_fail_at_once(database_url):
    """After the pool was waited out once, each other field of the request would wait it out again."""
    db = Database(database_url, pool_size=1, pool_timeout=3)
    shared = db.shared_reads()
    try:
        async with db.read() as first, db.read() as second:
            await first.execute(text("SELECT 1"))
            await second.execute(text("SELECT 1"))
            with pytest.raises(Unavailable):
                async with shared.session() as session:
                    await session.execute(text("SELECT 1"))
            started = time.monotonic()
            with pytest.raises(Unavailable):
                async with shared.session() as session:
                    await session.execute(text("SELECT 1"))
            assert time.monotonic() - started < 1.5  # waiting the pool out again takes its 3 s
    finally:
        await shared.end()
        await db.dispose()


async def test_a_pooled_connection_the_server_closed_is_replaced_at_checkout(database_url):
    """Without pool_pre_ping (three round trips before every checkout), a connection PostgreSQL closed while
    it sat in the pool (a restart, pg_terminate_backend) is known closed to asyncpg and replaced."""
    if database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's pool")
    db = Database(database_url, pool_size=1)
    admin = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        async with db.read() as session:
            pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
            driver = (await (await session.connection()).get_raw_connection()).driver_connection
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
        for _ in range(200):  # the loop sees the socket close: a bound on waiting, not a timing
            if driver.is_closed():
                break
            await asyncio.sleep(0.05)
        assert driver.is_closed()
        async with db.read() as session:
            assert (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one() != pid
    finally:
        await admin.close()
        await db.dispose()


async def test_a_requests_reads_share_one_connection_without_begin_and_rollback_on_postgresql(database_url):
    """Every read of a request on one connection; on PostgreSQL without a transaction around them (READ
    COMMITTED gives each statement its own snapshot anyway), on SQLite in one read transaction (one
    snapshot) as before."""
    db = Database(database_url, pool_size=2)
    shared = db.shared_reads()
    seen = []
    try:
        for _ in range(2):
            async with shared.session() as session:
                assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
                raw = (await (await session.connection()).get_raw_connection()).driver_connection
                seen.append((raw, raw.in_transaction if db.is_sqlite else raw.is_in_transaction()))
        assert seen[0][0] is seen[1][0]
        assert [in_transaction for _, in_transaction in seen] == [db.is_sqlite] * 2
    finally:
        await shared.end()
        await db.dispose()


async def test_an_autocommit_write_commits_its_statement_at_once_without_a_transaction(database_url):
    """PostgreSQL: a write that is one statement commits on its own (no BEGIN / COMMIT round trips), seen by
    another connection before the block ends; SQLite's writes take their writer's turn in a transaction."""
    db = Database(database_url, pool_size=2)
    try:
        async with db.write() as session:
            await session.execute(text("CREATE TABLE autocommit_probe (n integer)"))
        async with db.write_autocommit() as session:
            await session.execute(text("INSERT INTO autocommit_probe VALUES (1)"))
            raw = (await (await session.connection()).get_raw_connection()).driver_connection
            if db.is_sqlite:
                assert raw.in_transaction
            else:
                assert not raw.is_in_transaction()
                async with db.read() as other:
                    assert (await other.execute(text("SELECT count(*) FROM autocommit_probe"))).scalar_one() == 1
        async with db.read() as session:
            assert (await session.execute(text("SELECT count(*) FROM autocommit_probe"))).scalar_one() == 1
    finally:
        async with db.write() as session:
            await session.execute(text("DROP TABLE IF EXISTS autocommit_probe"))
        await db.dispose()


async def test_autocommit_reads_send_no_transaction_and_leave_the_pool_as_it_was(database_url):
    """PostgreSQL: a read that needs no snapshot is no BEGIN / ROLLBACK round trips; the connection it used
    goes back to the pool with transactions as before."""
    db = Database(database_url, pool_size=1)
    try:
        async with db.read_autocommit() as session:
            assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
            raw = (await (await session.connection()).get_raw_connection()).driver_connection
            in_transaction = raw.in_transaction if db.is_sqlite else raw.is_in_transaction()
            assert in_transaction is db.is_sqlite  # SQLite's reads begin as before
        async with db.read() as session:
            await session.execute(text("SELECT 1"))
            raw = (await (await session.connection()).get_raw_connection()).driver_connection
            assert (raw.in_transaction if db.is_sqlite else raw.is_in_transaction()) is True
    finally:
        await db.dispose()


async def test_a_worker_s_connections_are_opened_before_its_first_job(database_url):
    """`open_connections` leaves that many connections idle in the pool, each already connected, so the
    next checkouts open none (on PostgreSQL: no new server process for the first jobs)."""
    db = Database(database_url, pool_size=3)
    try:
        await db.open_connections(3)
        pool = db.engine.pool
        assert pool.checkedin() == 3 and pool.checkedout() == 0  # type: ignore[attr-defined]
        async with db.read() as first, db.read() as second, db.read() as third:
            for session in (first, second, third):
                assert (await session.execute(text("SELECT 1"))).scalar() == 1
        assert pool.checkedin() == 3  # type: ignore[attr-defined]  # the same three, none opened beside them
    finally:
        await db.dispose()
