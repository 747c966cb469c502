"""Scalars: DateTime rendered ISO-8601 UTC with `Z`, and JSON for free-form payloads."""

from __future__ import annotations

from datetime import datetime, timezone

import strawberry
from strawberry.scalars import JSON

from ..errors import InvalidInput


def format_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    text = value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput("DateTime must be an ISO-8601 string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"Invalid ISO-8601 date-time: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


# Registered for `datetime` in the schema's StrawberryConfig.scalar_map.
DateTime = strawberry.scalar(
    name="DateTime",
    description="An ISO-8601 date-time, rendered in UTC with a trailing Z.",
    serialize=format_datetime,
    parse_value=parse_datetime,
)

__all__ = ["JSON", "DateTime", "format_datetime", "parse_datetime"]
