"""Checks every domain's resolvers share: found-or-404, allowed values, required text, linkable ids."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from ..errors import Conflict, InvalidInput, NotFound
from ..storage.repositories import base as repo

T = TypeVar("T")


def found(row: T | None, what: str, id_: str) -> T:
    if row is None:
        raise NotFound(f"{what} {id_} not found")
    return row


def one_of(value: str | None, allowed: Sequence[str], field: str) -> str | None:
    if value is not None and value not in allowed:
        raise InvalidInput(f"{field} must be one of: {', '.join(allowed)}", field=field)
    return value


def text(value: Any, field: str, *, max_length: int | None = 100_000, required: bool = True) -> str | None:
    """A string that, when required, is not blank; at most `max_length` characters (None: no bound)."""
    if value is None:
        if required:
            raise InvalidInput(f"{field} is required", field=field)
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a string", field=field)
    if required and not value.strip():
        raise InvalidInput(f"{field} must not be empty", field=field)
    if max_length is not None and len(value) > max_length:
        raise InvalidInput(f"{field} must be at most {max_length} characters", field=field)
    return value


def not_null(changes: dict[str, Any], *fields: str) -> None:
    """In an update, these fields may be left out but not set to null."""
    for name in fields:
        if name in changes and changes[name] is None:
            raise InvalidInput(f"{camel(name)} cannot be null", field=camel(name))


def camel(name: str) -> str:
    """snake_case → camelCase, to name a field the way the caller sent it."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


async def flush_unique(session: AsyncSession, taken: Conflict) -> None:
    """Write what is pending where a unique index guards a value the caller checked was free: on PostgreSQL
    a concurrent request can take it between the check and the write (SQLite writers take turns), and the
    index's refusal is then the caller's own answer, `taken`."""
    try:
        await session.flush()
    except IntegrityError:
        raise taken from None


async def room_for_one_more(
    session: AsyncSession, parent_column: Any, workspace_id: str, parent_id: str, bound: int, field: str
) -> None:
    """Refuse a new item of a small list (served whole, not a page at a time: limits.py) once its parent
    holds `bound` of them."""
    held = (await repo.count_by(session, parent_column, workspace_id, [parent_id])).get(parent_id, 0)
    if held >= bound:
        parent = parent_column.key.removesuffix("_id")
        raise InvalidInput(f"{field}: at most {bound} per {parent}", field=field)


async def linkable(
    session: AsyncSession, model: type[SQLModel], workspace_id: str, ids: Iterable[str] | None, field: str
) -> list[str]:
    """The ids, deduplicated in order, after checking each is a row of this workspace (else NOT_FOUND)."""
    wanted = list(dict.fromkeys(ids or []))
    existing = await repo.existing_ids(session, model, workspace_id, wanted)
    missing = [i for i in wanted if i not in existing]
    if missing:
        raise NotFound(f"{field}: not found: {', '.join(missing)}", field=field)
    return wanted


async def linkable_one(
    session: AsyncSession, model: type[SQLModel], workspace_id: str, id_: str | None, field: str
) -> str | None:
    if id_ is None:
        return None
    return (await linkable(session, model, workspace_id, [id_], field))[0]
