"""The app: health checks (without a key, at both prefixes; readiness follows the database), malformed
requests to the GraphQL view, and the error shape of paths no route matches."""

from __future__ import annotations

import pytest
from httpx import ASGITransport, AsyncClient

from signalgraph.app import create_app
from signalgraph.settings import Settings
from signalgraph.storage.migrate import revisions_in_order, upgrade_async
from tests.serving import send_raw, serving


@pytest.fixture
def make_api(make_http_api):
    """The app is what is under test here: every key speaks over the real server."""
    return make_http_api


@pytest.mark.parametrize("path", ["/healthz", "/api/healthz", "/readyz", "/api/readyz"])
async def test_health_endpoints_answer_without_a_key(http, path):
    response = await http.get(path)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_readyz_is_503_when_the_database_is_not_migrated(tmp_path):
    app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        ready = await client.get("/readyz")
        alive = await client.get("/healthz")
    assert ready.status_code == 503 and ready.json()["database"] == "not migrated"
    assert alive.status_code == 200


async def test_readyz_is_503_while_the_database_is_behind_the_head_revision(empty_database_url):
    """A database migrated by an older release: the new server is not ready until `db upgrade` ran."""
    *_, previous, head = revisions_in_order()
    await upgrade_async(empty_database_url, previous)
    app = create_app(Settings(database_url=empty_database_url))
    async with serving(app) as base_url, AsyncClient(base_url=base_url) as client:
        behind = await client.get("/readyz")
        await upgrade_async(empty_database_url)
        ready = await client.get("/readyz")
    assert behind.status_code == 503 and "not migrated" in behind.text
    assert (behind.json()["revision"], behind.json()["expected"]) == (previous, head)
    assert ready.status_code == 200 and ready.json()["revision"] == head


async def test_readyz_is_503_when_the_database_is_unreachable():
    app = create_app(Settings(database_url="postgresql+asyncpg://postgres@127.0.0.1:1/none"))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["database"] == "unreachable"


async def test_graphql_viewer_returns_the_keys_workspace_and_scopes(make_api):
    api = await make_api(scopes=["signals:read", "insights:write"])
    viewer = (await api.ok("{ viewer { workspace { id name } key { prefix } scopes } }"))["viewer"]
    assert viewer["workspace"] == {"id": api.workspace_id, "name": api.workspace}
    assert viewer["scopes"] == ["insights:write", "signals:read"]
    assert api.key.split("_")[1] == viewer["key"]["prefix"]


UPLOAD = '{"query": "mutation($f: Upload!) { uploadContextDocument(input: {file: $f}) { contextDocument { id } } }", "variables": {"f": null}}'


async def test_graphql_bodies_that_are_json_but_not_an_operation_are_400(api):
    for raw in (b"null", b"42", b'"query"', b"true"):
        response = await api.http.post(
            "/graphql", content=raw, headers={**api.headers, "Content-Type": "application/json"}
        )
        assert (response.status_code, response.text) == (400, "The request must be a JSON object"), raw


async def test_graphql_json_with_a_lone_surrogate_is_400_not_stored(api):
    raw = b'{"query": "mutation { createInsight(input: {description: \\"d\\"}) { insight { id } } }", "variables": {"x": "\\ud800"}}'
    response = await api.http.post("/graphql", content=raw, headers={**api.headers, "Content-Type": "application/json"})
    assert (response.status_code, response.text) == (400, "Unable to parse request body as JSON")
    assert (await api.ok("{ insights { totalCount } }"))["insights"]["totalCount"] == 0


async def test_a_graphql_body_that_breaks_off_is_400_and_logs_no_error(api, server_errors):
    """Broken chunking (like a hang-up mid-body) disconnects the request: the ClientDisconnect escaped the
    view, and uvicorn logged it as an exception in the application."""
    head = f"POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {api.key}\r\n".encode()
    for content_type in (b"application/json", b"multipart/form-data; boundary=b"):
        raw = head + b"Content-Type: " + content_type + b"\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
        answer = await send_raw(api.http.base_url, raw)
        assert answer.startswith(b"HTTP/1.1 400 "), answer
    assert server_errors() == []


@pytest.mark.parametrize("files_map", ["[]", '{"0": [5]}', '{"0": ["variables.f.deep"]}', '{"0": ["variables.f.0"]}'])
async def test_a_multipart_map_that_does_not_fit_the_operations_is_400(api, files_map):
    response = await api.http.post(
        "/graphql",
        files={"operations": (None, UPLOAD), "map": (None, files_map), "0": ("a.txt", b"hello", "text/plain")},
        headers=api.headers,
    )
    assert (response.status_code, response.text) == (400, "The multipart map does not match the operations")


async def test_paths_no_route_can_match_answer_404_in_the_error_shape(api):
    """Starlette's mounts stop at a newline, so `/external/v1/insights/a%0Ab` fell through to a plain-text 404."""
    for path in ("/external/v1/insights/a%0Ab", "/nothing-here"):
        response = await api.rest("GET", path)
        assert response.status_code == 404 and response.headers["content-type"] == "application/json"
        assert response.json()["error"] == "Not Found"
