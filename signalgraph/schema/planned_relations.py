"""Relation connections whose page is loaded, and the lists of objects under them, executed by plan.

A nested query (`signals { nodes { insights { nodes { opportunities … } } } }`) completes one relation
connection per parent and level (350 at `signals(first: 50)`), and each went through Strawberry's wrapper
around its resolver: the arguments converted, the scope checked as a field extension, a resolve info
built (in-process py-spy: 14 %, 13 % and more of the query), then graphql-core's completion of the
connection and of every row of its `nodes` (a list item, the non-null and object checks, `is_type_of`).
Once the prefetch (schema/prefetch.py) has loaded a level's pages, `PlannedConnection` builds the
connection the resolver would build and `PlannedObjects` completes its `nodes`, calling graphql-core's own
`collect_and_execute_subfields` and `handle_field_error` at the same paths, so errors and null propagation
are graphql-core's. Whatever the plan does not take answers FALLBACK, and graphql-core's `execute_field`
resolves that parent's field as before. tests/schema/test_execution.py and tests/executors.py compare.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    Undefined,
)
from graphql.execution.executor import collect_iterator_awaitables, to_nodes
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, gather_with_cancel
from strawberry.permission import PermissionExtension

from ..resolvers.loaders import NOT_LOADED, ready
from .pagination import RelationPages
from .permissions import HasScope
from .prefetch import PAGE, id_list, node_type, row_columns

if TYPE_CHECKING:
    from .execution import PlannedExecution

FALLBACK: Any = object()  # what a plan answers when graphql-core must execute the field


class Bail(Exception):
    """The one-pass completion met something graphql-core must handle (an error, a value a leaf refuses, a
    page not loaded, a refused scope): graphql-core completes that value instead, from the start."""


def complete_object(
    executor: PlannedExecution, return_type: GraphQLOutputType, object_type: GraphQLObjectType, field_details_list: Any, path: Path,
    value: Any, position_context: Any,
) -> Any:
    """What `execute_field` does with a resolved object of a type without `is_type_of`: its subfields,
    an error nulling the field (or raised on, when it is non-null) at its path."""
    try:
        completed = executor.collect_and_execute_subfields(object_type, field_details_list, path, value, position_context)
    except Exception as raw_error:  # noqa: BLE001 -- handled as graphql-core handles a field's error
        executor.handle_field_error(raw_error, return_type, field_details_list, path)
        return None
    if executor.is_awaitable(completed):
        return settled(executor, completed, return_type, field_details_list, path)
    return completed


async def settled(executor: PlannedExecution, completed: Awaitable[Any], return_type: GraphQLOutputType, field_details_list: Any, path: Path) -> Any:
    """An awaited completion, its error handled as graphql-core handles a field's or a list item's."""
    try:
        return await completed
    except Exception as raw_error:  # noqa: BLE001 -- handled as graphql-core handles a field's error
        executor.handle_field_error(raw_error, return_type, field_details_list, path)
        return None


def complete_items(
    executor: PlannedExecution, objects: PlannedObjects, items: list[Any], field_details_list: Any, path: Path, position_context: Any
) -> Any:
    """`complete_iterable_value` over a list of objects: an item of the type (by its `is_type_of`)
    executes its subfields directly; anything else (null, awaitable, another type) is completed by
    graphql-core's own `complete_list_item_value`, with the field's resolve info."""
    item_type, object_type = objects.item_type, objects.object_type
    is_type_of = object_type.is_type_of
    is_awaitable = executor.is_awaitable
    info = executor.build_resolve_info(objects.field, to_nodes(field_details_list), objects.parent_type, path)
    completed: list[Any] = []
    awaitable_indices: list[int] = []
    iterator = iter(items)
    try:
        for index, item in enumerate(iterator):
            item_path = path.add_key(index, None)
            if item is None or isinstance(item, Exception) or is_awaitable(item) or not _is_type(is_type_of, item, info):
                if is_awaitable(item):
                    completed.append(
                        executor.complete_awaitable_list_item_value(item, item_type, field_details_list, info, item_path, position_context)
                    )
                    awaitable_indices.append(index)
                elif executor.complete_list_item_value(
                    item, completed, item_type, field_details_list, info, item_path, position_context
                ):
                    awaitable_indices.append(index)
                continue
            try:
                value = executor.collect_and_execute_subfields(object_type, field_details_list, item_path, item, position_context)
                if is_awaitable(value):
                    completed.append(settled(executor, value, item_type, field_details_list, item_path))
                    awaitable_indices.append(index)
                else:
                    completed.append(value)
            except Exception as raw_error:  # noqa: BLE001 -- handled as graphql-core handles a field's error
                executor.handle_field_error(raw_error, item_type, field_details_list, item_path)
                completed.append(None)
    except Exception:  # as graphql-core: what is still pending (completions, awaitable items left) settles in the background
        pending = [completed[index] for index in awaitable_indices]
        pending.extend(collect_iterator_awaitables(iterator, is_awaitable))
        if pending:
            executor.settle_in_background(pending)
        raise
    if not awaitable_indices:
        return completed

    async def get_completed() -> list[Any]:
        awaited = await gather_with_cancel(*(completed[index] for index in awaitable_indices))
        for index, value in zip(awaitable_indices, awaited, strict=True):
            completed[index] = value
        return completed

    return get_completed()


def _is_type(is_type_of: Any, item: Any, info: Any) -> bool:
    """Whether `is_type_of` says plainly yes (a bool True); an error or an awaitable is graphql-core's."""
    if is_type_of is None:
        return True
    try:
        answer = is_type_of(item, info)
    except Exception:  # noqa: BLE001 -- graphql-core calls it again and locates the error
        return False
    if inspect.iscoroutine(answer):
        answer.close()  # graphql-core calls it again and awaits it
    return answer is True


