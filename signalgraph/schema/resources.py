"""Each resource's GraphQL face, built from its declaration (`resolvers/resources.py`).

`build(resource, module)` makes the object type (stored fields, the ids of `Ref`s and `Links`, the
timestamps, then the id lists and the relations, each relation guarded by the scope that reads its
target), the enums of its value sets, `Create…Input` and `Update…Input` (one source per field: required
fields are non-null on create, every field optional on update), the list filter, and the root fields
`<thing>`, `<things>`, `create<Thing>`, `update<Thing>`, `delete<Thing>` as Query and Mutation fragments
for `strawberry.tools.merge_types`. Hand-written fields join the type through `extra` (a plain class of
`strawberry.field`s and annotations), placed after the timestamps.

The module `module` must bind the object type under its name (relations find their targets lazily:
`Idea` in `signalgraph.schema.ideas`).
"""

import inspect
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType

from ..resolvers.children import Child
from ..resolvers.common import camel
from ..resolvers.loaders import loaded
from ..resolvers.request_context import Context
from ..resolvers.resources import Field, Json, Links, Ref, Resource
from ..scopes import Scope
from ..storage.repositories.base import Page
from ..vocabulary import MEANINGS
from . import input_rules
from .common import DeleteResult, Node
from .inputs import provided
from .pagination import (
    AFTER,
    BEFORE,
    FIRST,
    LAST,
    OFFSET,
    ORDER_BY,
    Connection,
    RelationPages,
    order_input,
    window,
)
from .permissions import HasScope
from .prefetch import PAGE, id_list_resolver, node_type, prefetch, row_columns

Info = strawberry.Info[Context, None]
UNSET: Any = strawberry.UNSET
LIST: Any = list  # list[...] of types made at run time
SCALARS: dict[Any, Any] = {str: str, int: int, float: float, bool: bool, Json: JSON}


@dataclass(frozen=True)
class ResourceSchema:
    object_type: type
    enums: dict[str, type[Enum]]
    create_input: type
    update_input: type
    filter: type | None
    query: type
    mutation: type

    def __iter__(self) -> Iterator[type]:
        """`Idea, IdeaQuery, IdeaMutation = build(IDEA, __name__)`."""
        return iter((self.object_type, self.query, self.mutation))


def build(
    resource: Resource[Any],
    module: str,
    *,
    extra: type | None = None,
    inputs: dict[str, Any] | None = None,
    relations: tuple[str, ...] | None = None,
    filters: dict[str, tuple[Any, Any]] | None = None,
    filter_type: type | None = None,
    update_description: str | None = None,
) -> ResourceSchema:
    """`extra`: hand-written fields of the type (a field named like a declared one replaces it); `inputs`:
    input types of fields whose GraphQL input is an input object; `relations`: their order, when not the
    declaration's; `filters`: (type, strawberry.field) of filter fields that are no field of the resource;
    `filter_type`: a hand-written filter input instead of the declared one; `update_description`: of the
    update input."""
    input_rules.register(resource)  # its inputs' rules, for openapi.json
    enums = {f.name: _enum(resource, f) for f in resource.fields if isinstance(f, Field) and f.values and f.enum}
    types = {f.name: enums.get(f.name) or _scalar(f) for f in resource.fields if isinstance(f, Field)}
    obj = _object_type(resource, module, types, extra, relations)
    types |= inputs or {}
    create, update = input_types(resource.name, resource.fields, module, types, update_description)
    filter_ = filter_type or (_filter(resource, module, types, filters or {}) if resource.filter else None)
    return ResourceSchema(
        obj, enums, create, update, filter_, _query(resource, module, obj, filter_), mutation_type(resource, module, obj, create, update)
    )


# -- the object type ---------------------------------------------------------------------------
def _object_type(
    resource: Resource[Any], module: str, types: dict[str, Any], extra: type | None, order: tuple[str, ...] | None
) -> type:
    annotations: dict[str, Any] = {"id": strawberry.ID, "workspace_id": strawberry.ID}
    namespace: dict[str, Any] = {}
    written = vars(extra) if extra is not None else {}
    for f in resource.fields:
        if isinstance(f, Field) and f.name not in written:
            annotations[f.name] = types[f.name] if f.not_null else types[f.name] | None
            if _description(f):
                namespace[f.name] = strawberry.field(description=_description(f))
        elif isinstance(f, Ref):
            annotations[f.name] = strawberry.ID | None
    annotations |= {"created_at": datetime, "updated_at": datetime}
    if extra is not None:
        annotations |= getattr(extra, "__annotations__", {})
        namespace |= {k: v for k, v in vars(extra).items() if isinstance(v, StrawberryField)}
    links = [f for f in resource.fields if isinstance(f, Links)]
    for f in (f for f in links if f.ids):
        namespace[f.name] = strawberry.field(
            resolver=id_list_resolver(f"{f.name}_by_{resource.key}_id"), graphql_type=list[strawberry.ID]
        )
    if order is not None:
        links.sort(key=lambda f: order.index(f.relation))
    for f in links:
        namespace[f.relation] = connection(f"{f.relation}_by_{resource.key}_id", f.target, f.scope)
    for ref in (f for f in resource.fields if isinstance(f, Ref)):
        namespace[ref.relation] = strawberry.field(
            resolver=_load(f"{ref.relation}_by_id", ref.name),
            graphql_type=_lazy(ref.target) | None,
            permission_classes=[HasScope(ref.scope)],
        )
    cls = type(resource.name, (Node,), {"__annotations__": annotations, "__module__": module, **namespace})
    return strawberry.type(cls, description=resource.description)


