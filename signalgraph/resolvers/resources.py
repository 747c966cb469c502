"""The generic resource layer: one declaration per resource drives create, update, delete, get and list.

A `Resource` names its repository, its GraphQL name and scopes, and its fields in order: `Field` (a
stored value: type, required, default, value set, length, bounds), `Ref` (one id of another resource)
and `Links` (a list of ids through a link table). From that, the common path below checks the input
(each bad value a BAD_USER_INPUT naming the field), checks every linked id is a row of the caller's
workspace (NOT_FOUND naming the field), writes the row, its links and `updated_at` in one unit of work
(`ctx.write()`, which also refreshes the loaders), and reads through the loaders and the repository.
`schema/resources.py` builds the GraphQL types, inputs, filter and root fields from the same declaration.

Behaviour that really differs is a hook: `clean` (more checks on the cleaned input), `before_save` (the
row before the changes are applied; a new row already has its values), `after_save` (after the row and
its links are written), `after_delete`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel
from strawberry.dataloader import DataLoader

from ..errors import Conflict, InvalidInput
from ..scopes import Scope
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories.base import Link, Page, Repository, Slice
from . import common
from .request_context import Context, Write

M = TypeVar("M", bound=SQLModel)


class Json:
    """The type of a free-form JSON field."""


@dataclass(frozen=True)
class Field:
    """A stored value. `required`: given on create, never null, text not blank; a field with a `default`
    (a value, or a callable making one) takes it on create when left out or null, and is never null."""

    name: str
    type: Any = str
    required: bool = False
    default: Any = None
    values: tuple[str, ...] = ()  # the allowed values: a GraphQL enum, or a String listing them (enum=False)
    enum: bool | str = True  # a str names the enum (shared by resources), else <Resource><Field>
    max_length: int | None = 100_000  # None: no bound (a text column)
    strip: bool = False
    bounds: tuple[float, float] | None = None
    writable: bool = True
    stored: bool = True  # False: no column of the row; `after_save` writes it (an OKR's key results)
    description: str | None = None  # on the type and the create input
    update_description: str | None = None  # on the update input, when it says more than `description`

    @property
    def not_null(self) -> bool:
        return self.required or self.default is not None

    def clean(self, value: Any) -> Any:
        label = common.camel(self.name)
        if self.type is str:
            value = common.text(value, label, max_length=self.max_length, required=self.required)
            if self.strip and value is not None:
                value = value.strip()
        elif value is None:
            if self.required:
                raise InvalidInput(f"{label} is required", field=label)
            return None
        if self.values:
            common.one_of(value, self.values, label)
        if self.bounds is not None and not self.bounds[0] <= value <= self.bounds[1]:
            low, high = (int(b) if float(b).is_integer() else b for b in self.bounds)
            raise InvalidInput(f"{label} must be between {low} and {high}", field=label)
        return value

    def initial(self) -> Any:
        return self.default() if callable(self.default) else self.default


@dataclass(frozen=True)
class Ref:
    """One id of another resource (`product_id` → `product`), of this workspace, read with `scope`."""

    name: str
    target: type[SQLModel]
    scope: Scope
    description: str | None = None  # on the create input
    update_description: str | None = None

    @property
    def relation(self) -> str:
        return self.name.removesuffix("_id")


@dataclass(frozen=True)
class Links:
    """Ids of other rows through a link table (`opportunity_ids` → `opportunities`); an update replaces
    the whole list. Read-only links (`writable=False`) are written elsewhere, e.g. by processing."""

    name: str
    target: type[SQLModel]
    link: Link
    scope: Scope | None  # None: read with the resource's own scope
    writable: bool = True
    ids: bool = True  # False: the relation alone, without the id list

    @property
    def relation(self) -> str:
        return plural(self.name.removesuffix("_ids"))


Hook = Callable[[Write, Any, dict[str, Any], bool], Awaitable[None]]


@dataclass(frozen=True, eq=False)
class Resource(Generic[M]):
    repository: Repository[M]
    name: str  # the GraphQL type: "Idea" → idea, ideas, createIdea, the loader idea_by_id
    scopes: str  # "ideas": read with ideas:read, create and update with ideas:write, delete with ideas:delete
    fields: tuple[Field | Ref | Links, ...]
    # The list's filter input has the repository's filters, then search and updated_since; without one
    # (filter=False) the list takes a `search` argument. `search` describes what it matches (by default
    # the repository's search columns: "Matches name and description.").
    filter: bool = True
    search: str | None = None
    label: str | None = None  # in messages: "<label> <id> not found"; the name by default
    description: str | None = None  # of the GraphQL object type
    clean: Callable[[dict[str, Any], bool], None] | None = None
    before_save: Hook | None = None
    after_save: Hook | None = None
    after_delete: Callable[[Write, str], Awaitable[None]] | None = None
    # A unique index's refusal, as the caller's answer (a concurrent write took the value it checked).
    conflict: Callable[[Any], Conflict] | None = None
    key: str = field(init=False)
    read: Scope = field(init=False)
    write: Scope = field(init=False)
    delete_scope: Scope = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", re.sub(r"(?<!^)(?=[A-Z])", "_", self.name).lower())
        for attr, action in (("read", "read"), ("write", "write"), ("delete_scope", "delete")):
            object.__setattr__(self, attr, Scope(f"{self.scopes}:{action}"))

    @property
    def filters(self) -> tuple[str, ...]:
        return tuple(self.repository.filters) if self.filter else ()

    @property
    def search_description(self) -> str:
        return self.search or f"Matches {' and '.join(common.camel(c.key) for c in self.repository.search)}."

    @property
    def model(self) -> type[M]:
        return self.repository.model

    @property
    def plural(self) -> str:
        return plural(self.key)

    # -- reads -------------------------------------------------------------------------------
    def loader(self, ctx: Context) -> DataLoader[str, M | None]:
        return getattr(ctx.loaders, f"{self.key}_by_id")

    async def get(self, ctx: Context, id_: str) -> M | None:
        return await self.loader(ctx).load(id_)

    async def list(self, ctx: Context, *, window: Slice, **filters: Any) -> Page:
        return await list_rows(ctx, self.repository, window=window, **filters)

    # -- writes ------------------------------------------------------------------------------
    async def create(self, ctx: Context, data: dict[str, Any]) -> M:
        values = self._clean(data, creating=True)
        async with ctx.write() as w:
            await self._check_links(w, values)
            scalars = {f.name: values[f.name] for f in self.fields if _column(f) and f.name in values}
            row = self.model(workspace_id=w.workspace_id, **scalars)
            if self.before_save:
                await self.before_save(w, row, values, True)
            w.session.add(row)
            await self._flush(w, row)
            await self._write_links(w, row, values)
            if self.after_save:
                await self.after_save(w, row, values, True)
        return row

    async def update(self, ctx: Context, id_: str, changes: dict[str, Any]) -> M:
        values = self._clean(changes, creating=False)
        async with ctx.write() as w:
            row = common.found(await self.repository.get(w.session, w.workspace_id, id_), self.label or self.name, id_)
            await self._check_links(w, values)
            if not await self._changes(w, row, values):
                return row  # an update that changes nothing writes nothing, `updated_at` included
            if self.before_save:
                await self.before_save(w, row, values, False)
            for f in self.fields:
                if f.name in values and _column(f):
                    setattr(row, f.name, values[f.name])
            row.updated_at = utcnow()
            w.session.add(row)
            await self._flush(w, row)
            await self._write_links(w, row, values)
            if self.after_save:
                await self.after_save(w, row, values, False)
        return row

    async def delete(self, ctx: Context, id_: str) -> str:
        return await delete_row(ctx, self.repository, id_, self.label or self.name, self.after_delete)

    def _clean(self, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        return clean_input(self.fields, data, creating=creating, more=self.clean)

    async def _check_links(self, w: Write, values: dict[str, Any]) -> None:
        """Every id given must be a row of this workspace; the lists are deduplicated in order."""
        for f in self.fields:
            if isinstance(f, Ref) and f.name in values:
                values[f.name] = await common.linkable_one(
                    w.session, f.target, w.workspace_id, values[f.name], common.camel(f.name)
                )
            elif isinstance(f, Links) and f.writable and f.name in values:
                values[f.name] = await common.linkable(
                    w.session, f.target, w.workspace_id, values[f.name], common.camel(f.name)
                )

    async def _changes(self, w: Write, row: Any, values: dict[str, Any]) -> bool:
        """Whether `values` differ from what `row` holds (its columns, or the lists of its links)."""
        for f in self.fields:
            if f.name not in values:
                continue
            if isinstance(f, Links):
                same = await repo.links_are(w.session, f.link, w.workspace_id, row.id, values[f.name])
            else:  # a field its hook writes (not stored) is taken as a change
                same = _column(f) and getattr(row, f.name) == values[f.name]
            if not same:
                return True
        return False

    async def _flush(self, w: Write, row: Any) -> None:
        try:
            await w.session.flush()
        except IntegrityError:
            if self.conflict is None:
                raise
            raise self.conflict(row) from None

    async def _write_links(self, w: Write, row: Any, values: dict[str, Any]) -> None:
        for f in self.fields:
            if isinstance(f, Links) and f.name in values:
                await repo.replace_links(w.session, f.link, w.workspace_id, row.id, values[f.name])


def clean_input(
    fields: tuple[Field | Ref | Links, ...],
    data: dict[str, Any],
    *,
    creating: bool,
    more: Callable[[dict[str, Any], bool], None] | None = None,
) -> dict[str, Any]:
    """The input, checked field by field in declaration order, on create with the defaults filled in; then
    `more` (a declaration's `clean`) on the cleaned values."""
    if not creating:
        common.not_null(data, *(f.name for f in fields if isinstance(f, Field) and f.not_null))
    values: dict[str, Any] = {}
    for f in fields:
        if isinstance(f, Field):
            if not f.writable:
                continue
            if f.name in data or (creating and f.required):
                values[f.name] = f.clean(data.get(f.name))
            if creating and values.get(f.name) is None and f.default is not None:
                values[f.name] = f.initial()
        elif f.name in data and (not isinstance(f, Links) or f.writable):
            values[f.name] = data[f.name]
    if more:
        more(values, creating)
    return values


async def list_rows(ctx: Context, repository: Repository[Any], *, window: Slice, **filters: Any) -> Page:
    """One page of the caller's rows: the list of every resource, declared or written by hand. The rows
    matching the filters are counted only if the total is asked for, in the request's reads."""

    async def count() -> int:
        async with ctx.read() as session:
            return await repository.count(session, ctx.workspace_id, **filters)

    async with ctx.read() as session:
        return await repository.list(session, ctx.workspace_id, window=window, count=count, **filters)


async def delete_row(
    ctx: Context,
    repository: Repository[Any],
    id_: str,
    label: str,
    after: Callable[[Write, str], Awaitable[None]] | None = None,
) -> str:
    """Delete one of the caller's rows (NOT_FOUND: "<label> <id> not found"); `after` in the same unit."""
    async with ctx.write() as w:
        if not await repository.delete(w.session, w.workspace_id, id_):
            common.found(None, label, id_)
        if after:
            await after(w, id_)
    return id_


def _column(f: Field | Ref | Links) -> bool:
    """Whether the field is a column of the resource's row."""
    return not isinstance(f, Links) and (not isinstance(f, Field) or f.stored)


def plural(word: str) -> str:
    return word[:-1] + "ies" if word.endswith("y") else word + "s"
