"""Insights through /graphql: create, read, list, update, delete; validation, scopes, isolation."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from tests.factories import create_insight

INSIGHT = """
query($id: ID!) { insight(id: $id) {
  id name description status type productId opportunityIds ideaIds tagIds suggestions
  externalLinks { type url name } createdAt updatedAt
} }
"""
INSIGHTS = """
query($first: Int, $after: String, $offset: Int, $filter: InsightFilter) {
  insights(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { id name status } edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: UpdateInsightInput!) {
  updateInsight(id: $id, input: $input) { insight { id name description status type tagIds updatedAt } }
}
"""
DELETE = "mutation($id: ID!) { deleteInsight(id: $id) { deletedId message } }"
CREATE_TAG = "mutation($input: CreateTagInput!) { createTag(input: $input) { tag { id name } } }"


async def test_create_then_read_returns_every_field(api):
    created = await create_insight(
        api, name="Billing page confusing", description="3/5 users could not find invoices",
        status="published", type="user-interview",
    )
    insight = (await api.ok(INSIGHT, {"id": created["id"]}))["insight"]
    assert insight["name"] == "Billing page confusing"
    assert insight["description"] == "3/5 users could not find invoices"
    assert insight["status"] == "published"
    assert insight["type"] == "user-interview"
    assert insight["opportunityIds"] == insight["ideaIds"] == insight["tagIds"] == []
    assert insight["externalLinks"] == []
    assert insight["createdAt"].endswith("Z") and insight["updatedAt"].endswith("Z")


async def test_status_defaults_to_draft(api):
    created = await create_insight(api, description="x")
    assert created["status"] == "draft"


async def test_unknown_type_is_bad_user_input_naming_the_field(api):
    error = await api.error(
        "mutation { createInsight(input: {description: \"d\", type: \"gossip\"}) { insight { id } } }"
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == "type"


async def test_blank_description_is_refused(api):
    error = await api.error("mutation { createInsight(input: {description: \"  \"}) { insight { id } } }")
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "description"}


async def test_bad_enum_value_in_variables_is_bad_user_input(api):
    error = await api.error(
        "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id } } }",
        {"input": {"description": "d", "status": "bogus"}},
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "status" in error["message"]


async def test_update_changes_only_sent_fields_and_bumps_updated_at(api):
    created = await create_insight(api, name="Before", description="Keep me", type="feedback")
    before = (await api.ok(INSIGHT, {"id": created["id"]}))["insight"]
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": {"status": "archived"}}))["updateInsight"]["insight"]
    assert updated["status"] == "archived"
    assert updated["name"] == "Before" and updated["description"] == "Keep me" and updated["type"] == "feedback"
    assert updated["updatedAt"] >= before["updatedAt"]


async def test_update_null_clears_name_but_not_description(api):
    created = await create_insight(api, name="Named", description="d")
    cleared = (await api.ok(UPDATE, {"id": created["id"], "input": {"name": None}}))["updateInsight"]["insight"]
    assert cleared["name"] is None
    error = await api.error(UPDATE, {"id": created["id"], "input": {"description": None}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "description"}


async def test_delete_then_read_is_null_and_second_delete_is_not_found(api):
    created = await create_insight(api, description="gone soon")
    assert (await api.ok(DELETE, {"id": created["id"]}))["deleteInsight"] == {"deletedId": created["id"], "message": "Deleted"}
    assert (await api.ok(INSIGHT, {"id": created["id"]}))["insight"] is None
    assert await api.error_code(DELETE, {"id": created["id"]}) == "NOT_FOUND"


async def test_update_missing_insight_is_not_found(api):
    assert await api.error_code(UPDATE, {"id": "00000000-0000-0000-0000-000000000000", "input": {"name": "x"}}) == "NOT_FOUND"


async def test_list_pages_newest_first_with_cursors_and_offset(api):
    ids = [(await create_insight(api, name=f"n{i}", description="d"))["id"] for i in range(5)]
    first = (await api.ok(INSIGHTS, {"first": 2}))["insights"]
    assert first["totalCount"] == 5
    assert [n["id"] for n in first["nodes"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    second = (await api.ok(INSIGHTS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))["insights"]
    assert [n["id"] for n in second["nodes"]] == ids[::-1][2:4]
    by_offset = (await api.ok(INSIGHTS, {"first": 10, "offset": 4}))["insights"]
    assert [n["id"] for n in by_offset["nodes"]] == [ids[0]]
    assert by_offset["pageInfo"]["hasNextPage"] is False


async def test_list_filters_by_status_type_search_and_updated_since(api):
    await create_insight(api, name="Slow exports", description="d", status="published", type="feedback")
    await create_insight(api, name="Login loop", description="d", status="draft", type="support-ticket")
    by_status = (await api.ok(INSIGHTS, {"filter": {"status": ["published"]}}))["insights"]
    assert [n["name"] for n in by_status["nodes"]] == ["Slow exports"]
    by_type = (await api.ok(INSIGHTS, {"filter": {"type": ["support-ticket"]}}))["insights"]
    assert [n["name"] for n in by_type["nodes"]] == ["Login loop"]
    by_search = (await api.ok(INSIGHTS, {"filter": {"search": "EXPORT"}}))["insights"]
    assert [n["name"] for n in by_search["nodes"]] == ["Slow exports"]
    future = (await api.ok(INSIGHTS, {"filter": {"updatedSince": "2999-01-01T00:00:00Z"}}))["insights"]
    assert future["totalCount"] == 0


async def test_search_takes_wildcards_literally(api):
    await create_insight(api, name="100% broken", description="d")
    await create_insight(api, name="fine", description="d")
    found = (await api.ok(INSIGHTS, {"filter": {"search": "%"}}))["insights"]
    assert [n["name"] for n in found["nodes"]] == ["100% broken"]


async def test_a_search_longer_than_the_limit_is_bad_user_input_naming_search(api):
    """A search is a LIKE pattern, and SQLite refuses one over 50000 bytes: this was a 500 there."""
    error = await api.error(INSIGHTS, {"filter": {"search": "x" * 60_000}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "search"}
    assert error["message"] == "search must be at most 1000 characters"
    assert (await api.ok(INSIGHTS, {"filter": {"search": "😀" * 1000}}))["insights"]["totalCount"] == 0


@pytest.mark.parametrize("first", [-1, 101])
async def test_page_size_outside_0_to_100_is_refused(api, first):
    error = await api.error(INSIGHTS, {"first": first})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}


async def test_bad_cursor_is_refused(api):
    error = await api.error(INSIGHTS, {"after": "not-a-cursor"})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}
    assert error["message"] == "after is not a valid cursor"


async def test_an_offset_cursor_or_a_sort_key_out_of_range_is_refused_naming_after(api):
    """Offset cursors (`o:<n>`; past an Int they overflowed the SQL OFFSET: a 500) are no cursors any more,
    and a keyset cursor's values must fit its sort columns."""
    huge = [["2026-01-01T00:00:00+00:00", 10**20], [10**20, "x"], ["not a time", "x"]]
    cursors = [f"o:{n}" for n in (0, 2**31 - 1, 10**20)] + ["k:" + json.dumps(key) for key in huge]
    for cursor in cursors:
        error = await api.error(INSIGHTS, {"after": base64.urlsafe_b64encode(cursor.encode()).decode()})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}, (cursor, error)
        assert error["message"] == "after is not a valid cursor"


