"""The DateTime and JSON scalars at the edge of what they accept: bad input is BAD_USER_INPUT, never a 500."""

from __future__ import annotations

from signalgraph.schema.scalars import MAX_JSON_DEPTH
from tests.factories import upload_file

CREATE = "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id suggestions } } }"
COUNT = "{ insights { totalCount } }"
INSIGHTS_SINCE = "query($since: DateTime) { insights(filter: {updatedSince: $since}) { totalCount } }"


def nested(depth: int) -> object:
    value: object = "leaf"
    for _ in range(depth):
        value = {"k": value}
    return value


async def test_json_up_to_the_depth_limit_is_stored_and_read_back(api):
    created = (await api.ok(CREATE, {"input": {"description": "d", "suggestions": nested(MAX_JSON_DEPTH)}}))
    assert created["createInsight"]["insight"]["suggestions"] == nested(MAX_JSON_DEPTH)


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


async def test_an_uploaded_file_mapped_into_json_is_bad_user_input_naming_the_field(api):
    """A multipart map may put a file at any variable path: in JSON it reached the database (a 500)."""
    body = await upload_file(api, CREATE, {"input": {"description": "d", "suggestions": None}},
                             "variables.input.suggestions", ("a.md", b"x", "text/markdown"))
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert error["message"].startswith("Variable '$input' has invalid value at .suggestions:"), error
    assert "JSON must hold only JSON values, not an uploaded file" in error["message"]
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_json_numbers_no_response_could_render_are_bad_user_input(api):
    """A GraphQL literal may be an integer of any size, or 1e400 (infinity): the first was stored and made
    every read of the row a 500 (orjson renders 64-bit integers only); PostgreSQL refused the second."""
    for literal, reason in (
        ("123456789012345678901234567890", "JSON integers must fit in 64 bits"),
        ("-9223372036854775809", "JSON integers must fit in 64 bits"),
        ("1e400", "JSON numbers must be finite"),
    ):
        error = await api.error(
            f'mutation {{ createInsight(input: {{description: "d", suggestions: [{literal}]}}) {{ insight {{ id }} }} }}'
        )
        assert error["extensions"]["code"] == "BAD_USER_INPUT", error
        assert error["message"] == (
            f"Expected value of type 'JSON', but encountered error '{reason}'; found: [{literal}]."
        )
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_json_numbers_past_64_bits_are_read_back_as_sent(api):
    """PostgreSQL's jsonb gives 1.5e21 back as the integer 1500000000000000000000, which orjson cannot
    render: every read of the row was a 500 there."""
    numbers = [1.5e21, -1e300, 2**64 - 1, -(2**63), 0.1]
    created = (await api.ok(CREATE, {"input": {"description": "d", "suggestions": numbers}}))["createInsight"]["insight"]
    read = await api.ok("query($id: ID!) { insight(id: $id) { suggestions } }", {"id": created["id"]})
    assert read["insight"]["suggestions"] == numbers
    listed = await api.ok("{ insights { nodes { suggestions } } }")
    assert listed["insights"]["nodes"] == [{"suggestions": numbers}]
