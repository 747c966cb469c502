"""A write scope does not read (schema/receipts.py): a key that may write a resource but not read it gets
back, from every create and update, on both faces, the identifying fields and what it wrote; a key that
also reads gets everything; an update that changes nothing leaves `updatedAt` as it was.

Every resource, through the REST rows' own GraphQL documents (one selection per resource, shared by the
two faces), plus tags and projects, which only GraphQL writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from graphql import get_named_type, print_ast

from signalgraph.rest_compat import openapi
from signalgraph.rest_compat.documents import operation
from signalgraph.rest_compat.routes import ROUTES, RestRoute
from signalgraph.schema.receipts import IDENTIFYING
from tests.factories import Api

V1 = "/external/v1"


@dataclass(frozen=True)
class Case:
    """A resource: its create row (`POST /insights`), a body for it, a field to change, and the parent it
    lives under (`/accounts/:id/contacts`: made first, by a key that reads and writes)."""

    create: str
    body: dict[str, Any]
    change: dict[str, Any]
    parent: tuple[str, dict[str, Any]] | None = None
    key: str = "id"

    @property
    def name(self) -> str:
        return self.create.split()[1].rsplit("/", 1)[1]

    def route(self, method: str, path: str) -> RestRoute:
        return next(r for r in ROUTES if r.method == method and r.path == path)

    @property
    def create_route(self) -> RestRoute:
        return self.route(*self.create.split())

    @property
    def update_route(self) -> RestRoute:
        path = self.create.split()[1]
        return next(r for r in ROUTES if r.method == "PATCH" and r.path.rsplit("/", 1)[0] == path)

    @property
    def read_scope(self) -> str:
        return self.create_route.scopes[0].value.replace(":write", ":read")


CASES = [
    Case("POST /signals", {"text": "Exports time out.", "signalType": "support_ticket"}, {"name": "Renamed"},
         key="publicId"),
    Case("POST /accounts", {"name": "Acme"}, {"domain": "acme.example"}),
    Case("POST /accounts/:id/contacts", {"name": "Pat"}, {"role": "VP"}, parent=("/accounts", {"name": "Acme"})),
    Case("POST /products", {"name": "Analytics", "description": "Dashboards."}, {"mission": "Clarity"}),
    Case("POST /products/:id/features", {"name": "Export", "description": "CSV."}, {"name": "Exports"},
         parent=("/products", {"name": "Analytics", "description": "Dashboards."})),
    Case("POST /products/:id/personas", {"name": "Analyst", "description": "Reads."}, {"name": "Analysts"},
         parent=("/products", {"name": "Analytics", "description": "Dashboards."})),
    Case("POST /insights", {"description": "Exports are slow."}, {"name": "Slow exports"}),
    Case("POST /opportunities", {"name": "Faster exports", "description": "Stream them."}, {"name": "Fast"}),
    Case("POST /ideas", {"name": "Background export", "description": "Email a link."}, {"name": "Later"}),
    Case("POST /okrs", {"objective": "Happier analysts", "priority": 1, "keyResults": []}, {"priority": 2}),
    Case("POST /context-units", {"name": "Glossary", "data": "# Terms"}, {"name": "Terms"}),
    Case("POST /context-documents", {"fileName": "notes.md", "content": "# Notes"}, {"description": "Notes"}),
]


@dataclass
class Face:
    """One write through REST or GraphQL, answered as {field: value} with the fields withheld (null and
    FORBIDDEN at their path on GraphQL, left out on REST) named apart."""

    status: int | None
    fields: dict[str, Any]
    withheld: set[str] = field(default_factory=set)


async def rest(api: Api, route: RestRoute, params: dict[str, str], body: dict[str, Any]) -> Face:
    response = await api.rest(route.method, route.concrete_path(params), json=body)
    return Face(response.status_code, response.json())


async def graphql(api: Api, route: RestRoute, params: dict[str, str], body: dict[str, Any]) -> Face:
    op = operation(route.document)
    result = await api.graphql(print_ast(op.document), {**params, "input": body})
    payload = result["data"][op.root_key]
    assert payload is not None, result
    key = next(s.name.value for s in op.root.selection_set.selections if s.selection_set)  # the object
    obj = payload[key]
    withheld = set()
    for error in result.get("errors", []):
        assert error["extensions"]["code"] == "FORBIDDEN", error
        assert error["path"][:2] == [op.root_key, key] and len(error["path"]) == 3, error
        assert obj[error["path"][2]] is None
        withheld.add(error["path"][2])
    return Face(None, obj, withheld)


FACES = {"rest": rest, "graphql": graphql}


async def given(case: Case, make_api) -> tuple[Api, Api, dict[str, str]]:
    """A key that reads and writes, a key of the same workspace that only writes, the parent's path id."""
    full = await make_api()
    writer = await make_api(workspace=full.workspace, scopes=[s.value for s in case.create_route.scopes])
    params: dict[str, str] = {}
    if case.parent is not None:
        made = await full.rest("POST", V1 + case.parent[0], json=case.parent[1])
        assert made.status_code == 201, made.text
        params["id"] = made.json()["id"]
    return full, writer, params


