"""The DateTime and JSON scalars at the edge of what they accept: bad input is BAD_USER_INPUT, never a 500."""

from __future__ import annotations

from signalgraph.schema.scalars import MAX_JSON_DEPTH

CREATE = "mutation($input: CreateInsightInput!) { createInsight(input: $input) { id suggestions } }"
COUNT = "{ insights { totalCount } }"
INSIGHTS_SINCE = "query($since: DateTime) { insights(filter: {updatedSince: $since}) { totalCount } }"


def nested(depth: int) -> object:
    value: object = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


async def test_json_up_to_the_depth_limit_is_stored_and_read_back(api):
    created = (await api.ok(CREATE, {"input": {"description": "d", "suggestions": nested(MAX_JSON_DEPTH)}}))
    assert created["createInsight"]["suggestions"] == nested(MAX_JSON_DEPTH)


async def test_json_deeper_than_the_limit_is_refused_and_nothing_is_created(api):
    """Deeper values broke code that walks them (recursion) and orjson, which renders at most 255 levels."""
    for depth in (MAX_JSON_DEPTH + 1, 300):
        error = await api.error(CREATE, {"input": {"description": "d", "suggestions": nested(depth)}})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert f"must not be nested more than {MAX_JSON_DEPTH} levels deep" in error["message"]
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_a_date_time_an_offset_moves_out_of_range_is_bad_user_input(api):
    for value in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "not a date"):
        error = await api.error(INSIGHTS_SINCE, {"since": value})
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert "Invalid ISO-8601 date-time" in error["message"]
