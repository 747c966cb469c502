"""The planned executor answers what graphql-core's answers, where its plan has to step aside.

Every query of the suite is compared (tests/executors.py, from the in-process client and the REST layer);
these cases are the ones real data rarely shows: a non-null plain field that is null, a value its scalar
refuses, an attribute that is missing, aliases of one field, skipped and included fields, `__typename`."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import ClassVar

import pytest
import strawberry
from graphql import ExecutionResult

from signalgraph.schema.execution import PlannedExecution
from signalgraph.schema.input_guard import InputGuard


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
