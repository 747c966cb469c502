"""Every type, field, argument, enum value and input field of the schema says what it is (issue 10)."""

from __future__ import annotations

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    introspection_types,
    specified_scalar_types,
)

from signalgraph.schema import schema


def undescribed(built: GraphQLSchema) -> list[str]:
    """The schema coordinates (`Type.field(arg:)`) of every item without a description, built-ins aside."""
    missing: list[str] = []
    for name, type_ in built.type_map.items():
        if name in specified_scalar_types or name in introspection_types:
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [f"{name}.{field_name}({a}:)" for a, arg in field.args.items() if not arg.description]
        elif isinstance(type_, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in type_.fields.items() if not field.description]
        elif isinstance(type_, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, value in type_.values.items() if not value.description]
    return missing


def test_every_item_of_the_schema_has_a_description():
    missing = undescribed(schema._schema)
    assert not missing, f"{len(missing)} items have no description:\n" + "\n".join(missing)


def test_the_check_finds_an_undescribed_item():
    # given a schema with one field and one argument nobody described
    built = GraphQLSchema(
        query=GraphQLObjectType(
            "Query",
            lambda: {"ping": GraphQLField(GraphQLString, args={"times": GraphQLArgument(GraphQLInt)})},
            description="Reads.",
        )
    )
    # then both are named, and nothing else
    assert undescribed(built) == ["Query.ping", "Query.ping(times:)"]


def test_legacy_fields_are_deprecated_with_a_reason():
    account_id = schema._schema.type_map["Signal"].fields["accountId"]  # type: ignore[union-attr]
    assert account_id.deprecation_reason and "accountIds" in account_id.deprecation_reason

