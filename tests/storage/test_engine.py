"""Backpressure: a request that finds every pooled connection busy is a 503 with Retry-After and one log
line, on both faces; 200 concurrent lists answered one 500 and logged 101 tracebacks (1,800 lines)."""

from __future__ import annotations

import asyncio
import logging

import asyncpg
import httpx
import pytest
from sqlalchemy import text

from signalgraph.app import create_app
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


async def test_fields_that_get_no_connection_make_one_503_and_one_log_line(small_pool, backend, caplog):
    """The key check gets a connection; then the first field's statement waits on a table lock holding the
    last one, and the other fields wait for the pool in vain."""
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
        await asyncio.sleep(2)  # well past the pool timeout of the fields that found no connection
        await transaction.rollback()
        await locker.close()
        graphql = await request
    assert graphql.status_code == 503 and graphql.headers["retry-after"] == "2"
    codes = {e["extensions"]["code"] for e in graphql.json()["errors"]}
    assert codes == {"SERVICE_UNAVAILABLE"}
    assert len(logged(caplog)) == 1, [r.getMessage() for r in logged(caplog)]
