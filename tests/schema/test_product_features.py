"""A product's feature tree, personas and (read-only) questions through /graphql."""

from __future__ import annotations

from signalgraph.storage.models import ProductQuestion
from tests.factories import create_product

FEATURES = "query($p: ID!) { productFeatures(productId: $p) { id name parentId } }"
TREE = """
query($id: ID!) { product(id: $id) { features { name parent { name } children { name } } } }
"""
CREATE_FEATURE = """
mutation($p: ID!, $input: CreateProductFeatureInput!) {
  createProductFeature(productId: $p, input: $input) { productFeature { id productId name description parentId createdAt } }
}
"""
UPDATE_FEATURE = """
mutation($p: ID!, $id: ID!, $input: UpdateProductFeatureInput!) {
  updateProductFeature(productId: $p, id: $id, input: $input) { productFeature { id name description parentId updatedAt } }
}
"""
DELETE_FEATURE = "mutation($p: ID!, $id: ID!) { deleteProductFeature(productId: $p, id: $id) { deletedId message } }"
PERSONAS = (
    "query($p: ID!) { productPersonas(productId: $p) { id name description goals painPoints useCases } }"
)
CREATE_PERSONA = """
mutation($p: ID!, $input: CreateProductPersonaInput!) {
  createProductPersona(productId: $p, input: $input) { productPersona {
    id productId name description goals painPoints useCases
  } }
}
"""
UPDATE_PERSONA = """
mutation($p: ID!, $id: ID!, $input: UpdateProductPersonaInput!) {
  updateProductPersona(productId: $p, id: $id, input: $input) { productPersona {
    id name description goals painPoints useCases
  } }
}
"""
DELETE_PERSONA = "mutation($p: ID!, $id: ID!) { deleteProductPersona(productId: $p, id: $id) { deletedId message } }"
QUESTIONS = "query($p: ID!) { productQuestions(productId: $p) { id productId topic question status answer } }"
QUESTION = "query($p: ID!, $id: ID!) { productQuestion(productId: $p, id: $id) { id topic question } }"
MISSING = "00000000-0000-0000-0000-000000000000"


async def add_feature(api, product_id: str, name: str, parent_id: str | None = None) -> dict:
    feature = {"name": name, "description": f"{name} description", "parentId": parent_id}
    return (await api.ok(CREATE_FEATURE, {"p": product_id, "input": feature}))["createProductFeature"]["productFeature"]


async def add_persona(api, product_id: str, name: str = "PM", **fields) -> dict:
    persona = {"name": name, "description": "Owns discovery", **fields}
    return (await api.ok(CREATE_PERSONA, {"p": product_id, "input": persona}))["createProductPersona"]["productPersona"]


# -- features ----------------------------------------------------------------------------------
async def test_create_features_as_a_tree_and_read_it_both_ways(api):
    product = await create_product(api)
    root = await add_feature(api, product["id"], "Signal intake")
    child = await add_feature(api, product["id"], "CSV import", root["id"])
    assert root["productId"] == product["id"] and root["parentId"] is None
    assert root["description"] == "Signal intake description"
    assert child["parentId"] == root["id"]

    listed = (await api.ok(FEATURES, {"p": product["id"]}))["productFeatures"]
    assert [(f["name"], f["parentId"]) for f in listed] == [
        ("Signal intake", None),
        ("CSV import", root["id"]),
    ]
    tree = (await api.ok(TREE, {"id": product["id"]}))["product"]["features"]
    assert tree == [
        {"name": "Signal intake", "parent": None, "children": [{"name": "CSV import"}]},
        {"name": "CSV import", "parent": {"name": "Signal intake"}, "children": []},
    ]


