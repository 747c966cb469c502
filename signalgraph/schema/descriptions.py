"""Descriptions of the shapes every domain repeats, written once and applied to the built schema.

Each domain describes its own fields where it declares them (`Field(description=…)`, `strawberry.field(
description=…)`); what is the same everywhere is described here, by the naming conventions, so a new
resource — declared or written by hand — is documented without repeating a sentence:

- root fields `thing(id)`, `things(first, after, offset, filter)`, `createThing(input)`,
  `updateThing(id, input)`, `deleteThing(id)`, and their arguments;
- connections and edges (`ThingConnection`, `ThingEdge`), `CreateThingInput`, `UpdateThingInput`, `ThingFilter`;
- a field of `Thing` as the same field of `CreateThingInput` (declared once, with its input);
- the fields every object has (`id`, `workspaceId`, `createdAt`, `updatedAt`), id lists (`insightIds`) and
  the relations they name (`insights`, `product` for `productId`), and the filter fields of every list.

A description written in a domain always wins: this only fills what is blank. tests/schema/test_descriptions.py
fails on anything still undescribed.
"""

from __future__ import annotations

import re

from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_non_null_type,
)
from strawberry.schema.schema_converter import GraphQLCoreConverter

from .partial_results import DECLARED_TYPE
from .resources import AFTER, FIRST

# The paging arguments of every list (schema/pagination.py checks them).
ARGUMENTS = {
    "first": FIRST,
    "after": AFTER,
    "offset": "How many items to skip before the page starts (at least 0, default 0); not together with a cursor.",
    "filter": "Conditions every returned item meets (all of them); left out, the list is unfiltered.",
}

FIELDS = {
    "workspaceId": "The workspace it belongs to: always the API key's workspace.",
    "createdAt": "When it was created (ISO-8601, UTC).",
    "updatedAt": "When it was last changed (ISO-8601, UTC); set on every update.",
}

FILTER_FIELDS = {
    "search": "Case-insensitive text the item contains (at most 1,000 characters); empty: no condition.",
    "updatedSince": "Only items changed at or after this time (ISO-8601).",
    "status": "Only items with one of these statuses; empty or null: any status.",
    "type": "Only items of one of these types; empty or null: any type.",
    "productId": "Only items of this product.",
    "accountId": "Only items linked to this account.",
}


def words(type_name: str) -> str:
    """`ContextDocument` → "context document"; `Okr` → "OKR"."""
    return re.sub(r"\bokr\b", "OKR", re.sub(r"(?<!^)(?=[A-Z])", " ", type_name).lower())


def a(phrase: str) -> str:
    """"an insight", "a signal"."""
    return f"{'an' if phrase[:1] in 'aeiouAEIOU' else 'a'} {phrase}"


def plural(phrase: str) -> str:
    return phrase[:-1] + "ies" if phrase.endswith("y") else phrase + "s"


def describe(schema: GraphQLSchema) -> None:
    """Fill the blank descriptions of the repeated shapes, in place."""
    _from_inputs(schema)
    for type_ in schema.type_map.values():
        if type_.name.startswith("__"):
            continue
        if not type_.description:
            type_.description = _type(type_)
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)):
            root = type_ in (schema.query_type, schema.mutation_type)
            for name, field in type_.fields.items():
                if not field.description:
                    field.description = _root_field(name, field) if root else _field(type_, name, field)
                for arg_name, arg in field.args.items():
                    if not arg.description:
                        arg.description = _argument(name, field, arg_name, arg)
        elif isinstance(type_, GraphQLInputObjectType):
            for name, field in type_.fields.items():
                if not field.description and type_.name.endswith("Filter"):
                    field.description = FILTER_FIELDS.get(name)
                if not field.description and name.endswith("Ids"):
                    replaces = "; replaces the whole list" if type_.name.startswith("Update") else ""
                    field.description = f"Ids of the {plural(words(name[:-3]))} to link{replaces}."
                if not field.description and name.endswith("Id"):
                    field.description = f"Id of the {words(name[:-2])} it belongs to; null: none."


ROOTS = {
    "Query": "Every read. Root fields are nullable: a failure nulls only its own field, reported in `errors` at its path.",
    "Mutation": (
        "Every write. Each runs in one transaction; a failure nulls only its own field, reported in `errors`. "
        "A key with a resource's write scope but not its read scope gets back only `id`, `publicId`, "
        "`workspaceId`, `status` and the fields it sent; the others are null, with FORBIDDEN at their path."
    ),
}


