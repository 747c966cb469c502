"""The size limits (signalgraph/limits.py), over the real server on both faces: a free-form JSON value or
a text field over its limit is a 400 naming the field, a body over its limit a 413, and nothing is stored."""

from __future__ import annotations

import pytest

from signalgraph.limits import (
    JSON_VALUE_BYTES,
    LONG_TEXT_CHARS,
    TEXT_CHARS,
    TRANSCRIPT_CHARS,
    UPLOAD_BODY_BYTES,
)

CREATE = "mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id } } }"
COUNT = "{ insights { totalCount } }"
TOO_BIG_JSON = {"note": "x" * JSON_VALUE_BYTES}


@pytest.fixture
def make_api(make_http_api):
    return make_http_api


async def test_a_json_value_over_the_limit_is_refused_naming_the_field_on_both_faces(api):
    error = await api.error(CREATE, {"input": {"description": "d", "suggestions": TOO_BIG_JSON}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "suggestions"}
    assert error["message"].endswith("suggestions: must be at most 1 MB as JSON")

    rest = await api.rest("POST", "/external/v1/insights", json={"description": "d", "suggestions": TOO_BIG_JSON})
    assert rest.status_code == 400
    assert rest.json()["message"] == "suggestions must be at most 1 MB as JSON"
    signal = await api.rest("POST", "/external/v1/signals", json={"processorType": "x", "source": {"type": "t"},
                                                                  "data": TOO_BIG_JSON})
    assert (signal.status_code, signal.json()["message"]) == (400, "data must be at most 1 MB as JSON")
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_a_json_value_under_the_limit_is_stored(api):
    fits = {"note": "x" * (JSON_VALUE_BYTES - 100)}
    created = (await api.ok(CREATE, {"input": {"description": "d", "suggestions": fits}}))["createInsight"]["insight"]
    assert created["id"]


async def test_a_text_field_over_the_limit_is_refused_naming_the_field(api):
    long_text = "x" * (TEXT_CHARS + 1)
    rest = await api.rest("POST", "/external/v1/ideas", json={"name": "n", "description": long_text})
    assert (rest.status_code, rest.json()["message"]) == (400, f"description must be at most {TEXT_CHARS:,} characters")
    literal = await api.error(f'mutation {{ createInsight(input: {{description: "{long_text}"}}) {{ insight {{ id }} }} }}')
    assert literal["extensions"] == {"code": "BAD_USER_INPUT", "field": "description"}
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_a_signals_text_may_be_longer_and_a_transcript_is_capped(api):
    long_text = "Exports are slow. " * (TEXT_CHARS // 18 + 10)
    assert TEXT_CHARS < len(long_text) < LONG_TEXT_CHARS["text"]
    created = await api.rest("POST", "/external/v1/signals", json={"text": long_text, "signalType": "review"})
    assert created.status_code == 201

    transcript = "Exports are slow. " * (TRANSCRIPT_CHARS // 18 + 1)
    refused = await api.rest("POST", "/external/v1/insights/process-transcript/insights", json={"transcript": transcript})
    assert (refused.status_code, refused.json()["message"]) == (
        400, f"transcript must be at most {TRANSCRIPT_CHARS:,} characters"
    )


async def test_a_body_over_the_limit_is_413_on_both_faces(api):
    """A 34 MB `suggestions` was stored through /graphql."""
    huge = {"note": "x" * (34 * 1024 * 1024)}
    graphql = await api.http.post("/graphql", json={"query": CREATE, "variables": {"input": {"description": "d",
                                                                                              "suggestions": huge}}},
                                  headers=api.headers)
    assert graphql.status_code == 413
    rest = await api.rest("POST", "/external/v1/insights", json={"description": "d", "suggestions": huge})
    assert rest.status_code == 413 and rest.json()["error"] == "Payload Too Large"
    assert (await api.ok(COUNT))["insights"]["totalCount"] == 0


async def test_a_chunked_multipart_upload_is_capped_while_it_streams(api):
    """No Content-Length to refuse it by: the parser spooled the whole body to disk before looking."""
    boundary = b"sgboundary"

    async def body():
        yield b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
        yield b"Content-Type: text/plain\r\n\r\n"
        for _ in range(UPLOAD_BODY_BYTES // (1024 * 1024) + 2):
            yield b"x" * (1024 * 1024)
        yield b"\r\n--" + boundary + b"--\r\n"

    response = await api.rest(
        "POST", "/external/v1/context-documents/upload", content=body(),
        headers={"Content-Type": "multipart/form-data; boundary=sgboundary"},
    )
    assert response.status_code == 413 and response.json()["error"] == "Payload Too Large"