def receipt_fields(face: Face, sent: dict[str, Any]) -> set[str]:
    """What a key that only writes may see of the answer: the identifying fields and what it sent."""
    return {name for name in face.fields if name in IDENTIFYING or name in sent}


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_a_key_that_only_writes_gets_the_identifying_fields_and_what_it_wrote(case, face, make_http_api):
    full, writer, params = await given(case, make_http_api)
    send = FACES[face]
    everything = set((await send(full, case.create_route, params, case.body)).fields)

    created = await send(writer, case.create_route, params, case.body)
    ids = {**params, case.update_route.path_params[-1]: created.fields[case.key]}
    changed = await send(writer, case.update_route, ids, case.change)
    untouched = await send(writer, case.update_route, ids, {})

    assert created.status in (None, 201)
    for answer, sent in ((created, case.body), (changed, case.change), (untouched, {})):
        shown = {name for name, value in answer.fields.items() if name not in answer.withheld}
        assert shown - {"jobId"} == receipt_fields(answer, sent), (face, sent)
        assert answer.withheld == (set() if face == "rest" else everything - shown), (face, sent)
        assert {n: answer.fields[n] for n in sent if n in shown} == {n: v for n, v in sent.items() if n in shown}
    assert {"id", case.key} <= set(untouched.fields)
    if "workspaceId" in everything:
        assert created.fields["workspaceId"] == full.workspace_id


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_a_key_that_reads_and_writes_gets_everything(case, face, make_http_api):
    full, _, params = await given(case, make_http_api)
    send = FACES[face]

    created = await send(full, case.create_route, params, case.body)
    ids = {**params, case.update_route.path_params[-1]: created.fields[case.key]}
    changed = await send(full, case.update_route, ids, case.change)

    assert created.withheld == changed.withheld == set()
    assert set(created.fields) - {"jobId"} == set(changed.fields) == documented(case.update_route)
    assert all(changed.fields[name] == value for name, value in case.change.items())


def documented(route: RestRoute) -> set[str]:
    """The fields openapi.json lists in the route's success body."""
    path = re.sub(r":(\w+)", r"{\1}", route.documented_path)
    success = openapi.document()["paths"][path][route.method.lower()]["responses"][str(route.status)]
    return set(success["content"]["application/json"]["schema"]["properties"])


