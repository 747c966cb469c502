"""The reference's own data (copied from ../shared/spec): the operation list and its examples."""

from __future__ import annotations

import csv
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"


@cache
def endpoints() -> list[dict[str, str]]:
    """Rows of endpoints.tsv: method, path, scope, success_status."""
    with (DATA / "endpoints.tsv").open() as f:
        return list(csv.DictReader(f, delimiter="\t"))


@cache
def _examples() -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["method"], e["path"]): e for e in json.loads((DATA / "examples.json").read_text())}


def example(method: str, path: str) -> dict[str, Any]:
    """One operation's examples: exampleQuery, exampleRequest, exampleResponse, successStatus."""
    return json.loads(json.dumps(_examples()[(method, path)]))


def url(path: str, prefix: str = "/api", **params: str) -> str:
    """A documented path template with real values, under the prefix the curl examples use."""
    return prefix + re.sub(r":(\w+)", lambda m: params[m[1]], path)


def assert_keys(
    body: dict[str, Any], expected: dict[str, Any] | list[str] | set[str], *, extra: tuple[str, ...] = ()
) -> None:
    """The body has exactly the example's (or model's) keys, plus `extra` where the spec documents more."""
    assert set(body) == set(expected) | set(extra), (
        f"missing {set(expected) | set(extra) - set(body)}, unexpected {set(body) - set(expected) - set(extra)}"
    )


def assert_list_headers(headers: Any, *, total: int, limit: int, offset: int, has_more: bool) -> None:
    assert headers["X-Total-Count"] == str(total)
    assert headers["X-Limit"] == str(limit)
    assert headers["X-Offset"] == str(offset)
    assert headers["X-Has-More"] == ("true" if has_more else "false")
