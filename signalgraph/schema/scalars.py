"""Scalars: DateTime rendered ISO-8601 UTC with `Z`, and JSON for free-form payloads (of bounded depth)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import strawberry
from strawberry.scalars import JSON

from ..errors import InvalidInput


def format_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    text = value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput("DateTime must be an ISO-8601 string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: the offset moves it past year 1 or 9999
        raise InvalidInput(f"Invalid ISO-8601 date-time: {value!r}") from None


# Registered for `datetime` in the schema's StrawberryConfig.scalar_map.
DateTime = strawberry.scalar(
    name="DateTime",
    description="An ISO-8601 date-time, rendered in UTC with a trailing Z.",
    serialize=format_datetime,
    parse_value=parse_datetime,
)

# Deeper JSON is refused on input: deep enough for any payload, and far below the 255 levels orjson can
# render (and the recursion limit of any code walking it), so what is stored can always be answered.
MAX_JSON_DEPTH = 64
JSON_VALUE_TYPES = (dict, list, str, int, float, bool, type(None))
# Numbers are refused where they could not be answered either: integers orjson cannot render (a GraphQL
# literal may be any size) and infinities (a literal such as 1e400; PostgreSQL's jsonb refuses them).
JSON_INTEGERS = range(-(2**63), 2**64)


def parse_json(value: object) -> object:
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if not isinstance(item, JSON_VALUE_TYPES):  # a multipart request can map an uploaded file here
            raise InvalidInput("JSON must hold only JSON values, not an uploaded file")
        if isinstance(item, float) and not math.isfinite(item):
            raise InvalidInput("JSON numbers must be finite")
        if isinstance(item, int) and not isinstance(item, bool) and item not in JSON_INTEGERS:
            raise InvalidInput("JSON integers must fit in 64 bits")
        if isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise InvalidInput(f"JSON must not be nested more than {MAX_JSON_DEPTH} levels deep")
            pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return value


# Registered for `JSON` in the schema's StrawberryConfig.scalar_map, in place of Strawberry's own.
JSONScalar = strawberry.scalar(
    name="JSON",
    description=f"Any JSON value, nested at most {MAX_JSON_DEPTH} levels deep.",
    serialize=lambda value: value,
    parse_value=parse_json,
)

__all__ = ["JSON", "MAX_JSON_DEPTH", "DateTime", "JSONScalar", "format_datetime", "parse_datetime", "parse_json"]
