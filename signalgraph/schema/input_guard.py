"""Input the databases cannot take is refused before any resolver runs, naming the field, on both faces.

- A null character (U+0000) in any string, JSON included: PostgreSQL cannot store it in text or jsonb,
  so it failed deep in a write (a 500) there, and was stored on SQLite.
- A list of more than MAX_LIST_ITEMS items: lists become `IN (…)` parameters, and PostgreSQL takes at
  most 32767 per statement.

Checked once per operation here, where the variable and the path are still known. Variable errors are
worded like graphql-core's own coercion errors (`Variable '$input' has invalid value at .name: must …`),
so the REST layer rewords them to the REST field like any other (rest_compat/errors.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
    Visitor,
    get_nullable_type,
    visit,
)
from graphql.pyutils import print_path_list
from graphql.utilities import type_from_ast
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

MAX_LIST_ITEMS = 1000
NULL_CHARACTER = "must not contain the null character (U+0000)"
TOO_MANY = f"must have at most {MAX_LIST_ITEMS} items"
Path = tuple[str | int, ...]


class InputGuard(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, refusing an operation whose variables or literals the databases cannot take."""

    @classmethod
    def build(  # type: ignore[override]
        cls, schema, document, root_value=None, context_value=None, raw_variable_values=None, *args, **kwargs
    ):
        built = super().build(schema, document, root_value, context_value, raw_variable_values, *args, **kwargs)
        if isinstance(built, list):  # the variables did not even coerce: those errors come first
            return built
        errors = variable_errors(schema, built.operation.variable_definitions, raw_variable_values or {})
        errors += literal_errors(document)
        return errors or built


def variable_errors(
    schema: GraphQLSchema, definitions: Any, values: dict[str, Any]
) -> list[GraphQLError]:
    errors = []
    for definition in definitions or ():
        name = definition.variable.name.value
        type_ = type_from_ast(schema, definition.type)
        for path, reason in _problems(values.get(name), type_, ()):
            errors.append(_error(f"Variable '${name}'", name, path, reason, definition))
    return errors


def literal_errors(document: DocumentNode) -> list[GraphQLError]:
    """Literals are bounded by the token limit; only a `\\u` escape can put U+0000 in one, so documents
    without one (every REST document) are not walked."""
    if document.loc is not None and "\\u" not in document.loc.source.body:
        return []
    errors: list[GraphQLError] = []

    class Literals(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            check(f"Argument '{node.name.value}'", node.name.value, node.value)

        def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> None:
            if node.default_value is not None:
                name = node.variable.name.value
                check(f"Variable '${name}' default", name, node.default_value)

    def check(subject: str, name: str, value: ValueNode) -> None:
        for path, node in _literal_nulls(value, ()):
            errors.append(_error(subject, name, path, NULL_CHARACTER, node))

    visit(document, Literals())
    return errors


def _error(subject: str, name: str, path: Path, reason: str, node: Any) -> GraphQLError:
    field = print_path_list(path).removeprefix(" at ").lstrip(".") or name
    return GraphQLError(
        f"{subject} has invalid value{print_path_list(path)}: {reason}",
        node,
        extensions={"code": "BAD_USER_INPUT", "field": field},
    )


def _problems(value: Any, type_: GraphQLInputType, path: Path) -> Iterator[tuple[Path, str]]:
    """Walk a coercible variable value along its type: lists are counted, leaves (JSON too) searched."""
    type_ = get_nullable_type(type_)
    if isinstance(type_, GraphQLList):
        if not isinstance(value, list):  # a single value where a list is declared: coerced into one
            yield from _problems(value, type_.of_type, path)
        elif len(value) > MAX_LIST_ITEMS:
            yield path, TOO_MANY
        else:
            for index, item in enumerate(value):
                yield from _problems(item, type_.of_type, (*path, index))
    elif isinstance(type_, GraphQLInputObjectType):
        for name, field in type_.fields.items():
            if isinstance(value, dict) and name in value:
                yield from _problems(value[name], field.type, (*path, name))
    else:
        yield from ((null_path, NULL_CHARACTER) for null_path in _nulls(value, path))


def _nulls(value: Any, path: Path) -> Iterator[Path]:
    """Where in a leaf value (a string, or JSON of bounded depth) a null character sits."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                yield path
            else:
                yield from _nulls(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nulls(item, (*path, index))


def _literal_nulls(value: ValueNode, path: Path) -> Iterator[tuple[Path, ValueNode]]:
    if isinstance(value, StringValueNode) and "\x00" in value.value:
        yield path, value
    elif isinstance(value, ObjectValueNode):
        for field in value.fields:
            yield from _literal_nulls(field.value, (*path, field.name.value))
    elif isinstance(value, ListValueNode):
        for index, item in enumerate(value.values):
            yield from _literal_nulls(item, (*path, index))
