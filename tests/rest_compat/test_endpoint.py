"""The generic handler: authentication, the error shape, and malformed requests (never a 500)."""

from __future__ import annotations

import asyncio
import re

import pytest

from signalgraph.rest_compat.routes import ROUTES
from signalgraph.schema.input_guard import MAX_LIST_ITEMS
from tests.rest_compat import given
from tests.serving import send_raw

INSIGHTS = "/external/v1/insights"
MISSING = "00000000-0000-0000-0000-000000000000"


def bad_request(response, message=None):
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"statusCode", "message", "error"}
    assert body["statusCode"] == 400 and body["error"] == "Bad Request"
    if message is not None:
        assert body["message"] == message
    return body["message"]


async def test_missing_malformed_and_unknown_keys_are_401(http, api):
    missing = await http.get(INSIGHTS)
    assert missing.status_code == 401
    assert missing.json() == {
        "statusCode": 401,
        "message": "Missing API key: send 'Authorization: Bearer <key>'",
        "error": "Unauthorized",
    }
    for header in ("Basic abc", "Bearer nonsense", "Bearer sg_00000000_" + "x" * 43):
        response = await http.post(INSIGHTS, json={"description": "d"}, headers={"Authorization": header})
        assert response.status_code == 401, header
    assert (await http.get(INSIGHTS, headers=api.headers)).status_code == 200


async def test_auth_context_needs_a_key_but_no_scope(make_api, http):
    api = await make_api(scopes=["signals:write"])
    response = await api.rest("GET", "/api/external/v1/auth/context")
    assert response.status_code == 200
    body = response.json()
    assert body["workspace"] == {"id": api.workspace_id, "name": api.workspace}
    assert set(body["credential"]) == {"id", "name", "prefix", "scopes"}
    assert body["credential"]["scopes"] == ["signals:write"]
    assert api.key.startswith(f"sg_{body['credential']['prefix']}_")
    assert (await http.get("/external/v1/auth/context")).status_code == 401


async def test_unknown_paths_and_methods_answer_in_the_error_shape(api):
    unknown = await api.rest("GET", "/external/v1/nothing-here")
    assert unknown.json() == {
        "statusCode": 404,
        "message": "Cannot GET /external/v1/nothing-here",
        "error": "Not Found",
    }
    wrong = await api.rest("PUT", INSIGHTS, json={})
    assert wrong.status_code == 405 and wrong.json()["error"] == "Method Not Allowed"


async def test_malformed_json_is_400(api):
    response = await api.rest(
        "POST", INSIGHTS, content=b'{"description": ', headers={"Content-Type": "application/json"}
    )
    assert bad_request(response).startswith("Request body is not valid JSON")


async def test_a_body_that_is_not_an_object_is_400(api):
    for raw in (b"[1, 2]", b'"text"', b"null", b"42"):
        response = await api.rest("POST", INSIGHTS, content=raw, headers={"Content-Type": "application/json"})
        bad_request(response, "Request body must be a JSON object")


async def test_a_body_that_is_not_json_is_415(api):
    for content_type, raw in (
        ("text/plain", b"hello"),
        ("application/xml", b"<a/>"),
        ("application/x-www-form-urlencoded", b"a=b"),
    ):
        response = await api.rest("POST", INSIGHTS, content=raw, headers={"Content-Type": content_type})
        assert response.status_code == 415, content_type
        assert response.json() == {
            "statusCode": 415,
            "message": "Content-Type must be application/json",
            "error": "Unsupported Media Type",
        }


