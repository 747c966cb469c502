"""The planned executor answers what graphql-core's answers, where its plan has to step aside.

Every query of the suite is compared (tests/executors.py, from the in-process client and the REST layer);
these cases are the ones real data rarely shows: a non-null plain field that is null, a value its scalar
refuses, an attribute that is missing, aliases of one field, skipped and included fields, `__typename`;
and for planned relation connections (a page the prefetch loaded): a scope refused on a nested
connection, null propagated out of a planned connection's nodes, variables, cursors and bad values as
arguments, aliases, fragments and directives on connections."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import ClassVar

import pytest
import strawberry
from graphql import ExecutionResult, parse

from signalgraph.resolvers.request_context import build_context
from signalgraph.schema import prefetch as prefetch_module
from signalgraph.schema import resources
from signalgraph.schema.execution import PlannedExecution
from signalgraph.schema.input_guard import InputGuard
from signalgraph.storage.repositories import base as repo
from tests.executors import _answer, _run
from tests.factories import create_idea, create_insight, create_opportunity


@strawberry.enum
class Mood(Enum):
    GOOD = "good"


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    note: str | None
    count: int
    mood: Mood
    at: datetime


class Broken:
    """A row with what a typed row never holds: the executor must still answer as graphql-core would."""

    id = "2"
    name = None  # non-null field
    note = 42  # String: coerced to "42"
    count = "many"  # Int refuses it
    mood = "sad"  # not a value of the enum
    at = datetime(2026, 1, 1, tzinfo=UTC)


class Partial:
    id = "3"  # every other attribute missing


GOOD = Item(id=strawberry.ID("1"), name="a", note=None, count=1, mood=Mood.GOOD, at=datetime(2026, 1, 1, tzinfo=UTC))


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return [GOOD, Broken(), Partial()]  # type: ignore[list-item]

    @strawberry.field
    def item(self) -> Item:
        return Broken()  # type: ignore[return-value]


QUERIES = [
    "{ items { id name note count mood at } }",
    "{ items { __typename id first: name second: name } }",
    "query($skip: Boolean!) { items { id name @skip(if: $skip) note @include(if: $skip) } }",
    "{ items { ...F } } fragment F on Item { id note count }",
    "{ item { id } }",
    "{ item { id name } }",  # null propagates to the root
]


async def _execute(query: str, executor: type) -> ExecutionResult:
    schema = strawberry.Schema(query=Query, execution_context_class=executor)
    return await schema.execute(query, variable_values={"skip": True})


@pytest.mark.parametrize("query", QUERIES)
async def test_the_planned_executor_answers_as_graphql_core_does(query):
    reference = await _execute(query, InputGuard)
    planned = await _execute(query, PlannedExecution)

    assert planned.data == reference.data
    assert [(e.message, e.path) for e in planned.errors or ()] == [(e.message, e.path) for e in reference.errors or ()]


class RecordingPlans(PlannedExecution):
    """The planned executor, keeping the plans it makes."""

    made: ClassVar[list[tuple[str, dict]]] = []

    def plan_for(self, parent_type, grouped_field_set):
        plan = super().plan_for(parent_type, grouped_field_set)
        self.made.append((parent_type.name, plan))
        return plan


async def test_the_cases_are_not_vacuous():
    """The broken rows do make errors and nulls, so the comparison above compares something."""
    result = await _execute(QUERIES[0], RecordingPlans)
    assert result.data["items"][0] == {
        "id": "1", "name": "a", "note": None, "count": 1, "mood": "GOOD", "at": "2026-01-01T00:00:00+00:00"
    }
    assert result.data["items"][1:] == [None, None]
    assert {tuple(e.path) for e in result.errors} >= {("items", 1, "name"), ("items", 2, "name")}
    # and the plan was used, under Strawberry's own (empty) resolver middleware, as on /graphql
    assert any(parent == "Item" and "count" in plan for parent, plan in RecordingPlans.made)


# -- relation connections whose page is loaded --------------------------------------------------
CONNECTIONS = """
query($n: Int, $yes: Boolean!, $after: String) { insights(first: 10) { nodes {
  id
  all: opportunities { nodes { id name ideas(first: $n) { nodes { id name } } } pageInfo { hasNextPage endCursor } totalCount }
  one: opportunities(first: $n) { edges { cursor node { id } } nodes { __typename } }
  ...More
  skipped: opportunities(first: 1) @skip(if: $yes) { nodes { id } }
  rest: opportunities(first: 1, after: $after) { nodes { id } }
} } }
fragment More on Insight { opportunities(first: 2) @include(if: $yes) { nodes { ... on Opportunity { id description } } } }
"""


async def _both(
    services, key: str, query: str, variables: dict, monkeypatch
) -> tuple[tuple, tuple, list[int]]:
    """(planned answer, graphql-core's answer, how many connection resolvers each executor called)."""
    calls: list[object] = []
    real = resources.loaded
    monkeypatch.setattr(resources, "loaded", lambda loader, key: calls.append(key) or real(loader, key))
    answers, counts = [], []
    for executor in (PlannedExecution, InputGuard):
        calls.clear()
        context = await build_context(services, f"Bearer {key}")
        try:
            answers.append(_answer(await _run(parse(query), variables, context, executor)))
        finally:
            await context.end()
        counts.append(len(calls))
    return answers[0], answers[1], counts


@pytest.fixture
async def linked(api) -> list[dict]:
    """Two insights, one linked to three opportunities (one of them to two ideas), one to none."""
    ideas = [(await create_idea(api))["id"] for _ in range(2)]
    opportunities = [(await create_opportunity(api, ideaIds=ideas if n == 0 else []))["id"] for n in range(3)]
    return [await create_insight(api, opportunityIds=opportunities), await create_insight(api)]


@pytest.mark.parametrize("n", [None, 1, 2])
@pytest.mark.parametrize("yes", [True, False])
async def test_planned_connections_answer_as_graphql_core_does(api, services, linked, monkeypatch, n, yes):
    cursor = (
        await api.ok(
            "{ insights(first: 10) { nodes { opportunities(first: 1) { pageInfo { endCursor } } } } }"
        )
    )["insights"]["nodes"]
    after = next(
        c["opportunities"]["pageInfo"]["endCursor"]
        for c in cursor
        if c["opportunities"]["pageInfo"]["endCursor"]
    )

    planned, reference, (by_plan, by_core) = await _both(
        services, api.key, CONNECTIONS, {"n": n, "yes": yes, "after": after}, monkeypatch
    )

    assert planned == reference and not reference[1]
    rows = {row["id"]: row for row in reference[0]["insights"]["nodes"]}
    linked_row = rows[linked[0]["id"]]
    assert len(linked_row["all"]["nodes"]) == 3 and linked_row["all"]["totalCount"] == 3
    assert len(linked_row["rest"]["nodes"]) == 1 and ("opportunities" in linked_row) is yes
    assert sum(len(o["ideas"]["nodes"]) for o in linked_row["all"]["nodes"]) == (1 if n == 1 else 2)
    assert by_plan == 0 and by_core > 0  # every connection was planned, none resolved by its resolver


async def test_a_refused_scope_on_a_nested_connection_is_refused_at_each_parent(
    make_api, services, monkeypatch
):
    api = await make_api(scopes=["insights:read", "opportunities:read"])  # not ideas:read
    writer = await make_api(workspace=api.workspace)
    ideas = [(await create_idea(writer))["id"]]
    opportunities = [(await create_opportunity(writer, ideaIds=ideas))["id"] for _ in range(2)]
    await create_insight(writer, opportunityIds=opportunities)
    query = "{ insights { nodes { opportunities { nodes { id ideas { nodes { id } } } } } } }"

    planned, reference, (by_plan, by_core) = await _both(services, api.key, query, {}, monkeypatch)

    assert planned == reference
    assert [message for message, _ in reference[1]] == ["Missing scope: ideas:read"] * 2
    assert [path[-1] for _, path in reference[1]] == ["ideas", "ideas"]
    assert reference[0]["insights"]["nodes"][0]["opportunities"]["nodes"][0]["ideas"] is None
    # the opportunities were planned; the refused ideas went to graphql-core, whose permission refused them
    # before their resolver ran, as it does without the plan
    assert by_plan == 0 and by_core == 1


async def test_null_propagates_out_of_a_planned_connection_as_graphql_core_propagates_it(
    api, services, linked, monkeypatch
):
    real = repo.related_page

    async def one_broken(*args, **kwargs):  # a non-null enum the schema refuses, in one opportunity
        found = await real(*args, **kwargs)
        return {
            key: [
                (sort, row._replace(status="bogus") if n == 1 else row) for n, (sort, row) in enumerate(pairs)
            ]
            for key, pairs in found.items()
        }

    monkeypatch.setattr(repo, "related_page", one_broken)
    query = "{ insights(first: 10) { nodes { id opportunities { nodes { id status } } } } }"

    planned, reference, (by_plan, by_core) = await _both(services, api.key, query, {}, monkeypatch)

    assert planned == reference
    ((message, path),) = reference[1]
    assert path[-3:] == ["nodes", 1, "status"] and "bogus" in message
    broken = next(r for r in reference[0]["insights"]["nodes"] if r["id"] == linked[0]["id"])
    assert broken["opportunities"] is None  # Opportunity! and [Opportunity!]! up to the nullable connection
    assert by_plan == 0 and by_core == 2


async def test_a_null_in_a_nullable_field_of_a_planned_connection_s_rows_is_null_without_an_error(
    api, services, linked, monkeypatch
):
    real = repo.related_page

    async def nameless(*args, **kwargs):
        found = await real(*args, **kwargs)
        return {key: [(sort, row._replace(name=None)) for sort, row in pairs] for key, pairs in found.items()}

    monkeypatch.setattr(repo, "related_page", nameless)
    query = "{ insights(first: 10) { nodes { id opportunities { nodes { id name } } } } }"

    planned, reference, (by_plan, _) = await _both(services, api.key, query, {}, monkeypatch)

    assert planned == reference and not reference[1] and by_plan == 0
    named = next(r for r in reference[0]["insights"]["nodes"] if r["id"] == linked[0]["id"])
    assert [o["name"] for o in named["opportunities"]["nodes"]] == [None] * 3


@pytest.mark.parametrize("first", [-1, 101])
async def test_a_bad_argument_of_a_connection_is_refused_at_each_parent(
    api, services, linked, monkeypatch, first
):
    query = "query($first: Int) { insights(first: 10) { nodes { opportunities(first: $first) { nodes { id } } } } }"

    planned, reference, _ = await _both(services, api.key, query, {"first": first}, monkeypatch)

    assert planned == reference and len(reference[1]) == 2
    assert all(path[-1] == "opportunities" for _, path in reference[1])


async def test_a_selection_the_plan_reads_whole_is_completed_in_one_pass(api, services, linked, monkeypatch):
    """Below the root list's resolver, every insight, opportunity and idea is completed by the one pass:
    graphql-core's field-by-field completion runs for the root and the list's connection only."""
    seen: list[str] = []
    real = PlannedExecution.execute_fields
    monkeypatch.setattr(
        PlannedExecution, "execute_fields", lambda self, parent, *args: seen.append(parent.name) or real(self, parent, *args)
    )
    query = "{ insights(first: 10) { nodes { id name opportunities { nodes { id name ideas { nodes { id } } } } } } }"

    planned, reference, (by_plan, _) = await _both(services, api.key, query, {}, monkeypatch)

    assert planned == reference and not reference[1] and by_plan == 0
    assert seen == ["Query", "InsightConnection"]
    linked_row = next(r for r in planned[0]["insights"]["nodes"] if r["id"] == linked[0]["id"])
    assert sum(len(o["ideas"]["nodes"]) for o in linked_row["opportunities"]["nodes"]) == 2


async def test_what_the_one_pass_cannot_complete_graphql_core_completes_field_by_field(
    api, services, linked, monkeypatch
):
    """A page that is not loaded (here: the prefetch's loader left empty for one relation) is no answer of
    the one pass: the value goes back to graphql-core, whose resolver loads the page."""
    seen: list[str] = []
    real = PlannedExecution.execute_fields
    monkeypatch.setattr(
        PlannedExecution, "execute_fields", lambda self, parent, *args: seen.append(parent.name) or real(self, parent, *args)
    )
    monkeypatch.setattr(prefetch_module, "_prefetch_pages", _without_ideas(prefetch_module._prefetch_pages))
    query = "{ insights(first: 10) { nodes { id opportunities { nodes { id ideas { nodes { id } } } } } } }"

    planned, reference, _ = await _both(services, api.key, query, {}, monkeypatch)

    assert planned == reference and not reference[1]
    assert "Opportunity" in seen  # completed field by field, its ideas by their resolver
    linked_row = next(r for r in planned[0]["insights"]["nodes"] if r["id"] == linked[0]["id"])
    assert sum(len(o["ideas"]["nodes"]) for o in linked_row["opportunities"]["nodes"]) == 2


def _without_ideas(real):
    async def prefetch_pages(raw, context, load, field, field_node, page, ids):
        if page.relation.startswith("ideas_"):
            return None  # left to the field's resolver, as a page the prefetch may not read is
        return await real(raw, context, load, field, field_node, page, ids)

    return prefetch_pages
