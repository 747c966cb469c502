"""Partial results, GitHub's way: a failure nulls only its own field, and the rest of the response survives.

GraphQL propagates a null raised in a non-null field up to the nearest nullable parent: one FORBIDDEN in
`signals { nodes { insights } }` would wipe every signal. So the fields that can fail for reasons of
their own are nullable, and their error is reported at their `path` with its `extensions.code`:

- every root Query and Mutation field (a missing scope, a bad argument, an absent row, a refused write);
- every field guarded by a scope (`permission_classes=[HasScope(…)]`): the relations that cross into
  another resource, which a key may not be allowed to read;
- every field of an object a mutation returns but its identifying ones: a key that writes without
  reading gets a receipt (receipts.py). Such a field keeps its declared type in its extensions
  (`DECLARED_TYPE`), which REST, leaving a withheld field out rather than null, documents.

The rule is applied once, here, to the schema Strawberry built, so every domain — declared through
`resources.build()` or written by hand — follows it without repeating it; tests/schema/test_partial_results.py
checks it field by field.
"""

from __future__ import annotations

from graphql import GraphQLNonNull, GraphQLObjectType, GraphQLSchema
from strawberry.schema.schema_converter import GraphQLCoreConverter

from .receipts import withholdable

DECLARED_TYPE = "signalgraph.declared_type"


def can_fail_alone(schema: GraphQLSchema, owner: GraphQLObjectType, name: str) -> bool:
    """Whether the field `owner.name` is one that must be nullable."""
    if owner in (schema.query_type, schema.mutation_type):
        return True
    definition = owner.fields[name].extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return bool(getattr(definition, "permission_classes", None)) or withholdable(schema, owner, name)


def make_nullable(schema: GraphQLSchema) -> None:
    """Drop the non-null wrapper of every field that can fail alone (output types only: always valid)."""
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            if isinstance(field.type, GraphQLNonNull) and can_fail_alone(schema, type_, name):
                field.extensions = {**field.extensions, DECLARED_TYPE: field.type}
                field.type = field.type.of_type
