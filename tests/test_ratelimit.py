"""Rate limits per API key: a token bucket shared through Redis by every server process, GraphQL charged by
query cost, RateLimit-* headers on every charged response, 429 with Retry-After when the bucket is empty."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from contextlib import ExitStack

import httpx
import pytest

from signalgraph.app import create_app
from signalgraph.settings import Settings, SettingsError
from tests.factories import Api
from tests.jobs.conftest import shared_redis_url  # noqa: F401 - a fixture
from tests.serving import free_port, serve_process, serving, wait_until_ready

SIGNALS = "/external/v1/signals"


async def limited_app(database_url: str, per_minute: int, burst: int | None = None, **settings):
    app = create_app(Settings(database_url=database_url, rate_limit_per_minute=per_minute,
                              rate_limit_burst=per_minute if burst is None else burst, **settings))
    return app


async def test_rest_requests_past_the_limit_are_429_with_retry_after_and_the_rest_error_body(database_url):
    app = await limited_app(database_url, per_minute=5)
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        api = await Api.create(app.state.services, http=http)
        other = await Api.create(app.state.services, http=http)
        answers = [await api.rest("GET", SIGNALS) for _ in range(6)]
        others = await other.rest("GET", SIGNALS)
    assert [r.status_code for r in answers] == [200] * 5 + [429]
    assert [r.headers["RateLimit-Remaining"] for r in answers] == ["4", "3", "2", "1", "0", "0"]
    assert {r.headers["RateLimit-Limit"] for r in answers} == {"5"}
    assert all(int(r.headers["RateLimit-Reset"]) > 0 for r in answers)
    refused = answers[-1]
    assert refused.json()["statusCode"] == 429 and refused.json()["error"] == "Too Many Requests"
    assert "5 requests a minute" in refused.json()["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 12  # one request's worth of refill at 5 a minute
    assert "Retry-After" not in answers[0].headers
    assert others.status_code == 200 and others.headers["RateLimit-Remaining"] == "4"  # per key


async def test_graphql_is_charged_by_query_cost_and_refused_with_rate_limited(database_url):
    app = await limited_app(database_url, per_minute=10)
    cheap = "{ signals(first: 100) { totalCount } }"  # 100 points: one request
    dear = "{ signals(first: 100) { totalCount } insights(first: 20) { totalCount } }"  # 120 points: two
    dearest = "{ " + " ".join(f"s{i}: signals(first: 100) {{ totalCount }}" for i in range(12)) + " }"  # 1,200
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        api = await Api.create(app.state.services, http=http)
        one = await http.post("/graphql", headers=api.headers, json={"query": cheap})
        two = await http.post("/graphql", headers=api.headers, json={"query": dear})
        rest = await http.post("/graphql", headers=api.headers, json={"query": dearest})
        fresh = await Api.create(app.state.services, http=http)
        whole = await http.post("/graphql", headers=fresh.headers, json={"query": dearest})
        after = await http.post("/graphql", headers=fresh.headers, json={"query": "{ viewer { scopes } }"})
    assert (one.status_code, one.headers["RateLimit-Remaining"]) == (200, "9")
    assert (two.status_code, two.headers["RateLimit-Remaining"]) == (200, "7")
    # 1,200 points is more than a full bucket: it is charged a full bucket, which this key no longer has.
    assert rest.status_code == 429 and int(rest.headers["Retry-After"]) >= 1
    error = rest.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["retryAfter"] >= 1
    assert rest.json()["data"] is None
    assert (whole.status_code, whole.headers["RateLimit-Remaining"]) == (200, "0")
    assert after.status_code == 429 and after.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


async def test_limits_off_at_zero_send_no_headers(database_url):
    app = await limited_app(database_url, per_minute=0)
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        api = await Api.create(app.state.services, http=http)
        answers = [await api.rest("GET", SIGNALS) for _ in range(3)]
    assert [r.status_code for r in answers] == [200] * 3
    assert not [name for name in answers[0].headers if name.lower().startswith("ratelimit")]


async def test_an_unreachable_redis_lets_requests_through_with_one_warning(database_url, caplog):
    app = await limited_app(database_url, per_minute=1, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    caplog.set_level(logging.WARNING, logger="signalgraph.ratelimit")
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        api = await Api.create(app.state.services, http=http)
        answers = [await api.rest("GET", SIGNALS) for _ in range(3)]
    assert [r.status_code for r in answers] == [200] * 3
    assert len([r for r in caplog.records if "rate limits are not enforced" in r.getMessage()]) == 1


def test_the_burst_defaults_to_the_rate_and_bad_values_are_one_line():
    assert Settings.from_env({}).rate_limit_per_minute == Settings.from_env({}).rate_limit_burst == 3000
    settings = Settings.from_env({"SIGNALGRAPH_RATE_LIMIT_PER_MINUTE": "60"})
    assert (settings.rate_limit_per_minute, settings.rate_limit_burst) == (60, 60)
    settings = Settings.from_env({"SIGNALGRAPH_RATE_LIMIT_PER_MINUTE": "60", "SIGNALGRAPH_RATE_LIMIT_BURST": "0"})
    assert settings.rate_limit_burst == 0
    with pytest.raises(SettingsError, match="SIGNALGRAPH_RATE_LIMIT_PER_MINUTE must be an integer"):
        Settings.from_env({"SIGNALGRAPH_RATE_LIMIT_PER_MINUTE": "lots"})


@pytest.mark.processes
@pytest.mark.redis
async def test_the_61st_request_in_a_minute_with_a_limit_of_60_is_429_across_two_servers_on_one_redis(
    database_url, api, shared_redis_url  # noqa: F811
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env.update(SIGNALGRAPH_DATABASE_URL=database_url, SIGNALGRAPH_REDIS_URL=shared_redis_url,
               SIGNALGRAPH_QUEUE_NAME=f"sg-test:ratelimit:{api.workspace_id}",
               SIGNALGRAPH_RATE_LIMIT_PER_MINUTE="60")
    with ExitStack() as stack:
        bases = [stack.enter_context(serve_process(env))[1] for _ in range(2)]
        for base in bases:
            await asyncio.to_thread(wait_until_ready, base)
        async with httpx.AsyncClient(headers=api.headers, timeout=60, limits=httpx.Limits(keepalive_expiry=1)) as http:
            started = time.monotonic()
            answers: list[httpx.Response] = []
            while len(answers) < 200 and (not answers or answers[-1].status_code != 429):
                answers.append(await http.get(f"{bases[len(answers) % 2]}{SIGNALS}", params={"limit": 1}))
            elapsed = time.monotonic() - started
    allowed = [r for r in answers if r.status_code == 200]
    refused = answers[-1]
    assert refused.status_code == 429, [r.status_code for r in answers]
    # One bucket for both processes: 60 at once, plus the one a second that refilled meanwhile (each process
    # with its own bucket would have let 120 through).
    assert 60 <= len(allowed) <= 60 + int(elapsed), (len(allowed), elapsed)
    if elapsed < 1:
        assert len(answers) == 61
    assert refused.json() == {"statusCode": 429, "message": refused.json()["message"], "error": "Too Many Requests"}
    assert int(refused.headers["Retry-After"]) >= 1 and refused.headers["RateLimit-Remaining"] == "0"
    assert {r.headers["RateLimit-Limit"] for r in answers} == {"60"}
