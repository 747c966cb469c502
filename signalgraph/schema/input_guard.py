"""Input the databases cannot take is refused before any resolver runs, naming the field, on both faces.

- A null character (U+0000) in any string, JSON included: PostgreSQL cannot store it in text or jsonb,
  so it failed deep in a write (a 500) there, and was stored on SQLite.
- A list of more than MAX_LIST_ITEMS items: lists become `IN (…)` parameters, and PostgreSQL takes at
  most 32767 per statement.
- A text or JSON value over its size limit (signalgraph/limits.py): a 34 MB `suggestions` was stored.

Checked once per operation here, where the variable and the path are still known. Variable errors are
worded like graphql-core's own coercion errors (`Variable '$input' has invalid value at .name: must …`),
so the REST layer rewords them to the REST field like any other (rest_compat/errors.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
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
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_named_type,
    get_nullable_type,
    visit,
)
from graphql.pyutils import print_path_list
from graphql.utilities import type_from_ast
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from ..limits import JSON_VALUE_BYTES, MB, TEXT_CHARS, text_limit

MAX_LIST_ITEMS = 1000
NULL_CHARACTER = "must not contain the null character (U+0000)"
TOO_MANY = f"must have at most {MAX_LIST_ITEMS} items"
JSON_TOO_LARGE = f"must be at most {JSON_VALUE_BYTES // MB} MB as JSON"
# Below this size (and without a `\\u` escape) a document's literals cannot break any rule: not walked.
LITERALS_WALKED_FROM = min(TEXT_CHARS, 2 * MAX_LIST_ITEMS)
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
        errors = variable_errors(
            schema, built.operation.variable_definitions, raw_variable_values or {}, _bound_arguments(document)
        )
        errors += literal_errors(schema, document)
        return errors or built


def variable_errors(
    schema: GraphQLSchema, definitions: Any, values: dict[str, Any], bound: dict[str, str] | None = None
) -> list[GraphQLError]:
    """`bound`: variable → the argument it is passed as, whose name decides a text variable's limit."""
    errors = []
    for definition in definitions or ():
        name = definition.variable.name.value
        type_ = type_from_ast(schema, definition.type)
        for path, reason in _problems(values.get(name), type_, (), (bound or {}).get(name, name)):
            errors.append(_error(f"Variable '${name}'", name, path, reason, definition))
    return errors


def _bound_arguments(document: DocumentNode) -> dict[str, str]:
    bound: dict[str, str] = {}

    class Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            if isinstance(node.value, VariableNode):
                bound.setdefault(node.value.name.value, node.name.value)

    visit(document, Arguments())
    return bound


