"""Logs: one format (text or JSON) for the application and the access log; a request id from the proxy's
X-Request-Id (when sane) or made up, returned, and on every line of its request with the key's prefix,
workspace, route, status and duration; a start-up line naming the version, the database and the job mode."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson
import pytest

from signalgraph import __version__
from signalgraph.logs import JsonFormatter, TextFormatter
from signalgraph.storage.engine import describe_database
from tests.serving import serve_process, wait_until_ready

GENERATED_ID = re.compile(r"^[0-9a-f]{32}$")


@contextmanager
def captured(formatter: logging.Formatter, name: str = "signalgraph") -> Iterator[io.StringIO]:
    """The lines `name` logs in this process, formatted as the server formats them."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(formatter)
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield out
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


async def test_the_request_id_a_proxy_sends_is_returned_and_on_the_access_line(http_api):
    with captured(TextFormatter()) as out:
        response = await http_api.http.post(
            "/graphql", json={"query": "query Viewer { viewer { scopes } }", "operationName": "Viewer"},
            headers={**http_api.headers, "X-Request-Id": "edge-4f2a.17"},
        )
    assert response.status_code == 200 and response.headers["X-Request-Id"] == "edge-4f2a.17"
    [line] = [line for line in out.getvalue().splitlines() if "signalgraph.access" in line]
    prefix = http_api.key.split("_")[1]
    assert line.split(" ", 3)[1:3] == ["INFO", "signalgraph.access:"]
    assert "POST /graphql 200 " in line
    for field in ("request_id=edge-4f2a.17", f"key_prefix={prefix}", f"workspace_id={http_api.workspace_id}",
                  "route=/graphql", "operation=Viewer", "status=200", "duration_ms="):
        assert field in line, field
    assert http_api.key not in out.getvalue()  # the key itself is never logged


@pytest.mark.parametrize("sent", [None, "", "x" * 129, "two words", "<script>", "ünïcode".encode()])
async def test_a_missing_or_insane_request_id_is_replaced_by_a_new_one(http, sent):
    headers = {} if sent is None else {"X-Request-Id": sent}
    with captured(JsonFormatter(), "signalgraph.access") as out:
        response = await http.get("/healthz", headers=headers)
    returned = response.headers["X-Request-Id"]
    assert GENERATED_ID.match(returned)
    entry = orjson.loads(out.getvalue().splitlines()[-1])
    assert (entry["request_id"], entry["route"], entry["status"]) == (returned, "/healthz", 200)


async def test_rest_requests_are_logged_by_documented_path_and_unknown_paths_as_unmatched(http_api):
    with captured(JsonFormatter(), "signalgraph.access") as out:
        one = await http_api.http.get("/api/external/v1/insights/00000000-0000-0000-0000-000000000000",
                                      headers=http_api.headers)
        unknown = await http_api.http.get("/nowhere/at/all")
    assert (one.status_code, unknown.status_code) == (404, 404)
    first, second = (orjson.loads(line) for line in out.getvalue().splitlines()[-2:])
    assert (first["route"], first["status"], first["key_prefix"]) == (
        "/external/v1/insights/:id", 404, http_api.key.split("_")[1]
    )
    assert (second["route"], second["status"]) == ("unmatched", 404) and "key_prefix" not in second


def test_the_database_is_described_without_secrets(tmp_path):
    assert describe_database("postgresql+asyncpg://sg:s3cret@db.internal:5433/signalgraph") == (
        "PostgreSQL db.internal:5433/signalgraph"
    )
    assert describe_database(f"sqlite+aiosqlite:///{tmp_path}/x.db") == f"SQLite {tmp_path}/x.db"


@pytest.mark.processes
async def test_serve_logs_json_lines_with_a_start_up_line_and_request_fields(database_url, api, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env.update(SIGNALGRAPH_DATABASE_URL=database_url, SIGNALGRAPH_LOG_FORMAT="json")
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log, serve_process(env, stderr=log) as (_, base):
        await asyncio.to_thread(wait_until_ready, base)
        async with httpx.AsyncClient(base_url=base, headers=api.headers) as http:
            listed = await http.get("/external/v1/signals", headers={"X-Request-Id": "lb-0001"})
        assert listed.status_code == 200 and listed.headers["X-Request-Id"] == "lb-0001"
    entries = [orjson.loads(line) for line in log_path.read_text().splitlines()]  # every line is JSON
    [start] = [e for e in entries if e["message"].startswith("Signalgraph ")]
    assert start["message"].startswith(f"Signalgraph {__version__} serving: database ")
    assert describe_database(database_url) in start["message"] and "jobs in-process" in start["message"]
    [access] = [e for e in entries if e.get("request_id") == "lb-0001"]
    assert access["logger"] == "signalgraph.access" and access["level"] == "INFO"
    assert {k: access[k] for k in ("key_prefix", "workspace_id", "route", "status")} == {
        "key_prefix": api.key.split("_")[1], "workspace_id": api.workspace_id,
        "route": "/external/v1/signals", "status": 200,
    }
    assert access["duration_ms"] >= 0 and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", access["time"])
    assert any(e["logger"].startswith("uvicorn") for e in entries)  # uvicorn's own lines, same format
