"""Turning Strawberry inputs into the plain dicts resolvers take."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry

from ..resolvers.common import camel
from . import input_rules


def plain(value: Any, path: str = "") -> Any:
    """Enums become their wire values, input objects become dicts of their provided fields."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v, path) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return provided(value, path)
    return value


def provided(input_obj: Any, path: str = "") -> dict[str, Any]:
    """The fields the caller sent (UNSET ones left out; explicit nulls kept), by Python name, each checked
    against its rule (schema/input_rules.py); `path` names a nested input in errors (`keyResults.name`)."""
    if input_obj is None or input_obj is strawberry.UNSET:
        return {}
    definition = input_obj.__strawberry_definition__
    values = {}
    for f in definition.fields:
        value = getattr(input_obj, f.python_name)
        if value is strawberry.UNSET:
            continue
        name = f.graphql_name or camel(f.python_name)
        values[f.python_name] = plain(value, f"{path}{name}.")
        input_rules.check(definition.name, name, values[f.python_name], f"{path}{name}")
    return values

