"""A page's id lists are loaded for all its rows before the rows complete, so each row's list is a value,
not an awaitable (graphql-core made an asyncio task per row and field of it: 300 on REST's insights page)."""

from __future__ import annotations

import inspect

import pytest
from graphql import parse

from signalgraph.errors import Unavailable
from signalgraph.resolvers.request_context import build_context
from signalgraph.schema import prefetch, resources
from signalgraph.schema.execution import PlannedExecution
from signalgraph.schema.input_guard import InputGuard
from signalgraph.storage.repositories import base as repo
from tests.executors import _run
from tests.factories import create_insight, create_opportunity
from tests.schema.test_relations import seed_products

PAGE = """
query($tags: Boolean!) { insights(first: 10) {
  nodes { id ...Ids tagIds @include(if: $tags) }
  edges { node { ideaIds } }
} }
fragment Ids on Insight { opportunityIds }
"""
ONE = "query($id: ID!) { insight(id: $id) { opportunityIds } }"


def spy_on_loaded(monkeypatch, module) -> list[object]:
    """What the resolvers of `module` answered from their loaders: a value, or an awaitable for graphql-core."""
    answered: list[object] = []
    real = module.loaded

    def spy(loader, key):
        answered.append(answer := real(loader, key))
        return answer

    monkeypatch.setattr(module, "loaded", spy)
    return answered


@pytest.fixture
def answers(monkeypatch) -> list[object]:
    """What every id list's resolver answered."""
    return spy_on_loaded(monkeypatch, prefetch)


async def test_a_page_answers_its_id_lists_at_once_through_fragments_and_edges(api, answers):
    opportunity = await create_opportunity(api)
    insights = [await create_insight(api, opportunityIds=[opportunity["id"]]) for _ in range(3)]
    answers.clear()

    page = (await api.ok(PAGE, {"tags": False}))["insights"]

    assert [n["opportunityIds"] for n in page["nodes"]] == [[opportunity["id"]]] * 3
    assert all("tagIds" not in n for n in page["nodes"]) and [e["node"]["ideaIds"] for e in page["edges"]] == [[]] * 3
    # opportunityIds and ideaIds of 3 rows (per run: the suite runs each query through both executors)
    assert len(answers) % 6 == 0 and answers and not any(inspect.isawaitable(a) for a in answers)

    answers.clear()
    one = (await api.ok(ONE, {"id": insights[0]["id"]}))["insight"]
    assert one["opportunityIds"] == [opportunity["id"]]
    assert inspect.isawaitable(answers[0])  # no page: the loader as before (its value, once it has it)


async def test_the_plan_reads_a_page_s_id_lists_without_their_resolvers(api, services, monkeypatch):
    opportunity = await create_opportunity(api)
    await create_insight(api, opportunityIds=[opportunity["id"]])
    resolved: list[object] = []  # id lists answered by their resolvers (through graphql-core's field)
    real = prefetch.id_list
    monkeypatch.setattr(prefetch, "id_list", lambda *args: resolved.append(args) or real(*args))

    answers = []
    for executor in (PlannedExecution, InputGuard):
        context = await build_context(services, f"Bearer {api.key}")
        try:
            answers.append((await _run(parse(PAGE), {"tags": True}, context, executor)).data)
        finally:
            await context.end()
        answers.append(len(resolved))

    planned, resolved_by_plan, reference, resolved_by_core = answers
    assert planned == reference and planned["insights"]["nodes"][0]["opportunityIds"] == [opportunity["id"]]
    assert resolved_by_plan == 0 and resolved_by_core == 3  # opportunityIds, tagIds, ideaIds of the one row


async def test_a_skipped_id_list_is_not_loaded(api, answers):
    await create_insight(api)
    answers.clear()
    await api.ok(PAGE, {"tags": True})
    with_tags = len(answers)
    answers.clear()
    await api.ok(PAGE, {"tags": False})
    assert with_tags and with_tags * 2 == len(answers) * 3  # three id lists a row, then two


PRODUCTS = """
query { products(first: 5) { nodes { id insights(first: 3) { nodes { id tagIds } } } } }
"""


async def test_a_page_answers_its_relations_at_once_level_by_level(api, services, monkeypatch):
    await seed_products(services, api.workspace_id, 4, 5)
    pages = spy_on_loaded(monkeypatch, resources)  # what each product's insights connection answered
    products = (await api.ok(PRODUCTS))["products"]["nodes"]

    assert len(products) == 4 and all(len(p["insights"]["nodes"]) == 3 for p in products)
    assert pages and not any(inspect.isawaitable(p) for p in pages)  # every product's page, loaded ahead


