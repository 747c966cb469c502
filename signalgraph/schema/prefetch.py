"""What a page's rows select, loaded for all of them before they are completed.

graphql-core completes a list of objects row by row; a field whose resolver returns an awaitable (a
loader's future) turns the row into a gather of asyncio tasks. On REST's insights list that was 300 tasks a
page (`opportunityIds`, `ideaIds`, `tagIds`), on the nested signals → insights → opportunities → ideas
query one per parent and level (bench/README.md, "CPU"). So id lists and relation connections resolve
synchronously when their loader already has the value (else they return the loader's future, as before),
and a page's resolver calls `prefetch` first: for every id list and relation the query selects on the
page's `nodes` (or `edges { node }`), one batch over all the rows, level by level down the
selection, which sends the statements the loaders would have sent anyway (one per list and level).

Nothing is read ahead that the field's own check would refuse: a relation guarded by a scope the caller
lacks, or with arguments other than plain `first`/`after`, is left to its resolver; id lists carry no
permission of their own (the page's does).

A relation page selects only the columns its rows are asked for where every field selected on its type is
a plain column or reads only the row's id (`row_columns`): a nested query asking for `id name` read every
column of every level, and converted its datetimes (bench/README.md).
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import Any

from graphql import (
    BooleanValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    get_named_type,
)
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from ..resolvers.loaders import load_ahead, loaded
from .pagination import RelationPages

PREFETCH = "signalgraph_prefetch"  # set on an id list's resolver: the name of the loader it reads
PAGE = "signalgraph_page"  # set on a relation connection's resolver: its RelationPages
DEFINITION = "strawberry-definition"  # where Strawberry keeps its field on graphql-core's


def id_list_resolver(loader: str) -> Any:
    """The resolver of an id list read with the loader `loader` (keyed by the row's id)."""

    def resolve(root: Any, info: Info) -> Any:
        return id_list(info.context, loader, root)

    setattr(resolve, PREFETCH, loader)
    return resolve


def id_list(context: Any, loader: str, root: Any) -> Any:
    """An id list's answer: the list when its loader has it, else the loader's future. The planned
    executor calls it without a resolve info (schema/execution.py)."""
    return loaded(getattr(context.loaders, loader), root.id)


async def prefetch(info: Info, rows: Sequence[Any], *, shared: bool = False) -> None:
    """Load what the query selects on this page's nodes for all its `rows` at once: its id lists, and its
    relation pages level by level (each level one statement for all the parents, as the loaders send).

    `shared`: pages of many parents are completing at once (a connection under a plain list, each
    loading its own page); their loads then go through the loaders' batches, which join them into one
    statement. A page alone (a root list, or the levels below it) calls the batch function directly."""
    raw = info._raw_info
    fields = [f for node in raw.field_nodes for f in _node_selection(raw, node.selection_set)]
    load = _batched if shared else load_ahead
    await _prefetch(raw, info.context, load, node_type(raw.return_type), fields, rows)


def _batched(loader: DataLoader[str, Any], keys: list[str]) -> Awaitable[list[Any]]:
    return loader.load_many(keys)


Load = Callable[[DataLoader[str, Any], list[str]], Awaitable[list[Any]]]


async def _prefetch(
    raw: GraphQLResolveInfo, context: Any, load: Load, node: GraphQLObjectType | None, fields: list[FieldNode], rows: Sequence[Any]
) -> None:
    if node is None or not rows:
        return
    ids = [row.id for row in rows]
    for field_node in fields:
        field = node.fields.get(field_node.name.value)
        resolver = getattr(getattr(field.extensions.get(DEFINITION), "base_resolver", None), "wrapped_func", None) if field else None
        if (loader := getattr(resolver, PREFETCH, None)) is not None:
            await _quietly(load(getattr(context.loaders, loader), ids))
        elif (page := getattr(resolver, PAGE, None)) is not None and field is not None:
            await _prefetch_pages(raw, context, load, field, field_node, page, ids)


async def _prefetch_pages(
    raw: GraphQLResolveInfo,
    context: Any,
    load: Load,
    field: GraphQLField,
    field_node: FieldNode,
    page: RelationPages,
    ids: list[str],
) -> None:
    """One relation's pages for every parent, then what its own nodes select. A field the caller may not
    read, or whose arguments are not plain `first`/`after`, is left to its resolver (which refuses or
    loads it as before): nothing is read ahead that the field's own checks would not allow."""
    scope = page.scope
    if scope is not None and (context.principal is None or not context.principal.has(scope)):
        return
    arguments = {a.name.value: _value(raw, a.value) for a in field_node.arguments or ()}
    if set(arguments) - {"first", "after"} or any(v is _UNKNOWN for v in arguments.values()):
        return
    node = node_type(field.type)
    columns = row_columns(raw.schema, raw.operation, raw.fragments, node)
    try:
        loader, limit = page.window(context.loaders, arguments.get("first"), arguments.get("after"), columns)
    except Exception:  # noqa: BLE001 - a bad argument is the resolver's to refuse, with its message
        return
    found = await _quietly(load(loader, ids))
    if found is None:
        return
    children = [row for pairs in found for _, row in pairs[:limit]]
    await _prefetch(raw, context, load, node, _node_selection(raw, field_node.selection_set), children)


async def _quietly(loading: Awaitable[Any]) -> Any:
    """A load ahead that failed is not this page's failure: the loader keeps the failed future, so each
    field that reads it raises at its own path, as without the prefetch (partial results). None then."""
    try:
        return await loading
    except Exception:  # noqa: BLE001 - raised again by every field that asks for it
        return None


_UNKNOWN = object()


def _value(raw: GraphQLResolveInfo, value: Any) -> Any:
    """A literal or variable `first`/`after`; _UNKNOWN for anything else."""
    if isinstance(value, VariableNode):
        variables = getattr(raw.variable_values, "coerced", raw.variable_values) or {}
        return variables.get(value.name.value)
    if isinstance(value, IntValueNode):
        return int(value.value)
    if isinstance(value, StringValueNode):
        return value.value
    if isinstance(value, NullValueNode):
        return None
    return _UNKNOWN


def node_type(connection_type: Any) -> GraphQLObjectType | None:
    """The type of a connection's nodes; None if `connection_type` is no connection."""
    connection = get_named_type(connection_type)
    if not isinstance(connection, GraphQLObjectType) or "nodes" not in connection.fields:
        return None
    node = get_named_type(connection.fields["nodes"].type)
    return node if isinstance(node, GraphQLObjectType) else None


def _node_selection(raw: GraphQLResolveInfo, selection_set: SelectionSetNode | None) -> list[FieldNode]:
    """The fields selected on `nodes { … }` and `edges { node { … } }`."""
    selected = []
    for field in _fields(raw, selection_set):
        if field.name.value == "nodes":
            selected += _fields(raw, field.selection_set)
        elif field.name.value == "edges":
            for edge_field in _fields(raw, field.selection_set):
                if edge_field.name.value == "node":
                    selected += _fields(raw, edge_field.selection_set)
    return selected


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


# Per operation (by identity, while it lives: the parse cache keeps a repeated document's), per row type.
_COLUMNS: dict[int, tuple[weakref.ref[OperationDefinitionNode], dict[str, frozenset[str] | None]]] = {}


def row_columns(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    node: GraphQLObjectType | None,
) -> frozenset[str] | None:
    """The columns a relation page of `node` rows must hold for this operation: the attributes of every plain
    field selected on the type (or an interface of it) anywhere in the document, through fragments and
    whether or not @skip/@include runs it (the page's `id` and `created_at` are always read); None, every
    column, as soon as a field there reads anything else (a resolver of its own). One answer per operation
    and type, so the prefetch, the plan and the connection's resolver, which see a field's nodes one by one
    or merged, ask the same page loader. No node type (not a connection): None."""
    if node is None:
        return None
    key = id(operation)
    entry = _COLUMNS.get(key)
    if entry is None or entry[0]() is not operation:

        def forget(_: object) -> None:
            _COLUMNS.pop(key, None)

        entry = _COLUMNS[key] = (weakref.ref(operation, forget), {})
    by_type = entry[1]
    if node.name not in by_type:
        selected: set[str] = set()
        names = {node.name, *(interface.name for interface in node.interfaces)}
        root = schema.get_root_type(operation.operation)
        _selected_on(schema, fragments, operation.selection_set, root, names, selected, set())
        by_type[node.name] = _attributes(node, selected)
    return by_type[node.name]


def _selected_on(
    schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode], selection_set: SelectionSetNode | None, parent: Any,
    names: set[str], selected: set[str], spread: set[str],
) -> None:
    """Adds to `selected` the fields selected on a type named in `names`, in `selection_set` (whose type is
    `parent`) and below."""
    for selection in selection_set.selections if selection_set is not None else ():
        if isinstance(selection, FieldNode):
            if parent is not None and parent.name in names:
                selected.add(selection.name.value)
            field = getattr(parent, "fields", {}).get(selection.name.value)
            if field is not None and selection.selection_set is not None:
                _selected_on(schema, fragments, selection.selection_set, get_named_type(field.type), names, selected, spread)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            kind = schema.get_type(condition.name.value) if condition is not None else parent
            _selected_on(schema, fragments, selection.selection_set, kind, names, selected, spread)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in spread:
            spread.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                kind = schema.get_type(fragment.type_condition.name.value)
                _selected_on(schema, fragments, fragment.selection_set, kind, names, selected, spread)


def _attributes(node: GraphQLObjectType, selected: set[str]) -> frozenset[str] | None:
    """The row attributes the fields `selected` on `node` read: a plain field its own; an id list or a
    relation connection the row's id; None when any other field is selected (it may read anything)."""
    attributes = {"id"}
    for name in selected - {"__typename"}:
        field = node.fields.get(name)
        definition = field.extensions.get(DEFINITION) if field is not None else None
        if definition is None:
            return None
        resolver = getattr(definition.base_resolver, "wrapped_func", None)
        if getattr(field.resolve, "_is_default", False) and definition.base_resolver is None:
            attributes.add(definition.python_name)
        elif getattr(resolver, PREFETCH, None) is None and not isinstance(getattr(resolver, PAGE, None), RelationPages):
            return None
    return frozenset(attributes)
