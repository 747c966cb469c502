"""How a route's GraphQL result becomes the REST body: the selection is the shape; these only unwrap it.

Each shaper takes the root field's value and the parsed call, and returns the body with, where the
route needs them, a status of its own and headers. Next to each sits how it turns the JSON Schema of
the selection into the schema of the body, for openapi.json.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, get_named_type

from ..errors import NotFound
from ..schema.receipts import Withheld
from .inputs import Call

JSONSchema = dict[str, Any]


@dataclass(frozen=True)
class Shaped:
    body: Any
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Shaper:
    shape: Callable[[Any, Call], Shaped]
    body_schema: Callable[[JSONSchema], JSONSchema]
    list_headers: bool = False
    other_statuses: tuple[tuple[int, str], ...] = ()  # success statuses besides the route's own

    def __call__(self, value: Any, call: Call) -> Shaped:
        return self.shape(value, call)


def _node(value: Any, call: Call) -> Shaped:
    if value is None:
        what = re.sub(
            r"(?<!^)(?=[A-Z])", " ", get_named_type(call.document.result_type).name
        ).capitalize()
        raise NotFound(f"{what} {call.resource_id} not found")
    return Shaped(value)


def _page(value: dict[str, Any], call: Call) -> Shaped:
    return Shaped(
        value["nodes"],
        headers=list_headers(value["totalCount"], call.limit, call.offset, value["pageInfo"]["hasNextPage"]),
    )


def _items(value: list[Any], call: Call) -> Shaped:
    return Shaped(value, headers=list_headers(len(value), len(value), 0, False))


def _signal_created(value: dict[str, Any], call: Call) -> Shaped:
    job = {"jobId": value["jobId"]} if value["jobId"] is not None else {}
    return Shaped({**value["signal"], **job}, status=None if value["created"] else 200)


def _auth_context(value: dict[str, Any], call: Call) -> Shaped:
    return Shaped(
        {"workspace": value["workspace"], "credential": {**value["key"], "scopes": value["scopes"]}}
    )


def _properties(schema: JSONSchema) -> dict[str, JSONSchema]:
    return schema.get("properties", {})


def _object(properties: dict[str, JSONSchema]) -> JSONSchema:
    return {"type": "object", "properties": properties, "required": list(properties)}


# The object itself; null (absent, or in another workspace) is a 404.
node = Shaper(_node, lambda s: s)
# A connection's nodes, with the paging headers.
page = Shaper(_page, lambda s: _properties(s)["nodes"], list_headers=True)
# A whole sub-collection (the features of a product): one page holding everything.
items = Shaper(_items, lambda s: s, list_headers=True)
# The signal with the id of the job queued for it (absent when none was); an `externalId` seen before
# answers 200 with the signal found.
signal_created = Shaper(
    _signal_created,
    lambda s: {
        **_properties(s)["signal"],
        "properties": {**_properties(_properties(s)["signal"]), "jobId": {"type": "string"}},
    },
    other_statuses=((200, "A signal with this externalId exists: it is returned and nothing is queued."),),
)
# Where the key points: its workspace, and the key itself with its scopes.
auth_context = Shaper(
    _auth_context,
    lambda s: _object(
        {
            "workspace": _properties(s)["workspace"],
            "credential": _object({**_properties(_properties(s)["key"]), "scopes": _properties(s)["scopes"]}),
        }
    ),
)


def omit_withheld(data: dict[str, Any] | None, errors: list[GraphQLError]) -> list[GraphQLError]:
    """The fields withheld from a key that writes without reading (schema/receipts.py) are left out of the
    body, not answered with an error: its receipt is the rest. Returns the other errors."""
    others = []
    for error in errors:
        if not isinstance(error.original_error, Withheld) or data is None or not error.path:
            others.append(error)
            continue
        parent: Any = data
        for key in error.path[:-1]:
            parent = parent[key]
        parent.pop(error.path[-1], None)
    return others


def list_headers(total: int, limit: int, offset: int, has_more: bool) -> dict[str, str]:
    return {
        "X-Total-Count": str(total),
        "X-Limit": str(limit),
        "X-Offset": str(offset),
        "X-Has-More": "true" if has_more else "false",
    }