async def test_json_sent_by_curl_without_a_content_type_is_accepted(api):
    """The reference's own examples (`curl -d '{"score": 95}'`) send JSON as application/x-www-form-urlencoded."""
    created = await given.insight(api)
    response = await api.rest(
        "PATCH",
        f"{INSIGHTS}/{created['id']}",
        content=b'{"status": "archived"}',
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200 and response.json()["status"] == "archived"


async def test_unknown_fields_wrong_types_bad_enums_and_nulls_name_the_field(api):
    bad_request(
        await api.rest("POST", INSIGHTS, json={"description": "d", "colour": "red"}),
        "property colour should not exist",
    )
    bad_request(await api.rest("POST", INSIGHTS, json={"description": 5}), "description must be a string")
    bad_request(await api.rest("POST", INSIGHTS, json={"description": None}), "description must not be null")
    bad_request(await api.rest("POST", INSIGHTS, json={}), "description is required")
    bad_request(
        await api.rest("POST", INSIGHTS, json={"description": "d", "status": "done"}),
        "status must be one of the following values: draft, published, archived",
    )
    bad_request(
        await api.rest("POST", INSIGHTS, json={"description": "d", "externalLinks": [{"name": "no url"}]}),
        "externalLinks[0].url is required",
    )
    bad_request(
        await api.rest("POST", INSIGHTS, json={"description": "d", "externalLinks": "https://x"}),
        "externalLinks must be an array",
    )
    bad_request(
        await api.rest("POST", INSIGHTS, json={"description": "d", "tagIds": "tag-1"}),
        "tagIds must be an array",
    )


async def test_paging_parameters_are_checked_and_named(api):
    bad_request(await api.rest("GET", INSIGHTS + "?limit=-1"), "limit must be between 0 and 100")
    bad_request(await api.rest("GET", INSIGHTS + "?limit=ten"), "limit must be an integer")
    bad_request(await api.rest("GET", INSIGHTS + "?limit=1.5"), "limit must be an integer")
    bad_request(await api.rest("GET", INSIGHTS + "?offset=-5"), "offset must not be negative")
    bad_request(await api.rest("GET", INSIGHTS + "?offset=x"), "offset must be an integer")
    bad_request(
        await api.rest("GET", INSIGHTS + "?offset=99999999999999999999"),
        "offset must be an integer between -2147483648 and 2147483647",
    )
    huge = await api.rest("GET", INSIGHTS + "?limit=99999999999999999999")
    assert huge.status_code == 200 and huge.headers["X-Limit"] == "100"


async def test_a_body_over_the_limit_is_413(api):
    response = await api.rest(
        "POST", INSIGHTS, content=b" " * (10 * 1024 * 1024 + 1), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"] == "Payload Too Large"


async def test_an_empty_body_is_an_empty_object_and_whitespace_is_no_json(api):
    # Schemathesis sent "\n" as a JSON body to a PATCH whose fields are all optional: it was taken for `{}`
    created = (await api.rest("POST", INSIGHTS, json={"description": "d"})).json()
    one = f"{INSIGHTS}/{created['id']}"
    assert (await api.rest("PATCH", one, content=b"", headers={"Content-Type": "application/json"})).status_code == 200
    for blank in (b"\n", b"  \r\n"):
        response = await api.rest("PATCH", one, content=blank, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, blank
        assert response.json()["message"].startswith("Request body is not valid JSON")


async def test_a_body_that_breaks_off_is_400_and_logs_no_error(api, server_errors):
    """Broken chunking (like a hang-up mid-body) disconnects the request: that was logged as an unexpected
    error and answered 500, although uvicorn had answered 400 already."""
    head = f"POST {INSIGHTS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {api.key}\r\n".encode()
    answer = await send_raw(api.http.base_url, head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n")
    assert answer.startswith(b"HTTP/1.1 400 "), answer
    assert server_errors() == []
    assert (await api.rest("GET", INSIGHTS)).json() == []


MALFORMED_BODIES = (
    b"{",
    b"[]",
    b'{"input": {"x": 1}}',
    b'{"description": {"nested": [1, 2, {"deep": null}]}}',
    b'{"id": 1, "name": [], "status": 7, "productId": {}, "tagIds": [null], "limit": -1}',
    b'{"description": "\\ud800"}',
    b"\xff\xfe\x00garbage",
    b"[" * 5000 + b"]" * 5000,
)


@pytest.mark.parametrize("raw", MALFORMED_BODIES, ids=range(len(MALFORMED_BODIES)))
async def test_no_malformed_request_to_any_route_is_a_500(api, raw):
    async def send(route):
        headers = {"Content-Type": "application/json"}
        if route.body == "multipart":
            headers = {"Content-Type": "multipart/form-data; boundary=xyz"}
        path = re.sub(r":\w+", MISSING, route.documented_path) + "?limit=-3&offset=abc&include=x"
        return route, await api.rest(route.method, path, content=raw, headers=headers)

    for route, response in await asyncio.gather(*(send(route) for route in ROUTES)):
        assert response.status_code < 500, (route.method, route.path, response.text)
        assert response.status_code < 300 or set(response.json()) == {"statusCode", "message", "error"}


def refused_null(response, field):
    bad_request(response, f"{field} must not contain the null character (U+0000)")


async def test_a_null_character_in_a_body_path_or_query_is_400_naming_the_field_and_writes_nothing(api):
    """PostgreSQL cannot store U+0000: these were 500s there, and silently stored on SQLite."""
    created = await given.insight(api, name="Before")
    refused_null(await api.rest("POST", INSIGHTS, json={"description": "a\x00b"}), "description")
    refused_null(
        await api.rest("POST", INSIGHTS, json={"description": "d", "externalLinks": [{"url": "https://x", "name": "\x00"}]}),
        "externalLinks[0].name",
    )
    refused_null(await api.rest("POST", INSIGHTS, json={"description": "d", "suggestions": {"k": "\x00"}}), "suggestions.k")
    refused_null(await api.rest("PATCH", f"{INSIGHTS}/{created['id']}", json={"name": "\x00"}), "name")
    refused_null(await api.rest("GET", f"{INSIGHTS}/a%00b"), "id")
    refused_null(await api.rest("DELETE", f"{INSIGHTS}/a%00b"), "id")
    refused_null(await api.rest("GET", "/external/v1/accounts?q=a%00b"), "q")
    listed = (await api.rest("GET", INSIGHTS)).json()
    assert [(i["id"], i["name"]) for i in listed] == [(created["id"], "Before")]


async def test_a_date_time_out_of_range_or_malformed_is_400_naming_the_field(api):
    for value in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00", "yesterday"):
        response = await api.rest(
            "POST", "/external/v1/signals", json={"text": "t", "signalType": "support_ticket", "occurredAt": value}
        )
        bad_request(response, "occurredAt must be an ISO-8601 date-time")


async def test_an_unknown_property_whose_name_is_not_a_word_is_named_as_sent(api):
    bad_request(
        await api.rest("POST", INSIGHTS, json={"description": "d", "colour-name": "red"}),
        "property colour-name should not exist",
    )


async def test_json_nested_too_deeply_is_400_at_any_depth(api):
    """orjson reads 1024 levels but writes 255: bodies in between were 500s."""
    for depth, message in (
        (65, "suggestions must not be nested more than 64 levels deep"),
        (300, "Request body is nested too deeply"),
        (2000, None),
    ):
        body = b'{"description": "d", "suggestions": ' + b"[" * depth + b"]" * depth + b"}"
        response = await api.rest("POST", INSIGHTS, content=body, headers={"Content-Type": "application/json"})
        bad_request(response, message)
    assert (await api.rest("GET", INSIGHTS)).json() == []


async def test_a_list_longer_than_the_limit_is_400_naming_the_field(api):
    """Lists become SQL parameters; PostgreSQL takes at most 32767 per statement (this was a 500 there)."""
    ids = [f"00000000-0000-0000-0000-{i:012d}" for i in range(40_000)]
    bad_request(
        await api.rest("POST", INSIGHTS, json={"description": "d", "tagIds": ids}),
        f"tagIds must have at most {MAX_LIST_ITEMS} items",
    )
    assert (await api.rest("GET", INSIGHTS)).json() == []


async def test_a_parameter_longer_than_its_documented_limit_is_400_naming_it(api):
    """openapi.json gives every path and query parameter maxLength 1000: the request line must fit."""
    response = await api.rest("GET", "/external/v1/accounts", params={"name": "x" * 1001})
    assert response.status_code == 400
    assert response.json()["message"] == "name must be at most 1000 characters"
    assert (await api.rest("GET", "/external/v1/accounts", params={"name": "x" * 1000})).status_code == 200