def _from_inputs(schema: GraphQLSchema) -> None:
    """A field of `Thing` or `UpdateThingInput` is described like the same field of `CreateThingInput`: one
    declaration per field."""
    for type_ in schema.type_map.values():
        thing = type_.name.removeprefix("Update").removesuffix("Input") if type_.name.startswith("Update") else type_.name
        source = schema.type_map.get(f"Create{thing}Input")
        if isinstance(type_, (GraphQLObjectType, GraphQLInputObjectType)) and isinstance(source, GraphQLInputObjectType) and source is not type_:
            for name, field in type_.fields.items():
                if not field.description and name in source.fields:
                    field.description = source.fields[name].description


def _type(type_: GraphQLNamedType) -> str | None:
    name = type_.name
    if name in ROOTS:
        return ROOTS[name]
    if name.endswith("Connection"):
        return (
            f"A page of {plural(words(name[: -len('Connection')]))}: the items (`nodes`, or `edges` with their "
            "cursors), `pageInfo` to ask for the next page, and `totalCount`."
        )
    if name.endswith("Edge"):
        return f"One {words(name[: -len('Edge')])} of a page, with the cursor that continues the list after it."
    if isinstance(type_, GraphQLInputObjectType):
        if name.startswith("Create") and name.endswith("Input"):
            return f"A new {words(name[6:-5])}: required fields are non-null; the others may be left out."
        if name.startswith("Update") and name.endswith("Input"):
            return (
                f"Changes to {a(words(name[6:-5]))}: a field left out stays as it is; null clears it where the "
                "field may be null; a list replaces the whole list."
            )
        if name.endswith("Filter"):
            return f"Conditions on the list of {plural(words(name[:-6]))}; every condition given must hold."
    return None


def _root_field(name: str, field: GraphQLField) -> str | None:
    target = get_named_type(field.type).name
    if target.endswith("Connection"):
        return f"A page of the workspace's {plural(words(target[: -len('Connection')]))}."
    for verb, sentence in (
        ("create", "Creates {1}; the payload holds it."),
        ("update", "Changes the fields given of {1}; the payload holds it. NOT_FOUND when there is no such {0}."),
        ("delete", "Deletes {1}; the payload holds its id. NOT_FOUND when there is no such {0}."),
    ):
        if name.startswith(verb) and name[len(verb) : len(verb) + 1].isupper():
            thing = words(name[len(verb) :])
            return sentence.format(thing, a(thing))
    if "id" in field.args and words(target).replace(" ", "").lower() == name.lower():
        return f"One {words(target)} by id; null when there is none in the key's workspace."
    return None


def _field(owner: GraphQLNamedType, name: str, field: GraphQLField) -> str | None:
    thing = words(owner.name)
    if name == "id":
        return f"The {thing}'s id (a UUID)."
    if name in FIELDS:
        return FIELDS[name]
    if name.endswith("Ids") and name != "Ids":
        return f"Ids of the linked {plural(words(name[:-3]))}."
    if name.endswith("Id") and name != "Id":
        if is_non_null_type(field.extensions.get(DECLARED_TYPE, field.type)):  # as declared: receipts.py
            return f"Id of the {words(name[:-2])} it belongs to."
        return f"Id of the {words(name[:-2])}; null when there is none."
    fields = getattr(owner, "fields", {})
    guarded = bool(getattr(field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF), "permission_classes", None))
    unread = "; null when the key may not read them" if guarded else ""
    if f"{name}Id" in fields:
        return f"The {words(name)} that `{name}Id` names; null when there is none or the key may not read it."
    singular = name[:-3] + "y" if name.endswith("ies") else name[:-1]
    if f"{singular}Ids" in fields:
        return f"The linked {words(name)} (the objects of `{singular}Ids`){unread}."
    if isinstance(get_named_type(field.type), (GraphQLObjectType, GraphQLInterfaceType)):
        return f"The {words(name)} linked to this {thing}{unread}."
    return None


def _argument(field_name: str, field: GraphQLField, name: str, arg: GraphQLArgument) -> str | None:
    if name in ARGUMENTS:
        return ARGUMENTS[name]
    target = words(get_named_type(field.type).name)
    if name == "id":
        if field_name.startswith("update"):
            return f"Id of the {words(field_name[6:])} to change."
        if field_name.startswith("delete"):
            return f"Id of the {words(field_name[6:])} to delete."
        return f"Id of the {target}."
    if name == "input":
        kind = get_named_type(arg.type).name
        return "The fields to change." if kind.startswith("Update") else "The fields of the new item."
    if name == "search":
        return FILTER_FIELDS["search"]
    if name.endswith("Id"):
        return f"Id of the {words(name[:-2])} (a UUID)."
    return None

