"""Small lists under a parent: an account's contacts, a product's features, personas and questions.

A `Child` is written through its parent and read whole (it is bounded in limits.py, not paged). Its fields
are declared as a resource's are (`Field`, `Ref`): they check the input (`clean_input`) and make its
Create/Update inputs (`schema.resources.input_types`; `child_mutation` makes its mutations). The parent
must be a row of the caller's workspace (NOT_FOUND naming it); a child id under another parent is NOT_FOUND
("Contact <id> not found in account <parent id>"); a create past `bound` is refused, naming the list. The
list is read with the loaders `<parent>_by_id` and `<plural>_by_<parent>_id`. The writes go through one unit
of work (`ctx.write()`), which sets nothing by hand but `updated_at`.

What differs is a hook: `clean` (more checks on the cleaned input: an email's shape), `check` (in the write,
before a create or update: the parent feature of a feature), `after_save` (given the values the row had
before an update, None on create: a renamed feature asks for a new product analysis) and `after_delete`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel import SQLModel

from ..errors import NotFound
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from . import common
from .request_context import Context, Write
from .resources import Field, Ref, clean_input

# (the write, the parent's id, the child's id (None on create), the cleaned input)
Check = Callable[[Write, str, str | None, dict[str, Any]], Awaitable[None]]
# (the write, the row as saved, the cleaned input, the values it had before an update (None on create))
AfterSave = Callable[[Write, Any, dict[str, Any], dict[str, Any] | None], Awaitable[None]]


@dataclass(frozen=True, eq=False)
class Child:
    parent: type[SQLModel]  # Account
    parent_column: Any  # Contact.account_id
    plural: str  # "contacts": the list's name in messages and in its loader
    # Its writable fields, as a resource declares them (resolvers/resources.py): they check the input and
    # make the create and update inputs (none: read-only, written by processing). `clean`: more checks
    # on the cleaned values. A parent holds at most `bound` (limits.py).
    fields: tuple[Field | Ref, ...] = ()
    bound: int = 0
    clean: Callable[[dict[str, Any], bool], None] | None = None
    check: Check | None = None
    after_save: AfterSave | None = None
    after_delete: Callable[[Write, str], Awaitable[None]] | None = None

    @property
    def model(self) -> Any:
        return self.parent_column.class_

    @property
    def parent_key(self) -> str:
        return str(self.parent_column.key)

    async def list(self, ctx: Context, parent_id: str) -> list[Any]:
        """Every child of the parent, oldest first; NOT_FOUND when the parent is missing."""
        await self._parent(ctx, parent_id)
        return await getattr(ctx.loaders, f"{self.plural}_by_{self.parent_key}").load(parent_id)

    async def get(self, ctx: Context, parent_id: str, id_: str) -> Any | None:
        """The child, None when the parent has no such child; NOT_FOUND when the parent is missing."""
        await self._parent(ctx, parent_id)
        async with ctx.read() as session:
            return await repo.child(session, self.parent_column, ctx.workspace_id, parent_id, id_, lock=False)

    async def _parent(self, ctx: Context, parent_id: str) -> Any:
        loader = getattr(ctx.loaders, f"{self.parent_key.removesuffix('_id')}_by_id")
        return common.found(await loader.load(parent_id), self.parent.__name__, parent_id)

    def cleaned(self, data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
        """The input checked against the fields, as column values."""
        assert self.fields, f"{self.plural} are read-only"
        return clean_input(self.fields, data, creating=creating, more=self.clean)

    async def create(self, ctx: Context, parent_id: str, data: dict[str, Any]) -> Any:
        values = self.cleaned(data, creating=True)
        async with ctx.write() as w:
            common.found(await repo.get(w.session, self.parent, w.workspace_id, parent_id), self.parent.__name__, parent_id)
            if self.check is not None:
                await self.check(w, parent_id, None, values)
            await common.room_for_one_more(w.session, self.parent_column, w.workspace_id, parent_id, self.bound, self.plural)
            row = self.model(workspace_id=w.workspace_id, **{self.parent_key: parent_id}, **values)
            w.session.add(row)
            await w.session.flush()
            if self.after_save is not None:
                await self.after_save(w, row, values, None)
        return row

    async def update(self, ctx: Context, parent_id: str, id_: str, changes: dict[str, Any]) -> Any:
        values = self.cleaned(changes, creating=False)
        async with ctx.write() as w:
            row = await repo.child(w.session, self.parent_column, w.workspace_id, parent_id, id_)
            if row is None:
                await self._missing(w, parent_id, id_)
            if self.check is not None:
                await self.check(w, parent_id, id_, values)
            before = {name: getattr(row, name) for name in values}
            if before == values:
                return row  # an update that changes nothing writes nothing, `updated_at` included
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = utcnow()
            w.session.add(row)
            if self.after_save is not None:
                await self.after_save(w, row, values, before)
        return row

    async def delete(self, ctx: Context, parent_id: str, id_: str) -> str:
        async with ctx.write() as w:
            if not await repo.delete_child(w.session, self.parent_column, w.workspace_id, parent_id, id_):
                await self._missing(w, parent_id, id_)
            if self.after_delete is not None:
                await self.after_delete(w, parent_id)
        return id_

    async def _missing(self, w: Write, parent_id: str, id_: str) -> None:
        """NOT_FOUND naming the parent when it is missing, else naming the child."""
        parent = self.parent.__name__
        common.found(await repo.get(w.session, self.parent, w.workspace_id, parent_id), parent, parent_id)
        raise NotFound(f"{self.model.__name__} {id_} not found in {parent.lower()} {parent_id}")