def literal_errors(schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
    """Literals walked along their types, like variables. A small document without a `\\u` escape (every
    REST document) cannot hold a literal that breaks a rule, and is not walked."""
    if document.loc is not None:
        body = document.loc.source.body
        if "\\u" not in body and len(body) < LITERALS_WALKED_FROM:
            return []
    errors: list[GraphQLError] = []
    type_info = TypeInfo(schema)

    class Literals(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            argument = type_info.get_argument()
            if argument is not None:
                check(f"Argument '{node.name.value}'", node.name.value, node.value, argument.type)

        def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> None:
            type_ = type_from_ast(schema, node.type)
            if node.default_value is not None and type_ is not None:
                name = node.variable.name.value
                check(f"Variable '${name}' default", name, node.default_value, type_)

    def check(subject: str, name: str, value: ValueNode, type_: Any) -> None:
        for path, node, reason in _literal_problems(value, type_, (), name):
            errors.append(_error(subject, name, path, reason, node))

    visit(document, TypeInfoVisitor(type_info, Literals()))
    return errors


def _error(subject: str, name: str, path: Path, reason: str, node: Any) -> GraphQLError:
    field = print_path_list(path).removeprefix(" at ").lstrip(".") or name
    return GraphQLError(
        f"{subject} has invalid value{print_path_list(path)}: {reason}",
        node,
        extensions={"code": "BAD_USER_INPUT", "field": field},
    )


def _problems(value: Any, type_: GraphQLInputType, path: Path, name: str) -> Iterator[tuple[Path, str]]:
    """Walk a coercible variable value along its type: lists are counted, leaves (JSON too) searched and
    measured; `name` is the field (or argument) the value is for."""
    type_ = get_nullable_type(type_)
    if isinstance(type_, GraphQLList):
        if not isinstance(value, list):  # a single value where a list is declared: coerced into one
            yield from _problems(value, type_.of_type, path, name)
        elif len(value) > MAX_LIST_ITEMS:
            yield path, TOO_MANY
        else:
            for index, item in enumerate(value):
                yield from _problems(item, type_.of_type, (*path, index), name)
    elif isinstance(type_, GraphQLInputObjectType):
        for field_name, field in type_.fields.items():
            if isinstance(value, dict) and field_name in value:
                yield from _problems(value[field_name], field.type, (*path, field_name), field_name)
    else:
        nulls = list(_nulls(value, path))
        yield from ((null_path, NULL_CHARACTER) for null_path in nulls)
        if not nulls and (reason := _oversized(value, type_, name)):
            yield path, reason


def _oversized(value: Any, type_: GraphQLInputType, name: str) -> str | None:
    if get_named_type(type_).name == "JSON":
        try:
            size = len(orjson.dumps(value))
        except (orjson.JSONEncodeError, TypeError):
            return None  # not JSON at all, or nested too deeply: the scalar refuses it
        return JSON_TOO_LARGE if size > JSON_VALUE_BYTES else None
    if isinstance(value, str) and len(value) > (limit := text_limit(name)):
        return f"must be at most {limit:,} characters"
    return None


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


def _literal_problems(
    value: ValueNode, type_: Any, path: Path, name: str
) -> Iterator[tuple[Path, ValueNode, str]]:
    """The literal counterpart of _problems: lists counted, strings searched and measured, a JSON literal
    measured by its extent in the document (variables are not walked here: they are checked as values)."""
    type_ = get_nullable_type(type_)
    if isinstance(type_, GraphQLList):
        if not isinstance(value, ListValueNode):
            yield from _literal_problems(value, type_.of_type, path, name)
        elif len(value.values) > MAX_LIST_ITEMS:
            yield path, value, TOO_MANY
        else:
            for index, item in enumerate(value.values):
                yield from _literal_problems(item, type_.of_type, (*path, index), name)
    elif isinstance(type_, GraphQLInputObjectType):
        if isinstance(value, ObjectValueNode):
            for field in value.fields:
                if field.name.value in type_.fields:
                    yield from _literal_problems(
                        field.value, type_.fields[field.name.value].type, (*path, field.name.value), field.name.value
                    )
    else:
        nulls = list(_literal_nulls(value, path))
        yield from ((null_path, node, NULL_CHARACTER) for null_path, node in nulls)
        if nulls:
            return
        if get_named_type(type_).name == "JSON":
            if value.loc is not None and value.loc.end - value.loc.start > JSON_VALUE_BYTES:
                yield path, value, JSON_TOO_LARGE
        elif isinstance(value, StringValueNode) and len(value.value) > (limit := text_limit(name)):
            yield path, value, f"must be at most {limit:,} characters"


def _literal_nulls(value: ValueNode, path: Path) -> Iterator[tuple[Path, ValueNode]]:
    if isinstance(value, StringValueNode) and "\x00" in value.value:
        yield path, value
    elif isinstance(value, ObjectValueNode):
        for field in value.fields:
            yield from _literal_nulls(field.value, (*path, field.name.value))
    elif isinstance(value, ListValueNode):
        for index, item in enumerate(value.values):
            yield from _literal_nulls(item, (*path, index))
