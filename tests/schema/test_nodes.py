"""Global object identification: every id any field returns resolves through `node`/`nodes` to the same object,
within the caller's workspace (another's is null) and scopes (FORBIDDEN at the item's path)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, get_named_type

from signalgraph.resolvers.nodes import NODE_SCOPES
from signalgraph.schema import schema
from tests.factories import (
    create_account,
    create_context_document,
    create_context_unit,
    create_idea,
    create_insight,
    create_okr,
    create_opportunity,
    create_product,
    create_project,
    create_signal,
)

NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"
NODE = "query($id: ID!) { node(id: $id) { __typename id ... on Insight { description } } }"
GQL = schema._schema
NODE_TYPES = {t.name for t in GQL.get_possible_types(GQL.get_type("Node"))}


def _is_id(type_: Any) -> bool:
    """ID, ID!, [ID!] or [ID!]!."""
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        inner = inner.of_type.of_type if isinstance(inner.of_type, GraphQLNonNull) else inner.of_type
    return getattr(inner, "name", None) == "ID"


def _selection(type_: GraphQLObjectType, depth: int) -> str:
    """`__typename` and every ID field of a node type; at depth 0, the same one level down every relation
    that takes no required argument (a list, an object, or a connection's nodes)."""
    parts = ["__typename"] + [name for name, f in type_.fields.items() if _is_id(f.type)]
    for name, field in type_.fields.items() if depth == 0 else ():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        target = get_named_type(field.type)
        if target.name in NODE_TYPES:
            parts.append(f"{name} {{ {_selection(target, 1)} }}")
        elif target.name.endswith("Connection") and get_named_type(target.fields["nodes"].type).name in NODE_TYPES:
            parts.append(f"{name} {{ nodes {{ {_selection(get_named_type(target.fields['nodes'].type), 1)} }} }}")
    return " ".join(parts)


def broad_queries() -> list[str]:
    """One query per root list of node types, and the viewer."""
    queries = ["{ viewer { workspace { __typename id } key { __typename id } } }"]
    for name, field in GQL.query_type.fields.items():
        target = get_named_type(field.type)
        if target.name.endswith("Connection") and not any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            node_type = get_named_type(target.fields["nodes"].type)
            if node_type.name in NODE_TYPES:
                queries.append(f"{{ {name}(first: 20) {{ nodes {{ {_selection(node_type, 0)} }} }} }}")
    return queries


def collect(value: Any, objects: dict[str, str], references: set[str]) -> None:
    """Objects (id → __typename) and every id any field returned."""
    if isinstance(value, list):
        for item in value:
            collect(item, objects, references)
    elif isinstance(value, dict):
        if "__typename" in value and "id" in value:
            objects[value["id"]] = value["__typename"]
        for key, item in value.items():
            if key in ("id", "workspaceId") or key.endswith("Id"):
                references.update([item] if item is not None else [])
            elif key.endswith("Ids"):
                references.update(item)
            else:
                collect(item, objects, references)


async def seed(api) -> dict[str, Any]:
    """A workspace with one of everything, linked together."""
    product = await create_product(api)
    await api.ok(
        'mutation($p: ID!) { createProductFeature(productId: $p, input: {name: "Maps", description: "m"}) '
        "{ productFeature { id } } }", {"p": product["id"]},
    )
    await api.ok(
        'mutation($p: ID!) { createProductPersona(productId: $p, input: {name: "Ops", description: "d"}) '
        "{ productPersona { id } } }", {"p": product["id"]},
    )
    account = await create_account(api)
    await api.ok('mutation($a: ID!) { createContact(accountId: $a, input: {name: "Pat"}) { contact { id } } }',
                 {"a": account["id"]})
    tag = (await api.ok('mutation { createTag(input: {name: "exports"}) { tag { id } } }'))["createTag"]["tag"]
    insight = await create_insight(api, productId=product["id"], accountIds=[account["id"]], tagIds=[tag["id"]])
    opportunity = await create_opportunity(api, productId=product["id"], insightIds=[insight["id"]])
    await create_idea(api, productId=product["id"], opportunityIds=[opportunity["id"]], insightIds=[insight["id"]])
    project = await create_project(api)
    await create_okr(api, productIds=[product["id"]], keyResults=[{"name": "KR", "projectIds": [project["id"]]}])
    await create_context_unit(api, productId=product["id"])
    await create_context_document(api, productId=product["id"])
    created = await api.ok(
        "mutation($input: CreateSignalInput!) { createSignal(input: $input) { jobId signal { id } } }",
        {"input": {"text": "Exports are slow.", "signalType": "review", "accountIds": [account["id"]],
                   "productIds": [product["id"]]}},
    )
    await api.ok(
        "mutation($id: String!, $ids: [ID!]) { updateSignal(publicId: $id, input: {insightIds: $ids}) { signal { id } } }",
        {"id": (await api.ok("{ signals { nodes { publicId } } }"))["signals"]["nodes"][0]["publicId"],
         "ids": [insight["id"]]},
    )
    return {"insight": insight, "job_id": created["createSignal"]["jobId"], "product": product}


def test_every_object_type_with_an_id_is_a_node_and_every_node_type_resolves():
    with_id = {
        t.name for t in GQL.type_map.values()
        if isinstance(t, GraphQLObjectType) and not t.name.startswith("__")
        and "id" in t.fields and str(t.fields["id"].type) == "ID!"
    }
    # A search hit's id is its unit's or document's: that object is the node, not the hit.
    assert with_id - {"ContextSearchHit"} == NODE_TYPES
    assert NODE_TYPES == {m.__name__ for m in NODE_SCOPES} | {"Workspace", "ApiKeyInfo"}


# `…Id` fields that are not ids of Signalgraph objects: another system's (external, vector store) or the
# signal's own public number, which `signal(publicId:)` takes.
NOT_NODE_IDS = {"externalId", "accountExternalId", "vectorFileId", "publicId"}


def test_every_field_that_returns_an_id_of_an_object_is_typed_id():
    not_id = {
        f"{t.name}.{name}"
        for t in GQL.type_map.values()
        if isinstance(t, GraphQLObjectType) and not t.name.startswith("__")
        for name, field in t.fields.items()
        if name.endswith(("Id", "Ids")) and name not in NOT_NODE_IDS and get_named_type(field.type).name != "ID"
    }
    assert not_id == set()  # a client's cache and node(id:) key on the ID type (jobId, lastJobId were String)


async def test_every_id_returned_resolves_to_the_same_object(http_api):
    # given a workspace with one of everything, and every id a broad set of queries returns
    seeded = await seed(http_api)
    objects: dict[str, str] = {}
    references: set[str] = set()
    for query in broad_queries():
        collect(await http_api.ok(query), objects, references)
    references.add(seeded["job_id"])
    assert seeded["job_id"] and len(set(objects.values())) >= 14  # most node types were seen

    # when they are asked for through nodes(ids:)
    ids = sorted(references | set(objects))
    resolved = []
    for start in range(0, len(ids), 100):
        resolved += (await http_api.ok(NODES, {"ids": ids[start:start + 100]}))["nodes"]

    # then each is the object with that id, of the type its own field said
    assert [node and node["id"] for node in resolved] == ids
    for node in resolved:
        assert node["__typename"] == objects.get(node["id"], node["__typename"])
    assert {n["id"]: n["__typename"] for n in resolved}[seeded["job_id"]] == "Job"
    one = await http_api.ok(NODE, {"id": seeded["insight"]["id"]})
    assert one == {"node": {"__typename": "Insight", "id": seeded["insight"]["id"], "description": "An observation"}}


async def test_signal_by_id_or_public_id(http_api):
    signal = await create_signal(http_api)
    by_id = await http_api.ok("query($id: ID!) { signal(id: $id) { publicId } }", {"id": signal["id"]})
    by_public = await http_api.ok("query($p: String!) { signal(publicId: $p) { id } }", {"p": signal["publicId"]})

    assert by_id == {"signal": {"publicId": signal["publicId"]}} and by_public == {"signal": {"id": signal["id"]}}
    error = await http_api.error("{ signal { id } }")
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_another_workspace_is_not_found_and_a_missing_scope_is_forbidden(http_api, make_http_api):
    insight = await create_insight(http_api)
    product = await create_product(http_api)
    stranger = await make_http_api()
    reader = await make_http_api(scopes=["products:read"], workspace=http_api.workspace)

    assert await stranger.ok(NODES, {"ids": [insight["id"], product["id"]]}) == {"nodes": [None, None]}
    assert await stranger.ok(NODE, {"id": insight["id"]}) == {"node": None}

    body = await reader.graphql(NODES, {"ids": [insight["id"], product["id"]]})
    assert body["data"] == {"nodes": [None, {"__typename": "Product", "id": product["id"]}]}
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (["nodes", 0], "FORBIDDEN")
    assert "insights:read" in error["message"]
    single = await reader.graphql(NODE, {"id": insight["id"]})
    assert single["data"] == {"node": None} and single["errors"][0]["path"] == ["node"]
