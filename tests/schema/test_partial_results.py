"""Partial results: a failure nulls only its own field, is reported at its path with its code, and the rest of
the response survives — for a relation into a scope the key lacks, and for one of several mutations."""

from __future__ import annotations

from graphql import GraphQLNonNull, GraphQLObjectType

from signalgraph.schema import schema
from signalgraph.schema.partial_results import can_fail_alone
from tests.factories import create_insight, create_signal

SIGNALS_WITH_INSIGHTS = "{ signals { nodes { publicId insights { nodes { description } } } } }"
LINK = "mutation($id: String!, $ids: [ID!]) { updateSignal(publicId: $id, input: {insightIds: $ids}) { signal { id } } }"
TWO_CREATES = """
mutation {
  a: createInsight(input: {description: "ok"}) { insight { id } }
  b: createInsight(input: {description: ""}) { insight { id } }
}
"""


def test_root_fields_and_scope_guarded_fields_are_nullable():
    gql = schema._schema
    checked = 0
    for type_ in gql.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            if can_fail_alone(gql, type_, name):
                checked += 1
                assert not isinstance(field.type, GraphQLNonNull), f"{type_.name}.{name} must be nullable"
    assert checked > len(gql.query_type.fields) + len(gql.mutation_type.fields)  # relations counted too
    assert not isinstance(gql.get_type("Signal").fields["insights"].type, GraphQLNonNull)
    # Its own fields can fail only for a key that writes without reading (receipts.py): the identifying ones never.
    assert isinstance(gql.get_type("Signal").fields["publicId"].type, GraphQLNonNull)
    assert not isinstance(gql.get_type("Signal").fields["insightIds"].type, GraphQLNonNull)
    assert isinstance(gql.get_type("KeyResult").fields["name"].type, GraphQLNonNull)  # no mutation returns it


async def test_a_relation_the_key_may_not_read_is_null_and_the_rest_survives(http_api, make_http_api):
    # given a signal linked to an insight, and a key of the same workspace that reads signals only
    insight = await create_insight(http_api, description="Exports time out")
    signal = await create_signal(http_api)
    await http_api.ok(LINK, {"id": signal["publicId"], "ids": [insight["id"]]})
    reader = await make_http_api(scopes=["signals:read"], workspace=http_api.workspace)

    # when it asks for the signals with their insights
    body = await reader.graphql(SIGNALS_WITH_INSIGHTS)

    # then it gets the signals, insights null, and one FORBIDDEN at that path
    assert body["data"] == {"signals": {"nodes": [{"publicId": signal["publicId"], "insights": None}]}}
    [error] = body["errors"]
    assert error["path"] == ["signals", "nodes", 0, "insights"]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "insights:read" in error["message"]


async def test_a_root_field_the_key_may_not_read_is_null_and_its_siblings_survive(http_api, make_http_api):
    signal = await create_signal(http_api)
    reader = await make_http_api(scopes=["signals:read"], workspace=http_api.workspace)

    body = await reader.graphql("{ signals { totalCount } insights { totalCount } }")

    assert body["data"] == {"signals": {"totalCount": 1}, "insights": None}
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (["insights"], "FORBIDDEN")
    assert signal["publicId"]


async def test_aliased_mutations_run_in_order_and_each_reports_its_outcome(http_api):
    body = await http_api.graphql(TWO_CREATES)

    saved = body["data"]["a"]["insight"]["id"]
    assert body["data"]["b"] is None
    [error] = body["errors"]
    assert (error["path"], error["extensions"]["code"]) == (["b"], "BAD_USER_INPUT")
    read = await http_api.ok("query($id: ID!) { insight(id: $id) { description } }", {"id": saved})
    assert read == {"insight": {"description": "ok"}}
