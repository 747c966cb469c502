"""Every mutation returns its own payload type, `<Mutation>Payload`, nullable at the root: the object it wrote
under the object's name, or `deletedId` for a delete."""

from __future__ import annotations

from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type

from signalgraph.schema import schema
from tests.factories import create_insight

DELETE = "mutation($id: ID!) { deleteInsight(id: $id) { deletedId message } }"
UPDATE = "mutation($id: ID!) { updateInsight(id: $id, input: {name: \"Renamed\"}) { insight { id name } } }"


def test_every_mutation_returns_its_own_nullable_payload():
    mutations = schema._schema.mutation_type.fields
    for name, field in mutations.items():
        payload = get_named_type(field.type)
        assert not isinstance(field.type, GraphQLNonNull), name
        assert isinstance(payload, GraphQLObjectType) and payload.name == name[0].upper() + name[1:] + "Payload"
        assert payload.description, payload.name
        if name.startswith("delete"):
            assert set(payload.fields) == {"deletedId", "message"}, name
    insight = schema._schema.get_type("CreateInsightPayload")
    assert list(insight.fields) == ["insight"] and get_named_type(insight.fields["insight"].type).name == "Insight"
    assert list(schema._schema.get_type("ExtractInsightsPayload").fields) == ["insights"]
    assert len({get_named_type(f.type).name for f in mutations.values()}) == len(mutations)


async def test_update_and_delete_answer_their_payloads(http_api):
    created = await create_insight(http_api)

    updated = await http_api.ok(UPDATE, {"id": created["id"]})
    deleted = await http_api.ok(DELETE, {"id": created["id"]})

    assert updated == {"updateInsight": {"insight": {"id": created["id"], "name": "Renamed"}}}
    assert deleted == {"deleteInsight": {"deletedId": created["id"], "message": "Deleted"}}
