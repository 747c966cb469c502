"""The REST layer's GraphQL documents: `operations/<domain>.graphql`, parsed and validated once per process.

Each named operation becomes an `OperationDocument`: a small document (the operation plus the fragments
it uses) ready for execution, and what the REST layer needs to know about it: its variables and their
types, its single root field, and where the body sits. A mutation returns a payload
(`createInsight(input: $input) { insight { ...Insight } }`); when the document selects one object of it,
that object is the body, so the REST answer is the object itself, as the reference documents it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInputType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    parse,
    validate,
)
from graphql.utilities import type_from_ast

from ..schema import schema

OPERATIONS_DIR = Path(__file__).parent / "operations"


class DocumentError(RuntimeError):
    """A REST document that does not match the schema: a bug, reported when the app starts."""


@dataclass(frozen=True)
class OperationDocument:
    name: str
    document: DocumentNode
    operation: OperationDefinitionNode
    variables: dict[str, GraphQLInputType]
    root: FieldNode
    root_field: GraphQLField
    is_mutation: bool
    unwrap: FieldNode | None  # the payload's one selected object field, or None: the root's value is the body

    @property
    def result_type(self) -> GraphQLOutputType:
        """The GraphQL type of the body's value (before shaping)."""
        if self.unwrap is None:
            return self.root_field.type
        payload = get_named_type(self.root_field.type)
        assert isinstance(payload, GraphQLObjectType)
        return payload.fields[self.unwrap.name.value].type

    @property
    def result_selection(self) -> SelectionSetNode | None:
        return (self.unwrap or self.root).selection_set

    def result(self, data: dict[str, Any]) -> Any:
        """The body's value in the operation's `data`: the root field's value, or its payload's object."""
        value = data[self.root_key]
        if self.unwrap is None or value is None:
            return value
        return value[(self.unwrap.alias or self.unwrap.name).value]

    @property
    def root_key(self) -> str:
        """Where the root field's value sits in `data`."""
        return (self.root.alias or self.root.name).value

    @property
    def argument_variables(self) -> dict[str, str]:
        """Root-field argument, or field of an object literal in one, → the variable bound to it, e.g.
        `first` → `limit`, and `search` → `q` in `accounts(filter: {search: $q})`."""
        bound: dict[str, str] = {}
        pending = [(arg.name.value, arg.value) for arg in self.root.arguments or ()]
        while pending:
            name, value = pending.pop()
            if isinstance(value, VariableNode):
                bound[name] = value.name.value
            elif isinstance(value, ObjectValueNode):
                pending.extend((field.name.value, field.value) for field in value.fields)
        return bound


def graphql_schema() -> GraphQLSchema:
    return schema._schema


@cache
def operations() -> dict[str, OperationDocument]:
    """Every operation of every document, keyed `<domain>.<OperationName>`; raises DocumentError if one is invalid."""
    found: dict[str, OperationDocument] = {}
    for path in sorted(OPERATIONS_DIR.glob("*.graphql")):
        for op in _load(path):
            found[f"{path.stem}.{op.name}"] = op
    return found


def operation(ref: str) -> OperationDocument:
    try:
        return operations()[ref]
    except KeyError:
        raise DocumentError(f"no GraphQL operation {ref!r} in {OPERATIONS_DIR}") from None


def _load(path: Path) -> list[OperationDocument]:
    gql_schema = graphql_schema()
    document = parse(path.read_text(), no_location=False)
    errors = validate(gql_schema, document)
    if errors:
        raise DocumentError(f"{path.name}: " + "; ".join(e.message for e in errors))
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    loaded = []
    for op in document.definitions:
        if not isinstance(op, OperationDefinitionNode):
            continue
        if op.name is None or len(op.selection_set.selections) != 1:
            raise DocumentError(f"{path.name}: every operation is named and has exactly one root field")
        root = op.selection_set.selections[0]
        assert isinstance(root, FieldNode)
        root_type = (
            gql_schema.mutation_type if op.operation == OperationType.MUTATION else gql_schema.query_type
        )
        root_field = root_type.fields[root.name.value]
        used = [fragments[name] for name in sorted(_fragments_used(op.selection_set, fragments))]
        loaded.append(
            OperationDocument(
                name=op.name.value,
                document=DocumentNode(definitions=(op, *used), loc=document.loc),
                operation=op,
                variables={
                    v.variable.name.value: type_from_ast(gql_schema, v.type)
                    for v in op.variable_definitions or ()
                },
                root=root,
                root_field=root_field,
                is_mutation=op.operation == OperationType.MUTATION,
                unwrap=_payload_object(root, root_field),
            )
        )
    return loaded


def _payload_object(root: FieldNode, field: GraphQLField) -> FieldNode | None:
    """In `createX { x { ... } }` on a `…Payload` type: the `x` whose value is the REST body."""
    selections = root.selection_set.selections if root.selection_set else ()
    if not get_named_type(field.type).name.endswith("Payload") or len(selections) != 1:
        return None
    only = selections[0]
    return only if isinstance(only, FieldNode) and only.selection_set is not None else None


def _fragments_used(
    selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> set[str]:
    used: set[str] = set()
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            used |= {name} | _fragments_used(fragments[name].selection_set, fragments)
        elif isinstance(selection, (FieldNode, InlineFragmentNode)):
            used |= _fragments_used(selection.selection_set, fragments)
    return used
