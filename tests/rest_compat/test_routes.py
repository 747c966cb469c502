"""The route table against the reference: every documented operation is served, under both prefixes."""

from __future__ import annotations

import asyncio
import re

import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, get_nullable_type

from signalgraph.rest_compat.documents import operation
from signalgraph.rest_compat.routes import ROUTES
from signalgraph.scopes import ALL_SCOPES
from tests.rest_compat.reference import endpoints

MISSING = "00000000-0000-0000-0000-000000000000"
AUTH_CONTEXT = ("GET", "/external/v1/auth/context")
CONTEXT_SEARCH = ("GET", "/external/v1/context/search")


def test_the_table_is_the_reference_plus_auth_context_and_context_search():
    documented = {(e["method"], e["path"]): (e["scope"], int(e["success_status"])) for e in endpoints()}
    table = {(r.method, r.documented_path): (" or ".join(s.value for s in r.scopes), r.status) for r in ROUTES}
    assert len(documented) == 65
    assert table.pop(AUTH_CONTEXT) == ("", 200)
    assert table.pop(CONTEXT_SEARCH) == ("context-units:read or context-documents:read", 200)
    assert table == documented


def test_each_row_names_its_own_operation():
    documents = [r.document for r in ROUTES]
    assert len(set(documents)) == len(documents)


@pytest.mark.parametrize("prefix", ["", "/api"])
async def test_every_documented_operation_is_served(api, prefix):
    """A made-up id may be 404 from the schema, a made-up body 400, but never an unrouted 404/405 or a 500."""

    async def send(row):
        kwargs = {}
        if row["path"].endswith("/upload"):
            kwargs["files"] = {"file": ("notes.md", b"# Notes", "text/markdown")}
        elif row["method"] in ("POST", "PATCH"):
            kwargs["json"] = {}
        return row, await api.rest(row["method"], prefix + re.sub(r":\w+", MISSING, row["path"]), **kwargs)

    unserved = []
    for row, response in await asyncio.gather(*(send(row) for row in endpoints())):
        unrouted = response.status_code == 404 and response.json()["message"].startswith("Cannot")
        if unrouted or response.status_code in (405, 500):
            unserved.append(f"{row['method']} {row['path']}: {response.status_code} {response.text}")
    assert unserved == []


def minimal(type_):
    """The smallest value of a GraphQL input type that passes coercion: required fields only."""
    type_ = get_nullable_type(type_)
    if isinstance(type_, GraphQLList):
        return []
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: minimal(f.type) for name, f in type_.fields.items() if isinstance(f.type, GraphQLNonNull)
        }
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    return {"Int": 1, "Float": 1.0, "Boolean": True, "ID": MISSING}.get(type_.name, "x")


async def test_each_row_scope_is_the_one_the_schema_enforces(make_api):
    """Without the row's scope (or scopes), a well-formed request is refused with 403 naming it."""

    async def send(route):
        api = await make_api(scopes=[s.value for s in ALL_SCOPES if s not in route.scopes])
        kwargs = {}
        if route.body == "json":
            kwargs["json"] = minimal(operation(route.document).variables["input"])
        elif route.body == "multipart":
            kwargs["files"] = {"file": ("notes.md", b"# Notes", "text/markdown")}
        required = {
            name: minimal(type_)
            for name, type_ in operation(route.document).variables.items()
            if isinstance(type_, GraphQLNonNull) and name not in (*route.path_params, "input", "limit", "offset")
        }
        path = re.sub(r":\w+", MISSING, route.documented_path)
        return route, await api.rest(route.method, path, params=required, **kwargs)

    results = await asyncio.gather(*(send(route) for route in ROUTES if route.scopes))
    wrong = [
        f"{route.method} {route.path}: {response.status_code} {response.text}"
        for route, response in results
        if response.json()
        != {
            "statusCode": 403,
            "message": "Missing scope: " + " or ".join(s.value for s in route.scopes),
            "error": "Forbidden",
        }
    ]
    assert wrong == []