def connection(relation: str, target: type | str, scope: Scope | None = None, description: str | None = None) -> Any:
    """A has-many relation as a connection, a page at a time: `relation` names its list loader (e.g.
    `insights_by_signal_id`), `target` the model of its rows or "<schema module>.<Type>" (found lazily);
    guarded by `scope` where it crosses into another resource (and then nullable: a refusal nulls only
    this field). One statement per page for all the parents asking, one more for `totalCount` when asked."""

    pages = RelationPages(relation, scope)

    def resolve(
        root: Any,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Any:
        # Synchronous when the page was loaded for every parent at once (prefetch), else a coroutine.
        loaders = info.context.loaders
        raw = info._raw_info
        columns = row_columns(raw.schema, raw.operation, raw.fragments, node_type(raw.return_type))
        loader, limit = pages.window(loaders, first, after, columns)
        found = loaded(loader, root.id)
        if not inspect.isawaitable(found):
            return pages.connection(loaders, root.id, found, limit, after)

        async def later() -> Any:
            page = pages.connection(loaders, root.id, await found, limit, after)
            await prefetch(info, page.nodes, shared=True)  # each parent's page completes on its own
            return page

        return later()

    setattr(resolve, PAGE, pages)
    module, _, name = target.rpartition(".") if isinstance(target, str) else ("", "", "")
    lazy = LazyType(name, f"signalgraph.schema.{module}") if isinstance(target, str) else _lazy(target)
    kind: Any = Connection[lazy]  # type: ignore[valid-type]
    return strawberry.field(
        resolver=resolve,
        graphql_type=kind | None if scope else kind,
        permission_classes=[HasScope(scope)] if scope else [],
        description=description,
    )


def relation(loader: str, target: str, scope: Scope | None = None, *, many: bool = True, key: str = "id") -> Any:
    """A hand-written type's relation: the loader `loader` with the parent's `key`; `target` names the
    GraphQL type as "<schema module>.<Type>" (found lazily); guarded by `scope` where it crosses into
    another resource. A has-many relation (`many`) is a connection."""
    if many:
        return connection(loader, target, scope)
    module, _, name = target.rpartition(".")
    lazy = LazyType(name, f"signalgraph.schema.{module}")
    kind = lazy | None
    return strawberry.field(
        resolver=_load(loader, key), graphql_type=kind, permission_classes=[HasScope(scope)] if scope else []
    )


def id_list(loader: str) -> Any:
    """A hand-written type's id list (the REST contract's), read with the loader `loader`."""
    return strawberry.field(resolver=id_list_resolver(loader), graphql_type=list[strawberry.ID])


def _load(loader: str, key: str) -> Any:
    """A relation's resolver: the loader `loader` with the parent's `key` (nothing when that is null)."""

    async def resolve(root: Any, info: Info) -> Any:
        value = getattr(root, key)
        return await getattr(info.context.loaders, loader).load(value) if value is not None else None

    return resolve


def _lazy(model: type) -> Any:
    """The GraphQL type of a model, found when the schema is built: `Product` in `schema/products.py`."""
    return LazyType(model.__name__, f"signalgraph.schema.{model.__module__.rsplit('.', 1)[1]}")


_ENUMS: dict[str, type[Enum]] = {}


def value_enum(name: str, values: tuple[str, ...]) -> Any:
    """A value set (vocabulary.py) as a GraphQL enum whose values are the wire values, described by
    `vocabulary.MEANINGS`; one per name."""
    if name not in _ENUMS:
        functional: Any = Enum  # the functional API: a name made at run time
        made = functional(name, [(v, v) for v in values], type=str, module=__name__)
        description, meanings = MEANINGS[values]
        _ENUMS[name] = with_meanings(strawberry.enum(made, description=description), meanings)
    return _ENUMS[name]


def with_meanings(enum: Any, meanings: dict[str, str]) -> Any:
    """The Strawberry enum `enum` with a description on each value (`meanings`: wire value → meaning)."""
    for value in enum.__strawberry_definition__.values:
        value.description = meanings[value.value]
    return enum


def _enum(resource: Resource[Any], f: Field) -> type[Enum]:
    """A field's value set, named <Resource><Field> or by the field (resources may share one: IndexingStatus)."""
    name = f.enum if isinstance(f.enum, str) else resource.name + "".join(p.title() for p in f.name.split("_"))
    return value_enum(name, f.values)


def _scalar(f: Field) -> Any:
    return SCALARS.get(f.type, f.type)


def _description(f: Field) -> str | None:
    if f.values and not f.enum:
        return f.description or f"One of: {', '.join(f.values)}"
    return f.description


# -- inputs --------------------------------------------------------------------------------------
def input_types(
    name: str,
    declared: tuple[Field | Ref | Links, ...],
    module: str,
    types: dict[str, Any] | None = None,
    update_description: str | None = None,
    create_description: str | None = None,
) -> tuple[type, type]:
    """`Create<name>Input` and `Update<name>Input` from one declaration of the fields (`types`: the GraphQL
    type of a Field where it is not its scalar)."""
    types = {f.name: _scalar(f) for f in declared if isinstance(f, Field)} | (types or {})
    create = _input(name, declared, module, types, creating=True, description=create_description)
    return create, _input(name, declared, module, types, creating=False, description=update_description)


def _input(
    name: str,
    declared: tuple[Field | Ref | Links, ...],
    module: str,
    types: dict[str, Any],
    *,
    creating: bool,
    description: str | None = None,
) -> type:
    """Create: required fields first and non-null, the rest optional; update: every field optional."""
    fields: list[tuple[str, Any, Any]] = []
    for f in declared:
        if isinstance(f, Field) and f.writable:
            required = creating and f.required
            kind = types[f.name] if required else types[f.name] | None
            desc = _description(f) if creating else f.update_description or _description(f)
            default = strawberry.field(description=desc) if required else strawberry.field(default=UNSET, description=desc)
            fields.append((f.name, kind, default))
        elif isinstance(f, Ref):
            desc = f.description if creating else f.update_description or f.description
            fields.append((f.name, strawberry.ID | None, strawberry.field(default=UNSET, description=desc)))
        elif isinstance(f, Links) and f.writable:
            fields.append((f.name, list[strawberry.ID] | None, strawberry.field(default=UNSET)))
    if creating:
        fields.sort(key=lambda item: item[2].default is UNSET)
    decorator = strawberry.input(description=description)
    return _class(decorator, f"{'Create' if creating else 'Update'}{name}Input", module, fields)


def _filter(resource: Resource[Any], module: str, types: dict[str, Any], own: dict[str, tuple[Any, Any]]) -> type:
    fields: list[tuple[str, Any, Any]] = []
    for name in resource.filters:
        f = next((f for f in resource.fields if f.name == name), None)
        if name in own:
            fields.append((name, *own[name]))
        elif isinstance(f, Field) and f.values:
            fields.append((name, LIST[types[name]] | None, UNSET))
        elif name.endswith("_id"):
            fields.append((name, strawberry.ID | None, UNSET))
        elif isinstance(f, Field):
            fields.append((name, types[name] | None, strawberry.field(default=UNSET, description=f.description)))
        else:
            raise ValueError(f"{resource.name}: no field for the filter {name!r}")
    fields.append(("search", str | None, strawberry.field(default=UNSET, description=resource.search_description)))
    fields.append(("updated_since", datetime | None, UNSET))
    return _class(strawberry.input, f"{resource.name}Filter", module, fields)


def _class(decorator: Any, name: str, module: str, fields: list[tuple[str, Any, Any]]) -> type:
    namespace = {n: default for n, _, default in fields}
    annotations = {n: kind for n, kind, _ in fields}
    return decorator(type(name, (), {"__annotations__": annotations, "__module__": module, **namespace}))


# -- root fields ---------------------------------------------------------------------------------
def list_field(
    fetch: Callable[..., Awaitable[Page]],
    node: type,
    filter_: type | None,
    order: type,
    scope: Scope,
    description: str | None = None,
) -> Any:
    """A root list of `node`s, declared or hand-written alike: the paging arguments (first/after,
    last/before, offset), then `filter` (or, for a list without one, `search`) and `orderBy`; the page is
    `await fetch(ctx, window=…, **filters)`, guarded by `scope`."""
    # The filter input, or for a list without one the `search` text, under its GraphQL name.
    criteria_arg: Any = (
        Annotated[filter_ | None, strawberry.argument(name="filter")]
        if filter_ is not None
        else Annotated[str | None, strawberry.argument(name="search")]
    )
    order_arg: Any = order | None

    async def resolve(
        root: Any,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
        offset: Annotated[int | None, strawberry.argument(description=OFFSET)] = None,
        criteria: criteria_arg = None,
        order_by: Annotated[order_arg, strawberry.argument(description=ORDER_BY)] = None,
    ) -> Any:
        raw = info._raw_info
        columns = row_columns(raw.schema, raw.operation, raw.fragments, node_type(raw.return_type))
        w = replace(window(first, after, offset, last, before, order_by), columns=columns)
        filters = provided(criteria) if filter_ is not None else {"search": criteria}
        page = await fetch(info.context, window=w, **filters)
        await prefetch(info, page.rows)
        return Connection.from_page(page)

    return strawberry.field(
        resolver=resolve,
        graphql_type=Connection[node],  # type: ignore[valid-type]
        permission_classes=[HasScope(scope)],
        description=description,
    )


def one_field(get: Callable[[Context, str], Awaitable[Any]], node: type, scope: Scope) -> Any:
    """A root field `<thing>(id:)`, declared or hand-written alike: `await get(ctx, id)`, null when absent or
    another workspace's, guarded by `scope`."""

    async def one(root: Any, info: Info, id: strawberry.ID) -> Any:
        return await get(info.context, id)

    return strawberry.field(resolver=one, graphql_type=node | None, permission_classes=[HasScope(scope)])


def _query(resource: Resource[Any], module: str, obj: type, filter_: Any) -> type:
    namespace = {
        resource.key: one_field(resource.get, obj, resource.read),
        resource.plural: list_field(resource.list, obj, filter_, order_input(resource.name), resource.read),
    }
    return strawberry.type(type(f"{resource.name}Query", (), {"__module__": module, **namespace}))


def mutation_type(resource: Resource[Any], module: str, obj: type, create_input: type, update_input: type) -> type:
    """`create<Thing>`, `update<Thing>` and `delete<Thing>` of a resource, declared or with a type and inputs
    written by hand."""
    async def create(root: Any, info: Info, input: create_input) -> Any:  # type: ignore[valid-type]
        return await resource.create(info.context, provided(input))

    async def update(root: Any, info: Info, id: strawberry.ID, input: update_input) -> Any:  # type: ignore[valid-type]
        return await resource.update(info.context, id, provided(input))

    async def delete(root: Any, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=strawberry.ID(await resource.delete(info.context, id)))

    write, remove = [HasScope(resource.write)], [HasScope(resource.delete_scope)]
    namespace = {
        f"create_{resource.key}": strawberry.mutation(resolver=create, graphql_type=obj, permission_classes=write),
        f"update_{resource.key}": strawberry.mutation(resolver=update, graphql_type=obj, permission_classes=write),
        f"delete_{resource.key}": strawberry.mutation(resolver=delete, graphql_type=DeleteResult, permission_classes=remove),
    }
    return strawberry.type(type(f"{resource.name}Mutation", (), {"__module__": module, **namespace}))


def child_mutation(child: Child, obj: type, create_input: type, update_input: type, scope: Scope, module: str) -> type:
    """`create<Child>(<parent>Id, input)`, `update<Child>(<parent>Id, id, input)` and `delete<Child>(<parent>Id,
    id)` of a small list under a parent (resolvers/children.py), each guarded by `scope`."""
    parent_id: Any = Annotated[strawberry.ID, strawberry.argument(name=camel(child.parent_key))]

    async def create(root: Any, info: Info, parent: parent_id, input: create_input) -> Any:  # type: ignore[valid-type]
        return await child.create(info.context, parent, provided(input))

    async def update(root: Any, info: Info, parent: parent_id, id: strawberry.ID, input: update_input) -> Any:  # type: ignore[valid-type]
        return await child.update(info.context, parent, id, provided(input))

    async def delete(root: Any, info: Info, parent: parent_id, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=strawberry.ID(await child.delete(info.context, parent, id)))

    key, guard = re.sub(r"(?<!^)(?=[A-Z])", "_", obj.__name__).lower(), [HasScope(scope)]
    namespace = {
        f"create_{key}": strawberry.mutation(resolver=create, graphql_type=obj, permission_classes=guard),
        f"update_{key}": strawberry.mutation(resolver=update, graphql_type=obj, permission_classes=guard),
        f"delete_{key}": strawberry.mutation(resolver=delete, graphql_type=DeleteResult, permission_classes=guard),
    }
    return strawberry.type(type(f"{obj.__name__}Mutation", (), {"__module__": module, **namespace}))
