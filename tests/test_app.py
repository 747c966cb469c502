"""Health checks answer without a key, at both prefixes; readiness follows the database."""

from __future__ import annotations

import pytest
from httpx import ASGITransport, AsyncClient

from signalgraph.app import create_app
from signalgraph.settings import Settings


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