async def test_parent_must_be_a_feature_of_the_same_product(api, make_api):
    product = await create_product(api, name="A")
    other = await create_product(api, name="B")
    foreign = await add_feature(api, other["id"], "Elsewhere")
    elsewhere = await make_api()
    their_product = await create_product(elsewhere)
    theirs = await add_feature(elsewhere, their_product["id"], "Theirs")
    mine = await add_feature(api, product["id"], "Mine")
    for parent_id in (foreign["id"], theirs["id"], MISSING):
        feature = {"name": "Child", "description": "d", "parentId": parent_id}
        error = await api.error(CREATE_FEATURE, {"p": product["id"], "input": feature})
        assert error["extensions"] == {"code": "NOT_FOUND", "field": "parentId"}
        error = await api.error(
            UPDATE_FEATURE, {"p": product["id"], "id": mine["id"], "input": {"parentId": parent_id}}
        )
        assert error["extensions"] == {"code": "NOT_FOUND", "field": "parentId"}


async def test_update_moves_renames_and_makes_a_root(api):
    product = await create_product(api)
    a = await add_feature(api, product["id"], "A")
    b = await add_feature(api, product["id"], "B")
    moved = await api.ok(UPDATE_FEATURE, {"p": product["id"], "id": b["id"], "input": {"parentId": a["id"]}})
    assert moved["updateProductFeature"]["productFeature"]["parentId"] == a["id"]
    assert (
        moved["updateProductFeature"]["productFeature"]["name"] == "B"
        and moved["updateProductFeature"]["productFeature"]["description"] == "B description"
    )
    renamed = await api.ok(UPDATE_FEATURE, {"p": product["id"], "id": b["id"], "input": {"name": "B2"}})
    assert (
        renamed["updateProductFeature"]["productFeature"]["parentId"] == a["id"]
        and renamed["updateProductFeature"]["productFeature"]["name"] == "B2"
    )
    rooted = await api.ok(UPDATE_FEATURE, {"p": product["id"], "id": b["id"], "input": {"parentId": None}})
    assert rooted["updateProductFeature"]["productFeature"]["parentId"] is None


async def test_a_feature_cannot_become_its_own_ancestor(api):
    product = await create_product(api)
    a = await add_feature(api, product["id"], "A")
    b = await add_feature(api, product["id"], "B", a["id"])
    c = await add_feature(api, product["id"], "C", b["id"])
    for parent_id in (a["id"], c["id"]):
        error = await api.error(
            UPDATE_FEATURE, {"p": product["id"], "id": a["id"], "input": {"parentId": parent_id}}
        )
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "parentId"}
    listed = (await api.ok(FEATURES, {"p": product["id"]}))["productFeatures"]
    assert [f["parentId"] for f in listed] == [None, a["id"], b["id"]]