class PlannedConnection:
    """A relation connection (schema/resources.py `connection`) whose page is loaded: the plan builds the
    connection its resolver would build and completes it, without Strawberry's wrapper around the
    resolver (arguments converted, scope extension, resolve info) once per parent.

    Equivalence, checked when the plan is made: the field's only extension is the scope check of its
    relation (`HasScope(scope)`, which calls `context.require(scope)` and nothing else) or it has none;
    its arguments are `first`/`after`, taken once per field node with graphql-core's own
    `get_argument_values` (the variables of an operation do not change while it runs) and given to the
    resolver as they are (Strawberry's conversion of an Int or a String is the value itself); the
    connection type has no `is_type_of`. Per parent, the scope is checked by the same call the permission
    makes (the context is mutable, so once per parent is the form that is exactly the same; it is one
    call, and its cost was the wrapper's, not its own). Anything else falls back to graphql-core's
    `execute_field` for that parent: a refused scope (the resolver's permission raises the same error at
    the same path), a page not loaded (the resolver's loader then loads it), a bad `first` or cursor."""

    __slots__ = ("arguments", "columns", "connection_type", "pages", "return_type", "window")

    def __init__(self, pages: RelationPages, return_type: GraphQLOutputType, connection_type: GraphQLObjectType, arguments: dict[str, Any]):
        self.pages, self.return_type, self.connection_type, self.arguments = pages, return_type, connection_type, arguments
        self.window: tuple[Any, int] | None = None
        self.columns: frozenset[str] | None = None  # what its rows must hold (prefetch.row_columns)

    @classmethod
    def of(
        cls, executor: PlannedExecution, field: GraphQLField, definition: Any, field_details_list: Any
    ) -> PlannedConnection | None:
        pages = getattr(getattr(definition.base_resolver, "wrapped_func", None), PAGE, None)
        if not isinstance(pages, RelationPages) or not _only_scope_check(definition.extensions, pages):
            return None
        connection_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if not isinstance(connection_type, GraphQLObjectType) or connection_type.is_type_of is not None:
            return None
        details = field_details_list[0]
        if getattr(details, "fragment_variable_values", None) is not None:
            return None
        try:
            arguments = get_argument_values(
                field, details.node, executor.variable_values, None, executor.hide_suggestions
            )
        except Exception:  # noqa: BLE001 -- graphql-core raises it again, at each parent's path
            return None
        if set(arguments) - {"first", "after"}:
            return None
        first, after = arguments.get("first"), arguments.get("after")
        if not (first is None or type(first) is int) or not (after is None or type(after) is str):
            return None
        node = node_type(connection_type)
        if node is None:
            return None
        planned = cls(pages, field.type, connection_type, {"first": first, "after": after})
        planned.columns = row_columns(executor.schema, executor.operation, executor.fragment_definitions, node)
        return planned

    def found(self, executor: PlannedExecution, source: Any) -> tuple[str, list[Any], int]:
        """The parent's id, what its page loader found and the page's size, with the scope checked for this
        parent; Bail where the resolver must answer (a refused scope, a bad argument, a page not loaded)."""
        context = executor.context_value
        try:
            if self.pages.scope is not None:
                context.require(self.pages.scope)
            parent_id = source.id
            if self.window is None:
                self.window = self.pages.window(context.loaders, self.arguments["first"], self.arguments["after"], self.columns)
        except Exception:  # noqa: BLE001 -- the resolver raises it again, at this parent's path
            raise Bail from None
        loader, limit = self.window
        found = ready(loader, parent_id)
        if found is NOT_LOADED:
            raise Bail
        return parent_id, found, limit

    def execute(self, executor: PlannedExecution, source: Any, field_details_list: Any, path: Path, position_context: Any) -> Any:
        """The completed connection, or FALLBACK when graphql-core must resolve this parent's field."""
        try:
            parent_id, found, limit = self.found(executor, source)
        except Bail:
            return FALLBACK
        connection = self.pages.connection(executor.context_value.loaders, parent_id, found, limit, self.arguments["after"])
        return complete_object(
            executor, self.return_type, self.connection_type, field_details_list, path, connection, position_context
        )


