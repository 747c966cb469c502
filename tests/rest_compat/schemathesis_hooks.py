"""Schemathesis hooks for tests/rest_compat/test_openapi_fuzz.py (loaded by the `st` process it runs)."""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis

from signalgraph.rest_compat import idempotency


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Every valid `Idempotency-Key` is made unique: generated keys repeat ("0", "!"), and a key reused for
    another body is rightly a 422 (tests/rest_compat/test_idempotency.py), which would hide what the body
    tests. Invalid keys are sent as generated, for the server to refuse."""
    key = (case.headers or {}).get(idempotency.HEADER)
    if isinstance(key, str) and idempotency.KEY_PATTERN.fullmatch(key) and len(key) <= idempotency.MAX_KEY_LENGTH:
        case.headers[idempotency.HEADER] = uuid.uuid4().hex


# Above these, a limit is left out of what the run reads: a case breaking it (a 100,001-character
# description, a list of 1,001 ids) costs seconds to generate and tells nothing the limit tests
# (tests/test_limits.py, tests/schema/test_input_guard.py) do not; the valid cases stay short anyway.
LONGEST_GENERATED = 1000
MOST_ITEMS_GENERATED = 100


@schemathesis.hook
def before_load_schema(context: Any, raw_schema: dict[str, Any]) -> None:
    """Generation is bounded: the limits above those are not fuzzed (see LONGEST_GENERATED)."""
    pending: list[Any] = [raw_schema]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("maxLength", 0) > LONGEST_GENERATED:
                del node["maxLength"]
            if node.get("maxItems", 0) > MOST_ITEMS_GENERATED:
                del node["maxItems"]
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