async def test_a_relation_that_fails_to_load_ahead_fails_at_each_field_not_the_page(api, services, monkeypatch):
    await seed_products(services, api.workspace_id, 2, 2)

    async def broken(*args, **kwargs):
        raise Unavailable("Every database connection is busy; retry shortly")

    monkeypatch.setattr(repo, "related_page", broken)
    answer = await api.graphql(PRODUCTS)

    assert [p["insights"] for p in answer["data"]["products"]["nodes"]] == [None, None]  # the page survives
    assert sorted(e["path"][-1] for e in answer["errors"]) == ["insights", "insights"]


@pytest.fixture
def page_columns(monkeypatch) -> list[object]:
    """The column sets the relation pages were read with (None: every column)."""
    asked: list[object] = []
    real = repo.related_page

    async def spy(*args, columns=None, **kwargs):
        asked.append(columns)
        return await real(*args, columns=columns, **kwargs)

    monkeypatch.setattr(repo, "related_page", spy)
    return asked


async def test_a_relation_page_reads_only_the_columns_its_rows_are_asked_for(api, services, page_columns):
    await seed_products(services, api.workspace_id, 2, 2)
    query = """{ products(first: 5) { nodes { insights(first: 3) {
      nodes { id name ...More tagIds description @skip(if: true) } edges { cursor } } } } }
    fragment More on Node { ... on Insight { status } }"""
    rows = [i for p in (await api.ok(query))["products"]["nodes"] for i in p["insights"]["nodes"]]

    assert len(rows) == 4 and all(set(r) == {"id", "name", "status", "tagIds"} for r in rows)
    # the skipped field's column too (one set per operation and type, whatever @skip says), and the sort key
    assert set(page_columns) == {frozenset({"id", "name", "status", "description"})}


async def test_a_field_with_a_resolver_of_its_own_reads_every_column(api, services, page_columns):
    await seed_products(services, api.workspace_id, 2, 2)
    query = "{ products(first: 5) { nodes { id insights(first: 3) { nodes { id product { id } } } } } }"
    products = (await api.ok(query))["products"]["nodes"]

    assert all(i["product"]["id"] == p["id"] for p in products for i in p["insights"]["nodes"])
    assert page_columns and set(page_columns) == {None}


async def test_selections_of_one_relation_in_several_places_share_its_page(api, services, page_columns):
    """Two field nodes of the same relation (a fragment and the field itself) see one column set: one page
    loader, one statement."""
    await seed_products(services, api.workspace_id, 2, 2)
    query = """{ products(first: 5) { nodes { insights(first: 3) { nodes { id } } ...P } } }
    fragment P on Product { insights(first: 3) { nodes { name } } }"""
    page_columns.clear()
    nodes = (await api.ok(query))["products"]["nodes"]

    assert all(set(i) == {"id", "name"} for p in nodes for i in p["insights"]["nodes"])
    assert page_columns == [frozenset({"id", "name"})] * (len(page_columns)) and len(page_columns) <= 3


@pytest.fixture
def list_columns(monkeypatch) -> list[object]:
    """The column sets root lists read their rows with (None: every column)."""
    asked: list[object] = []
    real = repo.read_rows

    async def spy(session, stmt, model, only=None):
        asked.append(only)
        return await real(session, stmt, model, only)

    monkeypatch.setattr(repo, "read_rows", spy)
    return asked


async def test_a_root_list_reads_only_the_columns_its_rows_are_asked_for_and_its_sort_key(api, services, list_columns):
    await seed_products(services, api.workspace_id, 3, 1)
    query = """query($first: Int, $after: String) {
      products(first: $first, after: $after, orderBy: {field: UPDATED_AT, direction: ASC}) {
      nodes { id name insights(first: 3) { nodes { id } } } edges { cursor } } }"""
    every = (await api.ok(query, {"first": 10}))["products"]["nodes"]
    first = (await api.ok(query, {"first": 2}))["products"]
    rest = (await api.ok(query, {"first": 2, "after": first["edges"][-1]["cursor"]}))["products"]

    assert len(every) == 3 and first["nodes"] + rest["nodes"] == every  # the cursor held the sort key
    assert list_columns and set(list_columns) == {frozenset({"id", "name", "updated_at"})}


async def test_a_root_list_whose_rows_have_a_field_with_its_own_resolver_reads_every_column(api, services, list_columns):
    await seed_products(services, api.workspace_id, 2, 2)
    insights = (await api.ok("{ insights(first: 5) { nodes { id product { id } } } }"))["insights"]["nodes"]

    assert len(insights) == 4 and all(i["product"]["id"] for i in insights)
    assert list_columns and set(list_columns) == {None}
