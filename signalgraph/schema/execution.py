"""The executor both faces run: graphql-core's, with a plan for the plain fields of each selection.

Most fields of a page are plain: a column read from the row and serialised (`id`, `name`, `createdAt`).
graphql-core executes each one like any other field: a resolve info, Strawberry's wrapper around
`getattr`, a path, then completion through the non-null, list and leaf checks, about as much work as the
read itself times twenty (bench/README.md: a page of 100 insights spent a fifth of its time there). For
each selection set (the grouped fields graphql-core already memoises per parent), `PlannedExecution`
works out once which response keys are plain fields (Strawberry's default resolver, no arguments, a
leaf type) and reads those with `getattr` and the type's own `coerce_output_value`; every other field
(resolvers, loaders, permission checks, objects, lists, `__typename`) goes through graphql-core's
`execute_field` exactly as before. A plain value the fast path cannot take as it is (null for a non-null
field, a value the scalar refuses) is handed to graphql-core too, so errors, paths and null propagation
are graphql-core's own. tests/schema/test_execution.py runs queries through both executors and compares.

The REST contract's id lists (`opportunityIds`: no arguments, no permission, `[ID!]`) are planned too: a
page loads them for all its rows first (schema/prefetch.py), so the plan asks the same function the
resolver would (`prefetch.id_list`) and takes a list of strings as it is, which is what completing it
would give; anything else (the loader's future, a value that is not a string) goes to graphql-core.

Relation connections whose page the prefetch loaded, and the lists of objects under them (a connection's
`nodes`), are planned too (schema/planned_relations.py): built as their resolver builds them and completed
through graphql-core's own subfield execution and error handling, without Strawberry's per-parent wrapper.
A selection made only of such fields is completed in one pass (`OnePass`): the whole value at once, without
graphql-core's per-object steps; whatever that pass cannot complete as graphql-core would goes back to
graphql-core whole.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from graphql import (
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    is_leaf_type,
)
from graphql.pyutils import Path, gather_with_cancel
from strawberry.schema.name_converter import NameConverter

from .input_guard import InputGuard
from .planned_relations import FALLBACK, Bail, OnePass, PlannedConnection, PlannedObjects, read_plain
from .prefetch import PREFETCH
from .receipts import Receipt, receipt_fields

# A plain field: (its Python attribute, its leaf type's serialiser, whether it is non-null); an id list:
# the name of its loader; a relation connection or a plain list of objects: how to execute it.
PlainField: TypeAlias = "tuple[str, Any, bool] | str | PlannedConnection | PlannedObjects"


def _plan(executor: PlannedExecution, parent_type: GraphQLObjectType, grouped_field_set: Any) -> dict[str, PlainField]:
    """Response key → how to read it, for the plain fields, id lists, loaded relation connections and
    plain object lists of one selection set."""
    plain: dict[str, PlainField] = {}
    for response_name, field_details_list in grouped_field_set.items():
        node = field_details_list[0].node
        field = parent_type.fields.get(node.name.value)
        definition = field.extensions.get("strawberry-definition") if field is not None else None
        if field is None or definition is None:
            continue
        if (connection := PlannedConnection.of(executor, field, definition, field_details_list)) is not None:
            plain[response_name] = connection
            continue
        if node.arguments:
            continue
        if not getattr(field.resolve, "_is_default", False):
            if (loader := _id_list_loader(field, definition)) is not None:
                plain[response_name] = loader
            continue
        if (objects := PlannedObjects.of(parent_type, field, definition, field_details_list)) is not None:
            plain[response_name] = objects
            continue
        non_null = isinstance(field.type, GraphQLNonNull)
        leaf = field.type.of_type if non_null else field.type
        if is_leaf_type(leaf):
            plain[response_name] = (definition.python_name, leaf.coerce_output_value, non_null)
    return plain


def _id_list_loader(field: GraphQLField, definition: Any) -> str | None:
    """The loader of an id list field (`[ID!]`, resolved by `prefetch.id_list_resolver`, no permission or
    other field extension); None for any other field."""
    resolver = getattr(definition.base_resolver, "wrapped_func", None)
    loader = getattr(resolver, PREFETCH, None)
    kind = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    ids = (
        isinstance(kind, GraphQLList)
        and isinstance(kind.of_type, GraphQLNonNull)
        and kind.of_type.of_type is GraphQLID
    )
    return loader if ids and not definition.extensions else None


class PlannedExecution(InputGuard):
    """graphql-core's `execute_fields`, reading plain fields by plan (see the module's docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plans: dict[tuple[GraphQLObjectType, int], dict[str, PlainField]] = {}
        self._one_passes: dict[tuple[GraphQLObjectType, int], OnePass | None] = {}

    def plan_for(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> dict[str, PlainField]:
        """The plan of a selection set, made once per execution: graphql-core memoises a selection's
        grouped field set for the execution (one object for every item of a list), so its identity is the
        key while it lives. Not across executions: a freed object's id is reused by the next one."""
        key = (parent_type, id(grouped_field_set))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _plan(self, parent_type, grouped_field_set)
        return plan

    def one_pass_for(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> OnePass | None:
        """The one-pass completion of a selection (planned_relations.OnePass), None where it has a field the
        plan does not read; made once per execution and selection, as plans are."""
        key = (parent_type, id(grouped_field_set))
        if key not in self._one_passes:
            self._one_passes[key] = OnePass.of(self, parent_type, grouped_field_set)
        return self._one_passes[key]

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        if type(source_value) is Receipt:  # what a mutation returned: shown as the key may see it
            return receipt_fields(self, parent_type, source_value, path, grouped_field_set, position_context)
        # A resolver middleware (a Strawberry extension with a `resolve` hook) must see every field; Strawberry
        # passes an empty manager when there is none, which changes nothing.
        middleware = self.middleware_manager
        if middleware and middleware.middlewares:
            plan = {}
        else:
            plan = self.plan_for(parent_type, grouped_field_set)
            one_pass = self.one_pass_for(parent_type, grouped_field_set) if position_context is None else None
            if one_pass is not None:
                try:
                    return one_pass.complete(self, source_value)
                except Bail:
                    pass  # graphql-core's completion, field by field, says what went wrong and where
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list in grouped_field_set.items():
                plain = plan.get(response_name)
                if type(plain) is PlannedConnection or type(plain) is PlannedObjects:
                    field_path = Path(path, response_name, parent_type.name)
                    result = plain.execute(self, source_value, field_details_list, field_path, position_context)
                    if result is not FALLBACK:
                        results[response_name] = result
                        if self.is_awaitable(result):
                            awaitable_fields.append(response_name)
                        continue
                    plain = None
                if plain is not None:  # a plain leaf or an id list, read as the one pass reads it
                    try:
                        results[response_name] = read_plain(self, plain, source_value)  # type: ignore[arg-type]
                        continue
                    except Bail:
                        pass  # graphql-core raises or nulls it below, located
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if self.is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[name] for name in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                name = awaitable_fields[0]
                results[name] = await results[name]
            else:
                awaited = await gather_with_cancel(*(results[name] for name in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()


class MemoisedNameConverter(NameConverter):
    """Strawberry's naming, memoised: it converts every argument's name (`first` → `first`) on every call
    of a field that takes arguments, a few percent of a nested query's time."""

    def __init__(self) -> None:
        super().__init__()
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        converted = self._names.get(name)
        if converted is None:
            converted = self._names[name] = super().apply_naming_config(name)
        return converted