async def test_feature_validation_names_the_field(api):
    product = await create_product(api)
    error = await api.error(CREATE_FEATURE, {"p": product["id"], "input": {"name": " ", "description": "d"}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    feature = await add_feature(api, product["id"], "A")
    for field in ("name", "description"):
        error = await api.error(
            UPDATE_FEATURE, {"p": product["id"], "id": feature["id"], "input": {field: None}}
        )
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_deleting_a_feature_makes_its_children_roots(api):
    product = await create_product(api)
    a = await add_feature(api, product["id"], "A")
    await add_feature(api, product["id"], "B", a["id"])
    deleted = (await api.ok(DELETE_FEATURE, {"p": product["id"], "id": a["id"]}))["deleteProductFeature"]
    assert deleted == {"deletedId": a["id"], "message": "Deleted"}
    assert [
        (f["name"], f["parentId"]) for f in (await api.ok(FEATURES, {"p": product["id"]}))["productFeatures"]
    ] == [("B", None)]
    assert await api.error_code(DELETE_FEATURE, {"p": product["id"], "id": a["id"]}) == "NOT_FOUND"


async def test_a_feature_is_only_reachable_through_its_own_product(api):
    product = await create_product(api, name="A")
    other = await create_product(api, name="B")
    feature = await add_feature(api, product["id"], "F")
    wrong = {"p": other["id"], "id": feature["id"]}
    assert await api.error_code(UPDATE_FEATURE, {**wrong, "input": {"name": "x"}}) == "NOT_FOUND"
    assert await api.error_code(DELETE_FEATURE, wrong) == "NOT_FOUND"
    assert [f["name"] for f in (await api.ok(FEATURES, {"p": product["id"]}))["productFeatures"]] == ["F"]


async def test_sub_resources_of_a_missing_product_are_not_found_not_empty(api):
    for query in (FEATURES, PERSONAS, QUESTIONS):
        error = await api.error(query, {"p": MISSING})
        assert error["extensions"]["code"] == "NOT_FOUND" and MISSING in error["message"]
    assert await api.error_code(QUESTION, {"p": MISSING, "id": MISSING}) == "NOT_FOUND"
    assert (
        await api.error_code(CREATE_FEATURE, {"p": MISSING, "input": {"name": "n", "description": "d"}})
        == "NOT_FOUND"
    )
    assert (
        await api.error_code(CREATE_PERSONA, {"p": MISSING, "input": {"name": "n", "description": "d"}})
        == "NOT_FOUND"
    )
    product = await create_product(api)
    assert (await api.ok(FEATURES, {"p": product["id"]}))["productFeatures"] == []


# -- personas ----------------------------------------------------------------------------------
async def test_persona_create_list_update_delete(api):
    product = await create_product(api)
    persona = await add_persona(api, product["id"], goals=["Ship faster"], painPoints=["Scattered notes"])
    assert persona["productId"] == product["id"]
    assert persona["goals"] == ["Ship faster"] and persona["painPoints"] == ["Scattered notes"]
    assert persona["useCases"] == []

    changes = {"description": "Synthesises discovery", "goals": ["Evidence"], "painPoints": None}
    updated = await api.ok(UPDATE_PERSONA, {"p": product["id"], "id": persona["id"], "input": changes})
    assert updated["updateProductPersona"]["productPersona"] == {
        "id": persona["id"],
        "name": "PM",
        "description": "Synthesises discovery",
        "goals": ["Evidence"],
        "painPoints": [],
        "useCases": [],
    }
    listed = (await api.ok(PERSONAS, {"p": product["id"]}))["productPersonas"]
    assert listed == [updated["updateProductPersona"]["productPersona"]]

    deleted = (await api.ok(DELETE_PERSONA, {"p": product["id"], "id": persona["id"]}))[
        "deleteProductPersona"
    ]
    assert deleted == {"deletedId": persona["id"], "message": "Deleted"}
    assert (await api.ok(PERSONAS, {"p": product["id"]}))["productPersonas"] == []
    assert await api.error_code(DELETE_PERSONA, {"p": product["id"], "id": persona["id"]}) == "NOT_FOUND"


async def test_persona_validation_and_ownership(api):
    product = await create_product(api, name="A")
    other = await create_product(api, name="B")
    error = await api.error(CREATE_PERSONA, {"p": product["id"], "input": {"name": "PM", "description": ""}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "description"}
    persona = await add_persona(api, product["id"])
    error = await api.error(
        UPDATE_PERSONA, {"p": product["id"], "id": persona["id"], "input": {"name": None}}
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    wrong = {"p": other["id"], "id": persona["id"]}
    assert await api.error_code(UPDATE_PERSONA, {**wrong, "input": {"name": "x"}}) == "NOT_FOUND"
    assert await api.error_code(DELETE_PERSONA, wrong) == "NOT_FOUND"


# -- questions ---------------------------------------------------------------------------------
async def store_question(services, workspace_id: str, product_id: str, topic: str) -> str:
    async with services.db.write() as session:
        question = ProductQuestion(
            workspace_id=workspace_id, product_id=product_id, topic=topic, question=f"What about {topic}?"
        )
        session.add(question)
    return question.id


async def test_questions_are_listed_and_read_by_product(api, services):
    product = await create_product(api, name="A")
    other = await create_product(api, name="B")
    mission = await store_question(services, api.workspace_id, product["id"], "mission")
    await store_question(services, api.workspace_id, product["id"], "kpis")
    theirs = await store_question(services, api.workspace_id, other["id"], "mission")

    listed = (await api.ok(QUESTIONS, {"p": product["id"]}))["productQuestions"]
    assert [(q["topic"], q["status"], q["answer"]) for q in listed] == [
        ("mission", "open", None),
        ("kpis", "open", None),
    ]
    assert all(q["productId"] == product["id"] for q in listed)
    one = (await api.ok(QUESTION, {"p": product["id"], "id": mission}))["productQuestion"]
    assert one == {"id": mission, "topic": "mission", "question": "What about mission?"}
    assert (await api.ok(QUESTION, {"p": product["id"], "id": theirs}))["productQuestion"] is None
    nested = await api.ok("query($id: ID!) { product(id: $id) { questions { topic } } }", {"id": other["id"]})
    assert nested["product"]["questions"] == [{"topic": "mission"}]


# -- scopes and workspaces ---------------------------------------------------------------------
async def test_feature_and_persona_writes_need_products_write_deletes_included(make_api):
    owner = await make_api()
    product = await create_product(owner)
    feature = await add_feature(owner, product["id"], "F")
    persona = await add_persona(owner, product["id"])
    reader = await make_api(scopes=["products:read"], workspace=owner.workspace)
    assert [f["name"] for f in (await reader.ok(FEATURES, {"p": product["id"]}))["productFeatures"]] == ["F"]
    refused = [
        (CREATE_FEATURE, {"p": product["id"], "input": {"name": "n", "description": "d"}}),
        (UPDATE_FEATURE, {"p": product["id"], "id": feature["id"], "input": {"name": "x"}}),
        (DELETE_FEATURE, {"p": product["id"], "id": feature["id"]}),
        (CREATE_PERSONA, {"p": product["id"], "input": {"name": "n", "description": "d"}}),
        (UPDATE_PERSONA, {"p": product["id"], "id": persona["id"], "input": {"name": "x"}}),
        (DELETE_PERSONA, {"p": product["id"], "id": persona["id"]}),
    ]
    for document, variables in refused:
        assert await reader.error_code(document, variables) == "FORBIDDEN"
    writer = await make_api(scopes=["products:write"], workspace=owner.workspace)
    assert await writer.error_code(FEATURES, {"p": product["id"]}) == "FORBIDDEN"
    assert (await writer.ok(DELETE_FEATURE, {"p": product["id"], "id": feature["id"]}))[
        "deleteProductFeature"
    ]
    assert (await writer.ok(DELETE_PERSONA, {"p": product["id"], "id": persona["id"]}))[
        "deleteProductPersona"
    ]


async def test_other_workspace_cannot_reach_features_personas_or_questions(make_api, services):
    alice = await make_api()
    bob = await make_api()
    product = await create_product(alice)
    feature = await add_feature(alice, product["id"], "F")
    persona = await add_persona(alice, product["id"])
    question = await store_question(services, alice.workspace_id, product["id"], "mission")
    p = product["id"]
    assert await bob.error_code(FEATURES, {"p": p}) == "NOT_FOUND"
    assert await bob.error_code(PERSONAS, {"p": p}) == "NOT_FOUND"
    assert await bob.error_code(QUESTIONS, {"p": p}) == "NOT_FOUND"
    assert await bob.error_code(QUESTION, {"p": p, "id": question}) == "NOT_FOUND"
    assert (
        await bob.error_code(CREATE_FEATURE, {"p": p, "input": {"name": "n", "description": "d"}})
        == "NOT_FOUND"
    )
    assert (
        await bob.error_code(UPDATE_FEATURE, {"p": p, "id": feature["id"], "input": {"name": "x"}})
        == "NOT_FOUND"
    )
    assert await bob.error_code(DELETE_FEATURE, {"p": p, "id": feature["id"]}) == "NOT_FOUND"
    assert (
        await bob.error_code(UPDATE_PERSONA, {"p": p, "id": persona["id"], "input": {"name": "x"}})
        == "NOT_FOUND"
    )
    assert await bob.error_code(DELETE_PERSONA, {"p": p, "id": persona["id"]}) == "NOT_FOUND"
    assert [f["name"] for f in (await alice.ok(FEATURES, {"p": p}))["productFeatures"]] == ["F"]
    assert [x["name"] for x in (await alice.ok(PERSONAS, {"p": p}))["productPersonas"]] == ["PM"]
