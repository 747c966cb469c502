"""/graphql over HTTP: the key is checked before the body is read, bodies are capped while they stream in,
multipart runs only the upload mutation, and a document built to make validation exponential is refused
at once, with or without a key, while /healthz keeps answering."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from signalgraph.auth import WWW_AUTHENTICATE
from signalgraph.limits import JSON_BODY_BYTES, MULTIPART_OVERHEAD_BYTES, UPLOAD_BODY_BYTES


@pytest.fixture
def make_api(make_http_api):
    """/graphql over HTTP is what is under test here: every key speaks over the real server."""
    return make_http_api


def doubling_fragments(levels: int) -> str:
    """`F0` spreads `F1` twice, `F1` spreads `F2` twice, …: 2**levels paths through ~40 bytes a level."""
    chain = " ".join(f"fragment F{i} on Viewer {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"query {{ viewer {{ ...F0 }} }} {chain} fragment F{levels} on Viewer {{ a: scopes }}"


async def healthz_during(http, request) -> tuple[object, float]:
    """Send `request` and, while it runs, /healthz: its answer and how long the health check waited."""
    task = asyncio.ensure_future(request)
    await asyncio.sleep(0.05)
    started = time.monotonic()
    health = await http.get("/healthz")
    waited = time.monotonic() - started
    assert health.status_code == 200
    return await task, waited


async def test_the_exponential_fragment_document_is_refused_before_parsing_without_a_key(http):
    started = time.monotonic()
    response, waited = await healthz_during(http, http.post("/graphql", json={"query": doubling_fragments(40)}))
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"] == WWW_AUTHENTICATE
    # Exponential validation is 2**40 fragment walks: hours. The bound is loose for a busy shared machine.
    assert time.monotonic() - started < 30 and waited < 30


async def test_the_exponential_fragment_document_is_refused_promptly_with_a_key(http, api):
    started = time.monotonic()
    response, waited = await healthz_during(
        http, http.post("/graphql", json={"query": doubling_fragments(40)}, headers=api.headers)
    )
    errors = response.json()["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "aliases" in errors[0]["message"] and response.json().get("data") is None
    assert time.monotonic() - started < 30 and waited < 30


async def test_a_wrong_key_is_401_and_the_graphiql_page_needs_none(http):
    bad = {"Authorization": "Bearer sg_deadbeef_" + "x" * 40}
    response = await http.post("/graphql", json={"query": "{ viewer { scopes } }"}, headers=bad)
    assert response.status_code == 401 and response.json()["errors"][0]["message"] == "Invalid API key"
    via_get = await http.get("/graphql", params={"query": "{ viewer { scopes } }"})
    assert via_get.status_code == 401
    page = await http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "graphiql" in page.text.lower()


async def test_an_anonymous_body_is_not_read(http):
    """A 300 MB body was read (and a multipart one spooled to disk) before the key was checked: now the
    answer comes after the headers, whatever follows them."""
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
        b"Content-Length: 314572800\r\n\r\n--b\r\n"
    )
    reader, writer = await asyncio.open_connection(http.base_url.host, http.base_url.port)
    try:
        writer.write(head)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()
    assert status_line.startswith(b"HTTP/1.1 401 "), status_line


async def test_a_json_body_over_the_limit_is_413(api):
    padding = " " * (JSON_BODY_BYTES + 1)
    declared = await api.http.post(
        "/graphql", content=b'{"query": "{ viewer { scopes } }"' + padding.encode() + b"}",
        headers={**api.headers, "Content-Type": "application/json"},
    )
    assert declared.status_code == 413 and "10 MB" in declared.text

    async def chunks():  # no Content-Length: the cap holds while the body streams in
        yield b'{"query": "{ viewer { scopes } }"'
        for _ in range(11):
            yield b" " * (1024 * 1024)
        yield b"}"

    streamed = await api.http.post(
        "/graphql", content=chunks(), headers={**api.headers, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert (await api.ok("{ viewer { scopes } }"))["viewer"]["scopes"]  # the connection's server is fine


async def test_a_multipart_body_over_the_upload_limit_is_413(api):
    limit = UPLOAD_BODY_BYTES + MULTIPART_OVERHEAD_BYTES
    response = await api.http.post(
        "/graphql", content=b"x" * (limit + 1),
        headers={**api.headers, "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert response.status_code == 413


async def test_multipart_runs_only_the_upload_mutation(api):
    for query in (
        "{ viewer { scopes } }",
        "mutation { createTag(input: {name: \"x\"}) { tag { id } } }",
        "mutation($f: Upload!) { uploadContextDocument(input: {file: $f}) { contextDocument { id } } createTag(input: {name: \"x\"}) { tag { id } } }",
    ):
        operations = json.dumps({"query": query, "variables": {"f": None}})
        response = await api.http.post(
            "/graphql",
            files={"operations": (None, operations), "map": (None, '{"0": ["variables.f"]}'), "0": ("a.md", b"x", "text/markdown")},
            headers=api.headers,
        )
        assert (response.status_code, response.text) == (
            400, "A multipart request may only run uploadContextDocument"
        ), query
    assert (await api.ok("{ tags { totalCount } }"))["tags"]["totalCount"] == 0
