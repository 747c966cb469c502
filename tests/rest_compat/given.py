"""Objects made through the REST API itself, for tests that need something to point at."""

from __future__ import annotations

from typing import Any

from tests.factories import Api

V1 = "/external/v1"


async def post(api: Api, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await api.rest("POST", V1 + path, json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def insight(api: Api, **fields: Any) -> dict[str, Any]:
    return await post(api, "/insights", {"description": "An observation", **fields})


async def product(api: Api, **fields: Any) -> dict[str, Any]:
    return await post(api, "/products", {"name": "Discovery", "description": "A product", **fields})


async def account(api: Api, **fields: Any) -> dict[str, Any]:
    return await post(api, "/accounts", {"name": "Example Account", **fields})


async def tag(api: Api, name: str = "billing") -> dict[str, Any]:
    data = await api.ok(
        "mutation($input: CreateTagInput!) { createTag(input: $input) { tag { id name } } }",
        {"input": {"name": name}},
    )
    return data["createTag"]["tag"]
