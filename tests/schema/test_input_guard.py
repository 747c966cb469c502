"""Input the databases cannot take is BAD_USER_INPUT naming the field, on both databases, and writes nothing.

A null character (U+0000) anywhere: PostgreSQL cannot store it (text and jsonb refuse it), so these were
500s there and silently stored on SQLite. A list longer than MAX_LIST_ITEMS: lists become SQL parameters,
and PostgreSQL takes at most 32767 per statement (these were 500s there too).
"""

from __future__ import annotations

from signalgraph.schema.input_guard import MAX_LIST_ITEMS
from tests.factories import create_insight

NUL = "a\x00b"

CREATE = "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id } } }"
UPDATE = "mutation($id: ID!, $input: UpdateInsightInput!) { updateInsight(id: $id, input: $input) { insight { id } } }"
INSIGHT = "query($id: ID!) { insight(id: $id) { name description suggestions } }"
COUNT = "{ insights { totalCount } }"
ACCOUNTS = "query($filter: AccountFilter) { accounts(filter: $filter) { totalCount } }"
INSIGHTS = "query($filter: InsightFilter) { insights(filter: $filter) { totalCount } }"


def refused(error, field):
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, error
    assert "must not contain the null character (U+0000)" in error["message"]


async def test_a_variable_string_with_a_null_character_is_refused_and_nothing_is_created(api):
    refused(await api.error(CREATE, {"input": {"description": NUL}}), "description")
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_nested_strings_and_json_keys_and_values_are_checked_with_their_path(api):
    for input_, field in (
        ({"externalLinks": [{"url": "https://ok", "name": NUL}]}, "externalLinks[0].name"),
        ({"suggestions": {"note": ["fine", NUL]}}, "suggestions.note[1]"),
        ({"suggestions": {NUL: "value"}}, "suggestions"),
    ):
        refused(await api.error(CREATE, {"input": {"description": "d", **input_}}), field)
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_a_refused_update_leaves_the_row_as_it_was(api):
    created = await create_insight(api, name="Before", description="Kept")
    refused(await api.error(UPDATE, {"id": created["id"], "input": {"name": NUL}}), "name")
    insight = (await api.ok(INSIGHT, {"id": created["id"]}))["insight"]
    assert insight["name"] == "Before" and insight["description"] == "Kept"


async def test_ids_and_filters_are_checked_too(api):
    refused(await api.error(INSIGHT, {"id": NUL}), "id")
    refused(await api.error(ACCOUNTS, {"filter": {"search": NUL}}), "search")


async def test_literals_in_the_document_are_checked(api):
    refused(await api.error('mutation { createInsight(input: {description: "a\\u0000b"}) { insight { id } } }'), "description")
    refused(await api.error('{ insight(id: "\\u0000") { id } }'), "id")
    refused(await api.error('query($s: String = "\\u0000") { accounts(filter: {search: $s}) { totalCount } }'), "s")
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_other_unusual_text_is_stored_as_sent(api):
    text = "\u202e\ufeff😀 tab\there \\u0000"
    created = await create_insight(api, description=text, suggestions={"k": text})
    insight = (await api.ok(INSIGHT, {"id": created["id"]}))["insight"]
    assert insight["description"] == text and insight["suggestions"] == {"k": text}


async def test_a_list_longer_than_the_limit_is_refused_naming_the_field(api):
    ids = [f"00000000-0000-0000-0000-{i:012d}" for i in range(40_000)]
    error = await api.error(CREATE, {"input": {"description": "d", "tagIds": ids}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "tagIds"}
    assert f"must have at most {MAX_LIST_ITEMS} items" in error["message"]
    error = await api.error(INSIGHTS, {"filter": {"status": ["draft"] * 40_000}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "status"}
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_lists_up_to_the_limit_and_large_json_arrays_are_taken(api):
    filtered = await api.ok(INSIGHTS, {"filter": {"status": ["draft"] * MAX_LIST_ITEMS}})
    assert filtered["insights"]["totalCount"] == 0
    created = await create_insight(api, description="d", suggestions={"items": list(range(5 * MAX_LIST_ITEMS))})
    insight = (await api.ok(INSIGHT, {"id": created["id"]}))["insight"]
    assert len(insight["suggestions"]["items"]) == 5 * MAX_LIST_ITEMS
