"""GET /external/v1/openapi.json: OpenAPI 3.1, generated from the route table, valid, complete."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from signalgraph.rest_compat import idempotency
from signalgraph.rest_compat.documents import graphql_schema
from signalgraph.rest_compat.routes import ROUTES
from signalgraph.schema import input_rules
from signalgraph.vocabulary import INSIGHT_TYPES
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


def body_schema(spec, method, path):
    content = operations(spec)[(method, path)]["requestBody"]["content"]
    ref = next(iter(content.values()))["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]


def parameter(spec, method, path, name):
    return next(p for p in operations(spec)[(method, path)]["parameters"] if p["name"] == name)


async def test_paging_and_integers_carry_the_bounds_the_server_applies(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    limit = parameter(spec, "GET", "/external/v1/signals", "limit")["schema"]
    offset = parameter(spec, "GET", "/external/v1/signals", "offset")["schema"]
    assert limit["minimum"] == 0 and "maximum" not in limit  # larger limits are clamped to 100
    assert (offset["minimum"], offset["maximum"]) == (0, 2**31 - 1)  # an Int is 32 bits
    okr = body_schema(spec, "POST", "/external/v1/okrs")
    assert (okr["properties"]["priority"]["minimum"], okr["properties"]["priority"]["maximum"]) == (
        -(2**31),
        2**31 - 1,
    )
    search_limit = parameter(spec, "GET", "/external/v1/context/search", "limit")["schema"]
    assert (search_limit["minimum"], search_limit["maximum"]) == (1, 100)


async def test_required_text_is_not_blank_and_update_fields_that_refuse_null_are_not_nullable(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    create = body_schema(spec, "POST", "/external/v1/accounts")["properties"]
    assert create["name"]["minLength"] == 1 and create["name"]["pattern"] == input_rules.NOT_BLANK_PATTERN
    assert create["name"]["maxLength"] == 500
    assert {"type": "null"} in create["domain"]["anyOf"]  # optional text may be null, or blank
    update = body_schema(spec, "PATCH", "/external/v1/accounts/{id}")["properties"]
    assert update["name"]["type"] == "string" and "anyOf" not in update["name"]
    contact = body_schema(spec, "PATCH", "/external/v1/accounts/{id}/contacts/{contactId}")["properties"]
    assert contact["isPrimary"]["type"] == "boolean" and "anyOf" not in contact["isPrimary"]
    document = body_schema(spec, "PATCH", "/external/v1/context-documents/{id}")["properties"]
    assert "anyOf" not in document["fileName"]
    opportunity = body_schema(spec, "PATCH", "/external/v1/opportunities/{id}")["properties"]  # declared
    assert opportunity["name"]["minLength"] == 1 and "anyOf" not in opportunity["name"]
    assert (opportunity["score"]["anyOf"][0]["minimum"], opportunity["score"]["anyOf"][0]["maximum"]) == (0, 100)
    assert operations(spec)[("PATCH", "/external/v1/accounts/{id}")]["requestBody"]["required"] is False
    assert operations(spec)[("POST", "/external/v1/accounts")]["requestBody"]["required"] is True


async def test_value_sets_are_enums_not_prose(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    insight = body_schema(spec, "POST", "/external/v1/insights")["properties"]
    assert insight["type"]["anyOf"][0]["enum"] == list(INSIGHT_TYPES)
    pattern = re.compile(parameter(spec, "GET", "/external/v1/insights", "include")["schema"]["pattern"])
    for accepted in ("provenance", "classifications,provenance", " provenance , ", ""):
        assert pattern.search(accepted), accepted
    for refused in ("everything", "provenance,x", "provenances"):
        assert not pattern.search(refused), refused


async def test_context_search_requires_q_and_may_answer_404(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    q = parameter(spec, "GET", "/external/v1/context/search", "q")
    assert q["required"] is True
    assert q["schema"] == {"type": "string", "minLength": 1, "pattern": input_rules.NOT_BLANK_PATTERN, "maxLength": 1000}
    assert "404" in operations(spec)[("GET", "/external/v1/context/search")]["responses"]


async def test_the_idempotency_key_pattern_is_the_one_the_server_enforces(http):
    spec = (await http.get("/external/v1/openapi.json")).json()
    key = parameter(spec, "POST", "/external/v1/insights", "Idempotency-Key")["schema"]
    assert key["pattern"] == idempotency.KEY_PATTERN.pattern
    assert key["maxLength"] == idempotency.MAX_KEY_LENGTH


def test_every_rule_names_a_field_of_the_schema():
    """The rules are keyed by name: a typo would silently check (and document) nothing."""
    gql = graphql_schema()
    for key in input_rules.RULES:
        owner, _, name = key.rpartition(".")
        if owner == "Filter":
            continue
        if owner.startswith(("Query.", "Mutation.")):
            root, field = owner.split(".")
            assert name in gql.get_type(root).fields[field].args, key
        else:
            assert name in gql.get_type(owner).fields, key
