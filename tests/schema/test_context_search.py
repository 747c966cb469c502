"""searchContext through /graphql: what indexing made findable, ranked, scoped by product and workspace,
kept current on change and delete, and shown only to keys that may read its kind."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from signalgraph.storage.repositories.context_search import STOPWORDS
from tests.factories import (
    create_context_document,
    create_context_unit,
    create_product,
    upload_context_document,
)

SEARCH = """
query($query: String!, $productId: ID, $first: Int) {
  searchContext(query: $query, productId: $productId, first: $first) { kind id name snippet score productId }
}
"""
UNIT = "query($id: ID!) { contextUnit(id: $id) { indexingStatus vectorFileId } }"
DOCUMENT = "query($id: ID!) { contextDocument(id: $id) { indexingStatus vectorFileId } }"
UPDATE_UNIT = """
mutation($id: ID!, $input: UpdateContextUnitInput!) { updateContextUnit(id: $id, input: $input) { contextUnit { id indexingStatus } } }
"""
UPDATE_DOCUMENT = """
mutation($id: ID!, $input: UpdateContextDocumentInput!) {
  updateContextDocument(id: $id, input: $input) { contextDocument { id indexingStatus } }
}
"""
DELETE_UNIT = "mutation($id: ID!) { deleteContextUnit(id: $id) { deletedId } }"
DELETE_DOCUMENT = "mutation($id: ID!) { deleteContextDocument(id: $id) { deletedId } }"


async def search(api, query, **variables):
    return (await api.ok(SEARCH, {"query": query, **variables}))["searchContext"]


async def test_created_context_is_indexed_and_found_with_a_snippet(api, services):
    unit = await create_context_unit(
        api, name="Pricing principles", data="## Pricing\n\nWe never charge per seat for viewers; annual plans get "
        "two months free."
    )
    document = await create_context_document(
        api, fileName="activation-research.md", content="# Activation research\n\nTeams need clearer setup progress.",
        description="Research notes for activation planning."
    )
    assert unit["indexingStatus"] == document["indexingStatus"] == "pending"
    await services.queue.drain()

    assert (await api.ok(UNIT, {"id": unit["id"]}))["contextUnit"] == {
        "indexingStatus": "indexed", "vectorFileId": f"fts-{unit['id']}"
    }
    assert (await api.ok(DOCUMENT, {"id": document["id"]}))["contextDocument"] == {
        "indexingStatus": "indexed", "vectorFileId": f"fts-{document['id']}"
    }
    hit, = await search(api, "viewers seat")
    assert (hit["kind"], hit["id"], hit["name"], hit["productId"]) == ("unit", unit["id"], "Pricing principles", None)
    assert "**seat**" in hit["snippet"] and "**viewers**" in hit["snippet"] and hit["score"] > 0
    hit, = await search(api, "setup progress")
    assert (hit["kind"], hit["id"], hit["name"]) == ("document", document["id"], "activation-research.md")
    assert "**setup** **progress**" in hit["snippet"]
    assert await search(api, "progress seat") == []  # every word must match


async def test_results_are_ranked_by_relevance(api, services):
    passing = await create_context_unit(api, name="Support hours", data="Onboarding calls happen on Tuesdays.")
    focused = await create_context_unit(
        api, name="Onboarding checklist", data="Onboarding: every onboarding starts with an onboarding call."
    )
    await create_context_unit(api, name="Unrelated", data="Quarterly planning notes.")
    await services.queue.drain()

    hits = await search(api, "onboarding")

    assert [h["id"] for h in hits] == [focused["id"], passing["id"]]
    assert hits[0]["score"] > hits[1]["score"]
    assert [h["id"] for h in await search(api, "onboarding", first=1)] == [focused["id"]]


async def test_product_scope_includes_global_context_only(api, services):
    web, mobile = await create_product(api, name="Web"), await create_product(api, name="Mobile")
    web_unit = await create_context_unit(api, name="Web rollout", data="Release trains ship weekly.",
                                         productId=web["id"])
    mobile_doc = await create_context_document(api, fileName="mobile.md", content="Release trains ship monthly.",
                                               productId=mobile["id"])
    global_unit = await create_context_unit(api, name="Company", data="Release trains need a changelog.")
    await services.queue.drain()

    assert {h["id"] for h in await search(api, "release trains")} == {web_unit["id"], mobile_doc["id"], global_unit["id"]}
    assert {h["id"] for h in await search(api, "release trains", productId=web["id"])} == {
        web_unit["id"], global_unit["id"]
    }
    hits = await search(api, "release trains", productId=mobile["id"])
    assert {(h["id"], h["productId"]) for h in hits} == {(mobile_doc["id"], mobile["id"]), (global_unit["id"], None)}


async def test_a_changed_unit_is_indexed_again(api, services):
    unit = await create_context_unit(api, name="Tone", data="Write in a formal register.")
    await services.queue.drain()

    changed = (await api.ok(UPDATE_UNIT, {"id": unit["id"], "input": {"data": "Write casually, like a friend."}}))
    assert changed["updateContextUnit"]["contextUnit"]["indexingStatus"] == "pending"
    await services.queue.drain()

    assert await search(api, "formal register") == []
    assert [h["id"] for h in await search(api, "casually friend")] == [unit["id"]]
    assert (await api.ok(UNIT, {"id": unit["id"]}))["contextUnit"]["indexingStatus"] == "indexed"
    await api.ok(UPDATE_UNIT, {"id": unit["id"], "input": {"name": "Voice and tone"}})
    await services.queue.drain()
    assert [h["name"] for h in await search(api, "voice")] == ["Voice and tone"]


async def test_a_rescoped_document_moves_with_its_product(api, services):
    product = await create_product(api)
    document = await create_context_document(api, fileName="faq.md", content="Refunds take five days.")
    await services.queue.drain()

    await api.ok(UPDATE_DOCUMENT, {"id": document["id"], "input": {"productId": product["id"]}})
    await services.queue.drain()

    hit, = await search(api, "refunds", productId=product["id"])
    assert hit["productId"] == product["id"]


async def test_deleted_context_is_removed_from_the_index(api, services):
    unit = await create_context_unit(api, name="Legacy", data="Deprecated billing rules.")
    document = await create_context_document(api, fileName="old.md", content="Deprecated billing notes.")
    await services.queue.drain()
    assert len(await search(api, "deprecated billing")) == 2

    await api.ok(DELETE_UNIT, {"id": unit["id"]})
    await api.ok(DELETE_DOCUMENT, {"id": document["id"]})

    assert await search(api, "deprecated billing") == []


async def test_binary_documents_are_found_by_name_and_description_only(api, services):
    body = await upload_context_document(api, "roadmap.pdf", b"%PDF-1.7 binary quarterly roadmap",
                                         "application/pdf", description="Board deck")
    document = body["data"]["uploadContextDocument"]["contextDocument"]
    html = await create_context_document(api, fileName="page.html", mimeType="text/html",
                                         content="<html><style>.x{}</style><body><p>Churn <b>playbook</b></p></body>")
    await services.queue.drain()

    assert [h["id"] for h in await search(api, "board deck")] == [document["id"]]
    assert await search(api, "quarterly") == []
    hit, = await search(api, "churn playbook")
    assert hit["id"] == html["id"] and "style" not in hit["snippet"]


async def test_search_is_scoped_to_the_workspace_and_the_readable_kinds(api, make_api, services):
    await create_context_unit(api, name="Secret", data="Acquisition codename bluebird.")
    await create_context_document(api, fileName="bluebird.md", content="Bluebird due diligence.")
    other = await make_api()
    await create_context_unit(other, name="Theirs", data="Bluebird is their codename too.")
    units_only = await make_api(scopes=["context-units:read"], workspace=api.workspace)
    documents_only = await make_api(scopes=["context-documents:read"], workspace=api.workspace)
    neither = await make_api(scopes=["insights:read"], workspace=api.workspace)
    await services.queue.drain()

    assert {h["kind"] for h in await search(api, "bluebird")} == {"unit", "document"}
    assert [h["name"] for h in await search(other, "bluebird")] == ["Theirs"]
    assert [h["kind"] for h in await search(units_only, "bluebird")] == ["unit"]
    assert [h["kind"] for h in await search(documents_only, "bluebird")] == ["document"]
    assert await neither.error_code(SEARCH, {"query": "bluebird"}) == "FORBIDDEN"


async def test_search_validation(api, make_api):
    other_product = await create_product(await make_api())

    assert (await api.error(SEARCH, {"query": "  "}))["extensions"] == {"code": "BAD_USER_INPUT", "field": "query"}
    assert (await api.error(SEARCH, {"query": "x", "first": 0}))["extensions"] == {
        "code": "BAD_USER_INPUT", "field": "first"
    }
    error = await api.error(SEARCH, {"query": "x", "productId": other_product["id"]})
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["field"] == "productId"
    assert await search(api, "the and of") == []  # nothing but stop words
    assert await search(api, 'quotes " and * OR NEAR(') == []  # FTS syntax is taken as words


async def test_the_stop_words_are_postgresqls_english_ones(backend):
    """Each word the query drops is one PostgreSQL's english dictionary drops (ts_lexize gives none)."""
    if not backend.database_url.startswith("postgresql"):
        pytest.skip("the list is PostgreSQL's: checked against it there")
    async with backend.services.db.read() as session:
        kept = (await session.execute(
            text("SELECT w FROM unnest(CAST(:words AS text[])) AS w WHERE ts_lexize('english_stem', w) <> '{}'"),
            {"words": sorted(STOPWORDS)},
        )).scalars().all()
    assert kept == [] and len(STOPWORDS) == 127
