"""The mutation convention, applied once to the merged Mutation type: every mutation returns a payload.

GitHub's and Shopify's shape: `createInsight(input:)` returns `CreateInsightPayload { insight }`,
`updateInsight` `UpdateInsightPayload { insight }`, `deleteInsight` `DeleteInsightPayload { deletedId }`,
`extractInsights` `ExtractInsightsPayload { insights }` — one type per mutation, named after it, nullable at
the root (partial_results.py), so a payload can grow fields without breaking clients and several aliased
mutations each report their own outcome.

Resolvers keep returning what they made (the object, a list of them, or a `DeleteResult`); `with_payloads`
wraps each mutation whose type is not already a payload, so every domain — declared through
`resources.build()` or written by hand — follows the convention without repeating it. A mutation whose
answer has several parts (`createSignal`: the signal, whether it was created, the job) declares its own
`<Mutation>Payload` type, which is left as it is.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import strawberry
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.types.fields.resolver import StrawberryResolver
from strawberry.types.lazy_type import LazyType

from .common import DeleteResult


def payload_name(mutation: str) -> str:
    """`createInsight` → `CreateInsightPayload`."""
    return mutation[0].upper() + mutation[1:] + "Payload"


def with_payloads(mutation_type: type) -> type:
    """Wrap every mutation of `mutation_type` (a Strawberry type) in its payload, in place; returns it."""
    definition = get_object_definition(mutation_type, strict=True)
    for field in definition.fields:
        returned = field.type
        if isinstance(returned, StrawberryOptional):
            returned = returned.of_type
        if _name(returned).endswith("Payload"):
            continue
        if returned is DeleteResult:
            _wrap(field, _deleted(field), lambda result: {"deleted_id": result.id, "message": result.message})
        else:
            key = _key(returned)
            _wrap(field, _payload(field, key, returned), lambda value, key=key: {key: value})
    return mutation_type


def _wrap(field: StrawberryField, payload: type, values: Any) -> None:
    assert field.base_resolver is not None, f"mutation {field.python_name} has no resolver"
    resolve = field.base_resolver.wrapped_func

    @functools.wraps(resolve)
    async def wrapped(*args: Any, **kwargs: Any) -> Any:
        return payload(**values(await resolve(*args, **kwargs)))

    field.base_resolver = StrawberryResolver(wrapped)
    field.type = payload | None


def _payload(field: StrawberryField, key: str, returned: Any) -> type:
    """`CreateInsightPayload { insight: Insight! }`: the object the mutation wrote (or found)."""
    name = payload_name(field.graphql_name or strawberry_name(field.python_name))
    described = strawberry.field(description=f"The {_words(_name(returned))} as {_past(field.python_name)}.")
    cls = type(name, (), {"__annotations__": {key: returned}, "__module__": __name__, key: described})
    return strawberry.type(cls, description=f"What {strawberry_name(field.python_name)} returns.")


def _deleted(field: StrawberryField) -> type:
    """`DeleteInsightPayload { deletedId message }`."""
    name = payload_name(field.graphql_name or strawberry_name(field.python_name))
    cls = type(
        name,
        (),
        {
            "__annotations__": {"deleted_id": strawberry.ID, "message": str},
            "__module__": __name__,
            "deleted_id": strawberry.field(description=f"The id of the {_deleted_what(field)} deleted."),
            "message": strawberry.field(description="Always `Deleted` (the REST API's answer)."),
        },
    )
    return strawberry.type(cls, description=f"What {strawberry_name(field.python_name)} returns.")


def _deleted_what(field: StrawberryField) -> str:
    return field.python_name.removeprefix("delete_").replace("_", " ")


def _name(type_: Any) -> str:
    if isinstance(type_, StrawberryList):
        return _name(type_.of_type)
    if isinstance(type_, LazyType):
        return type_.type_name
    definition = get_object_definition(type_)
    return definition.name if definition is not None else getattr(type_, "__name__", "")


def _key(type_: Any) -> str:
    """The payload's field: `insight` for Insight, `insights` for a list of them (snake case)."""
    key = re.sub(r"(?<!^)(?=[A-Z])", "_", _name(type_)).lower()
    return key + "s" if isinstance(type_, StrawberryList) else key


def _words(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def _past(mutation: str) -> str:
    verb = mutation.split("_", 1)[0]
    return {"create": "created", "update": "updated", "upload": "uploaded", "extract": "extracted"}.get(
        verb, f"after {verb}"
    )


def strawberry_name(python_name: str) -> str:
    head, *rest = python_name.split("_")
    return head + "".join(p.title() for p in rest)
