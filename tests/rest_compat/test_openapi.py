"""GET /external/v1/openapi.json: OpenAPI 3.1, generated from the route table, valid, complete."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from signalgraph.rest_compat.routes import ROUTES
from tests.rest_compat.reference import endpoints

METHODS = ("get", "post", "patch", "delete")


@pytest.fixture
async def backend(backends):
    """The document comes from the route table, not the database: one backend serves it."""
    return await backends.get("sqlite")


def operations(spec):
    return {
        (method.upper(), path): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def documented(path: str) -> str:
    return "/".join("{" + s[1:] + "}" if s.startswith(":") else s for s in path.split("/"))


async def test_the_document_validates_and_lists_every_operation(http):
    response = await http.get("/external/v1/openapi.json")  # no key needed
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    ops = operations(spec)
    expected = {(e["method"], documented(e["path"])) for e in endpoints()} | {
        ("GET", "/external/v1/auth/context"),
        ("GET", "/external/v1/context/search"),
    }
    assert set(ops) == expected
    assert len(ops) == len(ROUTES) == 67
    assert (await http.get("/api/external/v1/openapi.json")).json() == spec


async def test_operations_carry_scopes_statuses_parameters_and_bodies(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    ops = operations(spec)
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    for e in endpoints():
        op = ops[(e["method"], documented(e["path"]))]
        assert op["security"] == [{"bearerAuth": [e["scope"]]}]
        assert e["success_status"] in op["responses"]
        path_params = {p["name"] for p in op["parameters"] if p["in"] == "path"}
        assert path_params == {s[1:] for s in e["path"].split("/") if s.startswith(":")}
        if e["method"] in ("POST", "PATCH"):
            assert any(p["name"] == "Idempotency-Key" for p in op["parameters"])


async def test_list_operations_document_paging_and_headers(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    listing = operations(spec)[("GET", "/external/v1/accounts")]
    names = {p["name"] for p in listing["parameters"]}
    assert {"limit", "offset", "q", "name", "domain", "externalId"} <= names
    ok = listing["responses"]["200"]
    assert set(ok["headers"]) == {"X-Total-Count", "X-Limit", "X-Offset", "X-Has-More"}
    assert ok["content"]["application/json"]["schema"]["type"] == "array"


async def test_bodies_come_from_the_graphql_inputs(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    create = operations(spec)[("POST", "/external/v1/insights")]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert schema["required"] == ["description"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["status"]["anyOf"][0] == {
        "type": "string",
        "enum": ["draft", "published", "archived"],
    }
    body = create["responses"]["201"]["content"]["application/json"]["schema"]
    assert {"id", "description", "tagIds", "createdAt"} <= set(body["required"])
    upload = operations(spec)[("POST", "/external/v1/context-documents/upload")]
    assert "multipart/form-data" in upload["requestBody"]["content"]


async def test_include_is_documented_with_its_values(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    product = operations(spec)[("GET", "/external/v1/products/{id}")]
    include = next(p for p in product["parameters"] if p["name"] == "include")
    assert include["description"] == "Comma-separated: features, personas, questions, metrics"
    body = product["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"features", "personas", "questions", "metrics"} <= set(body["properties"])
    assert "features" not in body["required"]
