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
