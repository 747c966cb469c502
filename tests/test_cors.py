"""CORS: browsers on the configured origins may call /graphql and the REST paths; others get no CORS
headers, and without SIGNALGRAPH_CORS_ORIGINS nothing changes."""

from __future__ import annotations

import httpx
import pytest

from signalgraph.app import create_app
from signalgraph.settings import Settings, SettingsError
from tests.serving import serving

ALLOWED = "https://app.example.com"
PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}


@pytest.fixture
async def cors_server(database_url):
    """The app with one allowed origin, on the suite's database."""
    app = create_app(Settings(database_url=database_url, cors_origins=(ALLOWED,)))
    async with serving(app, lifespan="off") as base_url, httpx.AsyncClient(base_url=base_url) as client:
        yield client


@pytest.mark.parametrize("path", ["/graphql", "/external/v1/insights", "/api/external/v1/signals"])
async def test_a_preflight_from_an_allowed_origin_passes(cors_server, path):
    response = await cors_server.options(path, headers={"Origin": ALLOWED, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "idempotency-key"} <= set(allowed_headers.replace(" ", "").split(","))
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in response.headers


async def test_a_preflight_from_another_origin_gets_no_cors_headers(cors_server):
    response = await cors_server.options("/graphql", headers={"Origin": "https://evil.example", **PREFLIGHT})
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_responses_to_an_allowed_origin_expose_the_pagination_headers(cors_server, api):
    response = await cors_server.get(
        "/external/v1/insights?limit=1", headers={"Origin": ALLOWED, **api.headers}
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    exposed = {h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"x-total-count", "x-limit", "x-offset", "x-has-more"} <= exposed


async def test_a_graphql_call_from_another_origin_is_answered_without_cors_headers(cors_server, api):
    response = await cors_server.post(
        "/graphql", json={"query": "{ viewer { scopes } }"}, headers={"Origin": "https://evil.example", **api.headers}
    )
    assert response.status_code == 200  # the browser, not the server, withholds it from the page
    assert "access-control-allow-origin" not in response.headers


async def test_without_configured_origins_there_are_no_cors_headers(http):
    preflight = await http.options("/graphql", headers={"Origin": ALLOWED, **PREFLIGHT})
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize(
    ("raw", "origins"),
    [("https://a.example, http://localhost:3000/", ("https://a.example", "http://localhost:3000")), ("*", ("*",))],
)
def test_cors_origins_are_read_from_the_environment(raw, origins):
    assert Settings.from_env({"SIGNALGRAPH_CORS_ORIGINS": raw}).cors_origins == origins


@pytest.mark.parametrize("raw", ["app.example.com", "https://a.example/path", "*,https://a.example", "ftp://x"])
def test_a_bad_cors_origin_stops_start_up_with_a_message_naming_the_variable(raw):
    with pytest.raises(SettingsError, match="SIGNALGRAPH_CORS_ORIGINS"):
        Settings.from_env({"SIGNALGRAPH_CORS_ORIGINS": raw})