async def updated_at(api: Api, route: RestRoute, id_: str) -> str:
    """The object's `updatedAt`, through `node` (not every REST body has it)."""
    type_ = get_named_type(operation(route.document).result_type).name
    data = await api.ok(f"query($id: ID!) {{ node(id: $id) {{ ... on {type_} {{ updatedAt }} }} }}", {"id": id_})
    return data["node"]["updatedAt"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_an_update_that_changes_nothing_leaves_updated_at(case, make_http_api):
    full, _, params = await given(case, make_http_api)
    created = await rest(full, case.create_route, params, case.body)
    ids = {**params, case.update_route.path_params[-1]: created.fields[case.key]}
    stamps = [await updated_at(full, case.update_route, created.fields["id"])]
    for change in ({}, case.change, case.change, {}):  # nothing, a change, the same again, nothing
        answer = await rest(full, case.update_route, ids, change)
        assert answer.status == 200, answer.fields
        stamps.append(await updated_at(full, case.update_route, created.fields["id"]))

    before, nothing, changed, same, nothing_again = stamps
    assert nothing == before and changed > before
    assert same == nothing_again == changed


GRAPHQL_ONLY = {
    "tag": ("insights:write", "CreateTagInput", {"name": "billing"}, "UpdateTagInput", {"color": "#ff0000"},
            "id workspaceId name color createdAt updatedAt"),
    "project": ("okrs:write", "CreateProjectInput", {"name": "Exports"}, "UpdateProjectInput",
                {"description": "Faster"}, "id workspaceId name description status createdAt updatedAt"),
}


@pytest.mark.parametrize("thing", GRAPHQL_ONLY)
async def test_tags_and_projects_too(thing, make_http_api):
    scope, create_input, body, update_input, change, selection = GRAPHQL_ONLY[thing]
    full = await make_http_api()
    writer = await make_http_api(workspace=full.workspace, scopes=[scope])
    name = thing.capitalize()
    create = f"mutation($input: {create_input}!) {{ create{name}(input: $input) {{ {thing} {{ {selection} }} }} }}"
    update = (
        f"mutation($id: ID!, $input: {update_input}!) "
        f"{{ update{name}(id: $id, input: $input) {{ {thing} {{ {selection} }} }} }}"
    )

    made = await writer.graphql(create, {"input": body})
    obj = made["data"][f"create{name}"][thing]
    changed = await writer.graphql(update, {"id": obj["id"], "input": change})
    full_answer = await full.graphql(update, {"id": obj["id"], "input": {}})

    for answer, sent, root in ((made, body, f"create{name}"), (changed, change, f"update{name}")):
        shown = answer["data"][root][thing]
        visible = {k for k, v in shown.items() if v is not None}
        assert visible <= IDENTIFYING | set(sent) and set(sent) <= visible
        withheld = {e["path"][2] for e in answer["errors"] if e["extensions"]["code"] == "FORBIDDEN"}
        assert withheld == set(shown) - IDENTIFYING - set(sent)
    assert "errors" not in full_answer
    assert full_answer["data"][f"update{name}"][thing]["createdAt"] is not None


SIGNAL_WITH_TEXT = """
mutation($input: CreateSignalInput!) { createSignal(input: $input) { created signal { publicId text name } } }
"""
UPDATE_WITH_TEXT = 'mutation($p: String!) { updateSignal(publicId: $p, input: {}) { signal { publicId text } } }'


async def test_a_known_external_id_hands_back_no_text_to_a_key_that_only_writes(make_http_api):
    # given a signal with an externalId, and a key of its workspace that only writes signals
    full = await make_http_api()
    writer = await make_http_api(workspace=full.workspace, scopes=["signals:write"])
    secret = {"text": "The CFO resigns on Friday.", "signalType": "transcript", "externalId": "crm:1", "name": "Board"}
    first = await full.rest("POST", f"{V1}/signals", json=secret)
    assert first.status_code == 201

    # when it sends the same externalId, on both faces
    again = {**secret, "text": "anything", "name": "anything"}
    rest_answer = await writer.rest("POST", f"{V1}/signals", json=again)
    graphql_answer = await writer.graphql(SIGNAL_WITH_TEXT, {"input": again})
    walked = await writer.graphql(UPDATE_WITH_TEXT, {"p": first.json()["publicId"]})

    # then it learns the signal exists (its receipt), and nothing of it
    assert rest_answer.status_code == 200
    assert set(rest_answer.json()) == {"id", "publicId", "workspaceId", "status"}
    assert rest_answer.json()["publicId"] == first.json()["publicId"]
    found = graphql_answer["data"]["createSignal"]
    assert found["created"] is False and found["signal"]["text"] is None and found["signal"]["name"] is None
    assert walked["data"]["updateSignal"]["signal"] == {"publicId": first.json()["publicId"], "text": None}
    assert [e["path"] for e in walked["errors"]] == [["updateSignal", "signal", "text"]]


async def test_extracted_insights_are_receipts_for_a_key_that_only_writes(make_http_api):
    writer = await make_http_api(scopes=["insights:write"])
    body = {"transcript": "Customer: exporting a big report takes ten minutes.", "createInsights": True}

    response = await writer.rest("POST", f"{V1}/insights/process-transcript/insights", json=body)

    assert response.status_code == 200
    found = response.json()
    assert found and all(set(item) == {"id", "status"} for item in found)