def _only_scope_check(extensions: list[Any], pages: RelationPages) -> bool:
    """Whether a relation's field extensions are exactly its scope's permission (or none without a scope)."""
    if pages.scope is None:
        return not extensions
    if len(extensions) != 1 or type(extensions[0]) is not PermissionExtension:
        return False
    extension = extensions[0]
    return (
        not extension.fail_silently
        and len(extension.permissions) == 1
        and type(extension.permissions[0]) is HasScope(pages.scope)
    )


class PlannedObjects:
    """A plain field (Strawberry's default resolver, no arguments) holding a list of objects of one type,
    a connection's `nodes`: each item executes its subfields as graphql-core's list completion would, without
    its per-item completion steps (see `complete_items`)."""

    __slots__ = ("attribute", "field", "item_type", "object_type", "parent_type", "return_type")

    def __init__(self, attribute: str, field: GraphQLField, parent_type: GraphQLObjectType, item_type: Any, object_type: GraphQLObjectType):
        self.attribute, self.field, self.parent_type = attribute, field, parent_type
        self.return_type, self.item_type, self.object_type = field.type, item_type, object_type

    @classmethod
    def of(
        cls, parent_type: GraphQLObjectType, field: GraphQLField, definition: Any, field_details_list: Any
    ) -> PlannedObjects | None:
        kind = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        if not isinstance(kind, GraphQLList) or definition.extensions:
            return None
        item_type = kind.of_type
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(object_type, GraphQLObjectType):
            return None
        if any(d.name.value == "stream" for details in field_details_list for d in details.node.directives or ()):
            return None  # graphql-core streams it
        return cls(definition.python_name, field, parent_type, item_type, object_type)

    def execute(self, executor: PlannedExecution, source: Any, field_details_list: Any, path: Path, position_context: Any) -> Any:
        """The completed list, or FALLBACK when it is no list (graphql-core completes whatever it is)."""
        items = getattr(source, self.attribute, FALLBACK)
        if type(items) is not list:
            return FALLBACK
        try:
            completed = complete_items(executor, self, items, field_details_list, path, position_context)
        except Exception as raw_error:  # noqa: BLE001 -- handled as graphql-core handles a field's error
            executor.handle_field_error(raw_error, self.return_type, field_details_list, path)
            return None
        if executor.is_awaitable(completed):
            return settled(executor, completed, self.return_type, field_details_list, path)
        return completed


