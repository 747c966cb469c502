"""The query cost: the nodes a query may return, from its page sizes; refused over the limit before it
runs, and reported in `extensions.cost`."""

from __future__ import annotations

from graphql import parse

from signalgraph.schema import query_cost as query_cost_module
from signalgraph.schema import schema
from signalgraph.schema.query_cost import COST_LIMIT, query_cost


def cost(query: str, variables: dict | None = None, operation_name: str | None = None) -> int:
    return query_cost(schema._schema, parse(query), operation_name, variables)


def test_a_connection_costs_its_page_and_nested_connections_multiply():
    assert cost("{ signals(first: 100) { nodes { publicId } } }") == 100
    assert cost("{ signals { totalCount } }") == 20  # the default page
    assert cost("query($n: Int) { insights(first: $n) { edges { node { id } } } }", {"n": 7}) == 7
    assert cost("{ viewer { scopes } }") == 0


def test_a_page_size_variable_not_sent_is_costed_at_its_default():
    query = "query($n: Int = 3) { insights(first: $n) { nodes { id } } }"
    assert cost(query) == 3
    assert cost(query, {"n": 5}) == 5
    assert cost("query($n: Int) { insights(first: $n) { nodes { id } } }") == 20  # no default: the argument's


def test_fragments_count_once_per_spread_and_are_computed_once():
    fragments = "".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }} " for i in range(40))
    query = "query { ...F0 } " + fragments + "fragment F40 on Query { signals(first: 1) { totalCount } }"
    assert cost(query) == 2**40  # computed in linear time: this returns at once


def test_the_operation_named_is_the_one_costed():
    document = "query A { signals(first: 5) { totalCount } } query B { insights(first: 9) { totalCount } }"
    assert cost(document, operation_name="B") == 9


async def test_a_query_over_the_limit_is_refused_before_it_runs_naming_cost_and_limit(api, monkeypatch):
    monkeypatch.setattr(query_cost_module, "COST_LIMIT", 1_500)
    created = "mutation { createInsight(input: {description: \"never\"}) { insight { id } } }"
    response = await api.graphql("{ a: signals(first: 100) { totalCount } b: insights(first: 100) { totalCount } }")
    assert response["extensions"]["cost"] == {"requested": 200, "limit": 1_500}
    big = " ".join(f"a{i}: signals(first: 100) {{ totalCount }}" for i in range(16))
    response = await api.graphql("{ " + big + " }")
    assert response["data"] is None
    [error] = response["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "cost": 1_600, "limit": 1_500}
    assert "1,600" in error["message"] and "1,500" in error["message"]
    assert "errors" not in await api.graphql(created)  # a mutation costs nothing: it runs


async def test_every_answer_reports_its_cost(api):
    response = await api.graphql("{ signals(first: 3) { nodes { publicId } } }")
    assert response["extensions"]["cost"] == {"requested": 3, "limit": COST_LIMIT}
