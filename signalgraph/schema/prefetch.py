"""Id lists loaded for a whole page before its rows are completed.

graphql-core completes a list of objects row by row; a field whose resolver returns an awaitable (a
loader's future) turns the row into a gather of asyncio tasks. On REST's insights list that was 300 tasks a
page, for `opportunityIds`, `ideaIds` and `tagIds` (bench/README.md, "CPU"). So an id list's resolver is
synchronous: it answers from its loader's cache when the loader has the value, else it returns the loader's
future, which graphql-core awaits as before. And a page's resolver calls `prefetch_ids` before returning
the page: for every id list the query selects on the page's `nodes` (or `edges { node }`), one `load_many`
over all the rows, which sends the statement the loader would have sent anyway.

Only id lists are fetched ahead: they carry no permission of their own (the page's does), so loading
them early reveals nothing a field's check would refuse.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from strawberry.types import Info

from ..resolvers.loaders import loaded

PREFETCH = "signalgraph_prefetch"  # set on an id list's resolver: the name of the loader it reads
DEFINITION = "strawberry-definition"  # where Strawberry keeps its field on graphql-core's


def id_list_resolver(loader: str) -> Any:
    """The resolver of an id list read with the loader `loader` (keyed by the row's id)."""

    def resolve(root: Any, info: Info) -> Any:
        return loaded(getattr(info.context.loaders, loader), root.id)

    setattr(resolve, PREFETCH, loader)
    return resolve


async def prefetch_ids(info: Info, rows: Sequence[Any]) -> None:
    """Load the id lists the query selects on this page's nodes, for all its `rows` at once."""
    if not rows:
        return
    loaders = info.context.loaders
    for name in selected_id_lists(info._raw_info):
        await getattr(loaders, name).load_many([row.id for row in rows])


def selected_id_lists(raw: GraphQLResolveInfo) -> list[str]:
    """The loaders of the id lists selected on the nodes of the connection `raw` resolves."""
    connection = get_named_type(raw.return_type)
    if not isinstance(connection, GraphQLObjectType) or "nodes" not in connection.fields:
        return []
    node = get_named_type(connection.fields["nodes"].type)
    if not isinstance(node, GraphQLObjectType):
        return []
    names = dict.fromkeys(name for field in raw.field_nodes for name in _node_fields(raw, field.selection_set))
    loaders = []
    for name in names:
        field = node.fields.get(name)
        resolver = getattr(field.extensions.get(DEFINITION), "base_resolver", None) if field else None
        loader = getattr(getattr(resolver, "wrapped_func", None), PREFETCH, None)
        if loader is not None:
            loaders.append(loader)
    return loaders


def _node_fields(raw: GraphQLResolveInfo, selection_set: SelectionSetNode | None) -> Iterator[str]:
    """The names of the fields selected on `nodes { … }` and `edges { node { … } }`."""
    for field in _fields(raw, selection_set):
        if field.name.value == "nodes":
            yield from (f.name.value for f in _fields(raw, field.selection_set))
        elif field.name.value == "edges":
            for edge_field in _fields(raw, field.selection_set):
                if edge_field.name.value == "node":
                    yield from (f.name.value for f in _fields(raw, edge_field.selection_set))


def _fields(raw: GraphQLResolveInfo, selection_set: SelectionSetNode | None) -> Iterator[FieldNode]:
    """The fields of a selection set that will run, through its fragments (@skip and @include honoured)."""
    for selection in selection_set.selections if selection_set is not None else ():
        if not _included(raw, selection):
            continue
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(raw, selection.selection_set)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = raw.fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(raw, fragment.selection_set)


def _included(raw: GraphQLResolveInfo, node: Any) -> bool:
    return _condition(raw, node, "skip") is not True and _condition(raw, node, "include") is not False


def _condition(raw: GraphQLResolveInfo, node: Any, directive: str) -> bool | None:
    """The `if` of the node's @skip or @include (a literal, or a variable's coerced value); None without one."""
    for used in node.directives or ():
        if used.name.value != directive:
            continue
        for argument in used.arguments:
            if argument.name.value == "if":
                value = argument.value
                if isinstance(value, VariableNode):
                    variables = getattr(raw.variable_values, "coerced", raw.variable_values) or {}
                    return bool(variables.get(value.name.value))
                return isinstance(value, BooleanValueNode) and value.value
    return None