class OnePass:
    """A selection whose every field the plan reads — plain leaves, loaded id lists, relation connections
    asking only for `nodes`, and lists of objects whose selections are such too — completed in one pass, without
    graphql-core's per-object steps (a path, the subfields collected, a dict of awaitables, an `is_type_of`
    with a resolve info) or the `Connection` objects: for the nested query, 1,100 objects a request whose
    completion was most of its CPU (bench/README.md, "One pass"). Only values it completes exactly as
    graphql-core would are taken: anything else raises `Bail`, and the caller lets graphql-core complete
    the whole value, so errors, their paths and null propagation stay graphql-core's. The pass reads only
    what the prefetch has loaded and calls nothing that writes, so starting over is harmless."""

    __slots__ = ("steps",)

    def __init__(self, steps: list[tuple[str, Any, Any]]):
        self.steps = steps  # (response key, how: a leaf's plan, a PlannedConnection, a PlannedObjects, what)

    @classmethod
    def of(cls, executor: PlannedExecution, parent_type: GraphQLObjectType, grouped_field_set: Any) -> OnePass | None:
        plan = executor.plan_for(parent_type, grouped_field_set)
        steps: list[tuple[str, Any, Any]] = []
        for response_name, field_details_list in grouped_field_set.items():
            planned = plan.get(response_name)
            if type(planned) is tuple or type(planned) is str:
                steps.append((response_name, planned, None))
            elif type(planned) is PlannedObjects:
                items = _items_pass(executor, planned.object_type, field_details_list)
                if items is None:
                    return None
                steps.append((response_name, planned, items))
            elif type(planned) is PlannedConnection:
                nodes = _nodes_pass(executor, planned, field_details_list)
                if nodes is None:
                    return None
                steps.append((response_name, planned, nodes))
            else:
                return None
        return cls(steps)

    def complete(self, executor: PlannedExecution, source: Any) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for response_name, how, what in self.steps:
            kind = type(how)
            if kind is tuple or kind is str:
                result[response_name] = read_plain(executor, how, source)
            elif kind is PlannedObjects:
                items = getattr(source, how.attribute, None)
                if type(items) is not list:
                    raise Bail
                result[response_name] = _objects(executor, what, items)
            else:
                _, found, limit = how.found(executor, source)
                rows = [row for _, row in found[:limit]]
                result[response_name] = {key: _objects(executor, objects, rows) for key, objects in what}
        return result


def read_plain(executor: PlannedExecution, plan: tuple[str, Any, bool] | str, source: Any) -> Any:
    """A plain leaf (its attribute, serialiser, non-null) or an id list (its loader's name) as the plan
    reads it: a leaf's value serialised, null where the field may be null; an id list when its loader has
    it, all strings. Bail wherever graphql-core must complete it (and raise or null it, located)."""
    if isinstance(plan, str):
        try:
            ids = id_list(executor.context_value, plan, source)
        except Exception:  # noqa: BLE001 -- graphql-core raises it again, located
            raise Bail from None
        if type(ids) is not list or not all(type(i) is str for i in ids):
            raise Bail
        return list(ids)
    attribute, coerce, non_null = plan
    value = getattr(source, attribute, FALLBACK)
    if value is None and not non_null:
        return None
    if value is None or value is FALLBACK:
        raise Bail
    try:
        coerced = coerce(value)
    except Exception:  # noqa: BLE001 -- graphql-core raises it again, located
        raise Bail from None
    if coerced is None or coerced is Undefined:
        raise Bail
    return coerced


def _items_pass(executor: PlannedExecution, object_type: GraphQLObjectType, field_details_list: Any) -> tuple[Any, OnePass] | None:
    """The items' `is_type_of` and one pass for their selection (no deferred fragment), or None."""
    grouped, deferred, _ = executor.collect_subfields(object_type, field_details_list)
    if deferred:
        return None
    items = executor.one_pass_for(object_type, grouped)
    return None if items is None else (object_type.is_type_of, items)


def _nodes_pass(executor: PlannedExecution, connection: PlannedConnection, field_details_list: Any) -> list[tuple[str, Any]] | None:
    """For a relation connection asking only for `nodes` (under any aliases): each key with its items' pass."""
    grouped, deferred, _ = executor.collect_subfields(connection.connection_type, field_details_list)
    plan = executor.plan_for(connection.connection_type, grouped)
    if deferred or not grouped:
        return None
    keys = []
    for response_name, details in grouped.items():
        objects = plan.get(response_name)
        if type(objects) is not PlannedObjects or objects.attribute != "nodes":
            return None
        items = _items_pass(executor, objects.object_type, details)
        if items is None:
            return None
        keys.append((response_name, items))
    return keys


def _objects(executor: PlannedExecution, items_pass: tuple[Any, OnePass], items: list[Any]) -> list[dict[str, Any]]:
    is_type_of, one_pass = items_pass
    completed = []
    for item in items:
        if item is None or (is_type_of is not None and not _is_type(is_type_of, item, None)):
            raise Bail
        completed.append(one_pass.complete(executor, item))
    return completed
