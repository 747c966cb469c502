"""API keys at the door of the real server: expiry, `last_used_at` (once a minute, not once a request) and
the `WWW-Authenticate` header of a refusal, on REST and GraphQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import event, select

from signalgraph.auth import LAST_USED_RESOLUTION, WWW_AUTHENTICATE, KeyCache, authenticate
from signalgraph.storage.models import ApiKey
from signalgraph.storage.models.base import utcnow
from signalgraph.storage.repositories import workspaces as repo

VIEWER = {"query": "{ viewer { key { prefix } } }"}


def prefix_of(key: str) -> str:
    return key.split("_")[1]


async def stored_key(services, key: str) -> ApiKey:
    async with services.db.read() as session:
        return (await session.execute(select(ApiKey).where(ApiKey.prefix == prefix_of(key)))).scalar_one()


async def wait_for_last_use(services, key: str) -> ApiKey:
    """The use is recorded in the background, after the response: poll for it (a bound, not a timing)."""
    for _ in range(200):
        row = await stored_key(services, key)
        if row.last_used_at is not None:
            return row
        await asyncio.sleep(0.05)
    raise AssertionError("last_used_at was never written")


async def test_refusals_carry_www_authenticate_on_rest_and_graphql(http):
    rest = await http.get("/external/v1/insights")
    assert rest.status_code == 401 and rest.headers["WWW-Authenticate"] == WWW_AUTHENTICATE
    assert rest.json()["error"] == "Unauthorized"

    graphql = await http.post("/graphql", json=VIEWER, headers={"Authorization": "Bearer sg_00000000_" + "x" * 40})
    assert graphql.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert graphql.headers["WWW-Authenticate"] == WWW_AUTHENTICATE


async def test_a_key_that_works_gets_no_www_authenticate(http_api):
    response = await http_api.http.post("/graphql", json=VIEWER, headers=http_api.headers)
    assert response.json()["data"]["viewer"]["key"]["prefix"] == prefix_of(http_api.key)
    assert "WWW-Authenticate" not in response.headers


async def test_an_expired_key_is_refused_like_a_revoked_one(http_api, services, monkeypatch):
    monkeypatch.setattr(services.keys, "seconds", 0)  # SIGNALGRAPH_KEY_CACHE_SECONDS=0: read on every request
    assert (await http_api.rest("GET", "/external/v1/insights")).status_code == 200
    async with services.db.write() as session:
        await repo.expire_api_key(session, (await stored_key(services, http_api.key)).id, utcnow())

    rest = await http_api.rest("GET", "/external/v1/insights")
    assert rest.status_code == 401 and rest.json()["message"] == "API key has expired"
    assert rest.headers["WWW-Authenticate"] == WWW_AUTHENTICATE
    graphql = (await http_api.http.post("/graphql", json=VIEWER, headers=http_api.headers)).json()
    assert graphql["errors"][0]["message"] == "API key has expired"


async def test_a_key_expiring_later_still_works(http_api, services):
    async with services.db.write() as session:
        await repo.expire_api_key(session, (await stored_key(services, http_api.key)).id, utcnow() + timedelta(hours=1))
    assert (await http_api.rest("GET", "/external/v1/insights")).status_code == 200


async def test_last_used_at_is_written_once_for_many_requests(http_api, services):
    updates: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE API_KEYS"):
            updates.append(statement)

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        before = utcnow()
        for _ in range(3):
            assert (await http_api.rest("GET", "/external/v1/insights")).status_code == 200
        first = await wait_for_last_use(services, http_api.key)
        for _ in range(20):
            assert (await http_api.rest("GET", "/external/v1/insights")).status_code == 200
        await services.key_usage.flush()
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)

    assert before - timedelta(seconds=1) <= first.last_used_at <= utcnow()
    assert len(updates) == 1
    assert (await stored_key(services, http_api.key)).last_used_at == first.last_used_at


async def test_last_used_at_moves_again_after_a_minute(http_api, services):
    async with services.db.write() as session:
        row = await stored_key(services, http_api.key)
        stale = utcnow() - LAST_USED_RESOLUTION - timedelta(seconds=5)
        await repo.touch_api_key(session, row.id, stale, stale)
    # This process wrote nothing for the key yet: the stored time (over a minute old) decides.
    assert (await http_api.rest("GET", "/external/v1/insights")).status_code == 200
    await services.key_usage.flush()
    assert (await stored_key(services, http_api.key)).last_used_at > stale + timedelta(seconds=4)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_key_is_read_once_per_cache_period_so_a_revoked_key_stops_working_after_it(api, services):
    clock, statements = Clock(), []
    keys = KeyCache(5, clock)
    bearer = f"Bearer {api.key}"

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(services.db.engine.sync_engine, "before_cursor_execute", seen)
    try:
        assert (await authenticate(services.db, bearer, keys=keys))[0] is not None
        read = len(statements)
        assert (await authenticate(services.db, bearer, keys=keys))[0] is not None
        assert len(statements) == read  # the second request read no row
        async with services.db.write() as session:
            await repo.revoke_api_key(session, prefix_of(api.key), utcnow())

        clock.now += 4.9  # within the period the process still knows the key as it was
        assert (await authenticate(services.db, bearer, keys=keys))[0] is not None
        clock.now += 0.1  # then it reads it again, and the revocation counts
        assert await authenticate(services.db, bearer, keys=keys) == (None, "API key has been revoked")
    finally:
        event.remove(services.db.engine.sync_engine, "before_cursor_execute", seen)


async def test_a_kept_key_still_needs_its_secret_and_without_the_cache_revocation_counts_at_once(api, services):
    kept, bearer = KeyCache(5), f"Bearer {api.key}"
    assert (await authenticate(services.db, bearer, keys=kept))[0] is not None
    wrong = bearer[:-4] + ("aaaa" if not bearer.endswith("aaaa") else "bbbb")
    assert await authenticate(services.db, wrong, keys=kept) == (None, "Invalid API key")

    keys = KeyCache(0)
    assert (await authenticate(services.db, bearer, keys=keys))[0] is not None
    async with services.db.write() as session:
        await repo.revoke_api_key(session, prefix_of(api.key), utcnow())
    assert await authenticate(services.db, bearer, keys=keys) == (None, "API key has been revoked")
