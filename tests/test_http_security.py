"""The HTTP edge's policy: security headers on every response, relative redirects whatever the Host
header says, and only the configured hosts served."""

from __future__ import annotations

import httpx
import pytest

from signalgraph import graphiql
from signalgraph.app import create_app
from signalgraph.http_security import SECURITY_HEADERS
from signalgraph.settings import Settings, SettingsError
from tests.serving import serving


@pytest.fixture
def make_api(make_http_api):
    return make_http_api


async def test_a_trailing_slash_redirect_is_relative_whatever_the_host(http, api):
    response = await http.get("/external/v1/insights/", headers={"Host": "evil.example", **api.headers})
    assert response.status_code == 307
    assert response.headers["location"] == "/external/v1/insights"
    followed = await http.get("/api/external/v1/insights/?limit=1", headers=api.headers, follow_redirects=True)
    assert followed.status_code == 200 and followed.url.path == "/api/external/v1/insights"
    assert followed.url.params["limit"] == "1"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/healthz"), ("GET", "/external/v1/insights"), ("POST", "/graphql"), ("GET", "/nothing-here"),
     ("GET", "/external/v1/insights/")],
)
async def test_every_response_carries_the_security_headers(http, api, method, path):
    response = await http.request(method, path, json={"query": "{ viewer { scopes } }"}, headers=api.headers)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, (path, name)


async def test_the_graphiql_page_keeps_its_strict_policy(http):
    page = await http.get("/graphql", headers={"Accept": "text/html"})
    assert page.headers["content-security-policy"] == graphiql.PAGE_POLICY
    assert "frame-ancestors 'none'" in graphiql.PAGE_POLICY and "default-src 'self'" in graphiql.PAGE_POLICY
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_only_the_allowed_hosts_are_served(database_url):
    app = create_app(Settings(database_url=database_url, allowed_hosts=("api.example.com", "*.internal")))
    async with serving(app, lifespan="off") as base_url, httpx.AsyncClient(base_url=base_url) as client:
        refused = await client.get("/healthz", headers={"Host": "evil.example"})
        served = await client.get("/healthz", headers={"Host": "api.example.com:8443"})
        wildcard = await client.get("/healthz", headers={"Host": "pod-1.internal"})
    assert refused.status_code == 400 and refused.headers["x-content-type-options"] == "nosniff"
    assert served.status_code == 200 and wildcard.status_code == 200


def test_allowed_hosts_are_read_from_the_environment():
    settings = Settings.from_env({"SIGNALGRAPH_ALLOWED_HOSTS": "API.example.com, *.internal,localhost"})
    assert settings.allowed_hosts == ("api.example.com", "*.internal", "localhost")
    assert Settings.from_env({}).allowed_hosts == ()


@pytest.mark.parametrize("raw", ["https://api.example.com", "api.example.com:8000", "a.example/x", "*example.com"])
def test_a_bad_allowed_host_stops_start_up_with_a_message_naming_the_variable(raw):
    with pytest.raises(SettingsError, match="SIGNALGRAPH_ALLOWED_HOSTS"):
        Settings.from_env({"SIGNALGRAPH_ALLOWED_HOSTS": raw})