async def test_concurrent_tags_with_one_name_make_one_tag_and_conflicts(api):
    """On PostgreSQL the losers passed the check together and hit the unique index: INTERNAL_SERVER_ERROR."""
    tag = {"input": {"name": "billing"}}
    bodies = await asyncio.gather(*(api.graphql(CREATE_TAG, tag) for _ in range(8)))
    errors = [body["errors"][0] for body in bodies if body.get("errors")]
    assert len(errors) == 7, bodies
    for error in errors:
        assert error["extensions"] == {"code": "CONFLICT", "field": "name"}, error
        assert error["message"] == "A tag named 'billing' already exists"


async def test_tags_link_and_replace(api):
    a = (await api.ok(CREATE_TAG, {"input": {"name": "billing"}}))["createTag"]["tag"]
    b = (await api.ok(CREATE_TAG, {"input": {"name": "ux"}}))["createTag"]["tag"]
    created = await create_insight(api, description="d", tagIds=[a["id"], b["id"]])
    linked = (await api.ok("query($id: ID!) { insight(id: $id) { tagIds tags { nodes { name } } } }", {"id": created["id"]}))
    assert sorted(linked["insight"]["tagIds"]) == sorted([a["id"], b["id"]])
    assert sorted(t["name"] for t in linked["insight"]["tags"]["nodes"]) == ["billing", "ux"]
    replaced = (await api.ok(UPDATE, {"id": created["id"], "input": {"tagIds": [b["id"]]}}))["updateInsight"]["insight"]
    assert replaced["tagIds"] == [b["id"]]


async def test_scopes_guard_read_write_delete(make_api):
    reader = await make_api(scopes=["insights:read"])
    assert await reader.error_code(
        "mutation { createInsight(input: {description: \"d\"}) { insight { id } } }"
    ) == "FORBIDDEN"
    writer = await make_api(scopes=["insights:write"], workspace=reader.workspace)
    created = await create_insight(writer, description="d")
    error = await writer.error(INSIGHT, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "insights:read" in error["message"]
    assert await writer.error_code(DELETE, {"id": created["id"]}) == "FORBIDDEN"
    assert (await reader.ok(INSIGHT, {"id": created["id"]}))["insight"]["id"] == created["id"]


async def test_relation_into_another_resource_needs_its_scope(make_api):
    api = await make_api(scopes=["insights:read", "insights:write"])
    created = await create_insight(api, description="d")
    error = await api.error("query($id: ID!) { insight(id: $id) { opportunities { nodes { id } } } }", {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "opportunities:read" in error["message"]


async def test_other_workspace_cannot_read_update_delete_or_link(make_api):
    alice = await make_api()
    bob = await make_api()
    secret = await create_insight(alice, description="alice only")
    assert (await bob.ok(INSIGHT, {"id": secret["id"]}))["insight"] is None
    assert (await bob.ok(INSIGHTS))["insights"]["totalCount"] == 0
    assert await bob.error_code(UPDATE, {"id": secret["id"], "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"id": secret["id"]}) == "NOT_FOUND"
    alice_tag = (await alice.ok(CREATE_TAG, {"input": {"name": "private"}}))["createTag"]["tag"]
    error = await bob.error(
        "mutation($t: [ID!]) { createInsight(input: {description: \"d\", tagIds: $t}) { insight { id } } }", {"t": [alice_tag["id"]]}
    )
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "tagIds"}
    assert (await alice.ok(INSIGHT, {"id": secret["id"]}))["insight"]["description"] == "alice only"


async def test_missing_and_invalid_keys_are_unauthenticated(http, make_api):
    body = (await http.post("/graphql", json={"query": "{ insights { totalCount } }"})).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    bad = {"Authorization": "Bearer sg_deadbeef_" + "x" * 40}
    body = (await http.post("/graphql", json={"query": "{ insights { totalCount } }"}, headers=bad)).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
