"""Turning Strawberry inputs into the plain dicts resolvers take."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry


def plain(value: Any) -> Any:
    """Enums become their wire values, input objects become dicts of their provided fields."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return provided(value)
    return value


def provided(input_obj: Any) -> dict[str, Any]:
    """The fields the caller sent (UNSET ones left out; explicit nulls kept), by Python name."""
    if input_obj is None or input_obj is strawberry.UNSET:
        return {}
    return {
        f.name: plain(getattr(input_obj, f.name))
        for f in dataclasses.fields(input_obj)
        if getattr(input_obj, f.name) is not strawberry.UNSET
    }
