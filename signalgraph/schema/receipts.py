"""What a mutation hands back to a key that may write a resource but not read it: a receipt.

The rule, for every mutation that returns objects (create, update, and the others: `processSignal`,
`extractInsights`, `uploadContextDocument`), on both faces: a key with the resource's write scope but
not its read scope (`signals:write` without `signals:read`) gets back only the identifying fields of
each object — `id`, `publicId`, `workspaceId`, `status` — and the fields it wrote itself (those present
in its input). Every other field is null with a FORBIDDEN error at its path; the REST layer leaves those
fields out of the body (the status and the importers' receipt, `workspaceId` and `publicId`, stay). A
mutation that wrote no field hands back the identifying fields only: `createSignal` answering an
`externalId` seen before (the signal it found is not what this key wrote), `processSignal`.

Applied here once, to the merged Mutation type (`with_receipts` marks what each mutation returns), in the
executor (`receipt_fields`, called by execution.py, withholds the fields of a marked object the key may not read: one check per
object, none per field, so lists and reads cost nothing more), and in the schema (`withholdable`: those
fields are nullable, partial_results.py). The read scope is the write scope's resource: `okrs:write` →
`okrs:read` for OKRs and projects, `insights:write` → `insights:read` for insights and tags.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from inspect import isawaitable
from types import SimpleNamespace
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type
from graphql.pyutils import Path
from strawberry.types.base import StrawberryOptional, get_object_definition
from strawberry.types.fields.resolver import StrawberryResolver

from ..errors import Forbidden
from ..resolvers.common import camel
from ..scopes import Scope
from .input_guard import InputGuard

# The fields every receipt shows (GraphQL names); `__typename` is no data.
IDENTIFYING = frozenset({"id", "publicId", "workspaceId", "status", "__typename"})
SCALARS = (str, int, float, bool, datetime, Enum, dict)


class Withheld(Forbidden):
    """A field of a receipt the key may not read: FORBIDDEN at its path, left out of a REST body."""


@dataclass(frozen=True, slots=True)
class Receipt:
    """An object a mutation returned, to be shown in full to a key with `read`, else as a receipt."""

    value: Any
    read: Scope
    written: frozenset[str]  # the GraphQL names of the fields the mutation's input set


def read_scope(write: Scope) -> Scope:
    """`signals:write` → `signals:read`."""
    return Scope(write.value.rsplit(":", 1)[0] + ":read")


def with_receipts(mutation_type: type) -> type:
    """Mark what every mutation guarded by a write scope returns (a payload, after payloads.py), in place."""
    definition = get_object_definition(mutation_type, strict=True)
    for field in definition.fields:
        scopes: list[Scope | None] = [getattr(p, "scope", None) for p in field.permission_classes]
        writes = [s for s in scopes if s is not None and s.value.endswith(":write")]
        if not writes:
            continue
        assert field.base_resolver is not None, f"mutation {field.python_name} has no resolver"
        payload = field.type.of_type if isinstance(field.type, StrawberryOptional) else field.type
        names = tuple(f.python_name for f in get_object_definition(payload, strict=True).fields)
        field.base_resolver = StrawberryResolver(_marking(field.base_resolver.wrapped_func, read_scope(writes[0]), names))
    return mutation_type


def _marking(resolve: Any, read: Scope, names: tuple[str, ...]) -> Any:
    @functools.wraps(resolve)
    async def marked(*args: Any, **kwargs: Any) -> Any:
        payload = await resolve(*args, **kwargs)
        # A create that found what exists (created: false) wrote nothing.
        written = _written(kwargs.get("input")) if getattr(payload, "created", True) is not False else frozenset()
        receipt = Receipt(None, read, written)
        return SimpleNamespace(**{name: _receipt(getattr(payload, name), receipt) for name in names})

    return marked


def _written(input_obj: Any) -> frozenset[str]:
    """The GraphQL names of the input fields the caller sent."""
    definition = get_object_definition(input_obj) if input_obj is not None else None
    if definition is None:
        return frozenset()
    return frozenset(
        f.graphql_name or camel(f.python_name)
        for f in definition.fields
        if getattr(input_obj, f.python_name) is not strawberry.UNSET
    )


def _receipt(value: Any, receipt: Receipt) -> Any:
    """The payload's value, each object in it (one, or a list) marked as a receipt."""
    if isinstance(value, list):
        return [_receipt(item, receipt) for item in value]
    if value is None or isinstance(value, SCALARS):
        return value
    return Receipt(value, receipt.read, receipt.written)


def receipt_fields(
    executor: InputGuard, parent_type: GraphQLObjectType, receipt: Receipt, path: Any, grouped_field_set: Any, *args: Any
) -> Any:
    """The executor's `execute_fields` (execution.py) for an object a mutation returned: everything for a key
    that reads it, else the identifying fields and those written, every other one withheld at its path.
    Executed unplanned: the visible part of a selection is made for this object only (the plans are
    memoised per selection)."""
    principal = executor.context_value.principal
    if principal is not None and principal.has(receipt.read):
        return InputGuard.execute_fields(executor, parent_type, receipt.value, path, grouped_field_set, *args)
    shown = IDENTIFYING | receipt.written
    visible = {k: v for k, v in grouped_field_set.items() if v[0].node.name.value in shown}
    for response_name, details in grouped_field_set.items():
        name = details[0].node.name.value
        if name not in shown:
            error = Withheld(
                f"Missing scope: {receipt.read.value} (a key that only writes gets back the identifying "
                "fields and what it wrote)"
            )
            field_path = Path(path, response_name, parent_type.name)
            executor.handle_field_error(error, parent_type.fields[name].type, details, field_path)
    results = InputGuard.execute_fields(executor, parent_type, receipt.value, path, visible, *args)
    order = list(grouped_field_set)
    if isawaitable(results):
        return _in_order(results, order)
    return {name: results.get(name) for name in order}


async def _in_order(results: Awaitable[dict[str, Any]], order: list[str]) -> dict[str, Any]:
    done = await results
    return {name: done.get(name) for name in order}


def receipt_types(schema: GraphQLSchema) -> set[GraphQLObjectType]:
    """The object types mutations return in their payloads (Signal, Insight, ProductFeature, …)."""
    found: set[GraphQLObjectType] = set()
    for field in (schema.mutation_type.fields.values() if schema.mutation_type else ()):
        payload = get_named_type(field.type)
        if isinstance(payload, GraphQLObjectType):
            found |= {t for f in payload.fields.values() if isinstance(t := get_named_type(f.type), GraphQLObjectType)}
    return found


def withholdable(schema: GraphQLSchema, owner: GraphQLObjectType, name: str) -> bool:
    """Whether `owner.name` may be withheld from a key that only writes: then it must be nullable."""
    return name not in IDENTIFYING and owner in _receipt_types(schema)


@functools.cache
def _receipt_types(schema: GraphQLSchema) -> frozenset[GraphQLObjectType]:
    return frozenset(receipt_types(schema))
