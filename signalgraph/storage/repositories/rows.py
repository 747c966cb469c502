"""Light rows: what the read paths (lists, loaders, `node`) answer with instead of ORM instances.

A SQLModel instance costs far more than its columns: SQLAlchemy's `InstanceState`, pydantic's private
attributes, an identity-map entry and half a dozen containers for the garbage collector to walk. A nested
query or a REST page builds hundreds of them only to read attributes (bench/README.md, "CPU"). A read row
is a named tuple of the table's columns under the model's name, so everything that reads attributes or
names the type (`Node.resolve_type`, `Node.is_type_of`) sees the same thing; `model_of` gives the model
back. Writes keep loading ORM instances (`base.get`, `base.by_ids`), which track their changes.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement
from sqlmodel import SQLModel


class ReadRow(tuple[Any, ...]):
    """The base of every model's read row: its columns, read-only, by attribute."""

    __slots__ = ()
    _model: ClassVar[type[SQLModel]]
    _columns: ClassVar[tuple[ColumnElement[Any], ...]]
    _fields: ClassVar[tuple[str, ...]]  # namedtuple's, as are `_make` and attribute access
    _make: ClassVar[Callable[[Iterable[Any]], Any]]


_CLASSES: dict[tuple[type[SQLModel], frozenset[str] | None], type[ReadRow]] = {}
# Column sets follow what queries select, which a client chooses: past this many classes, a new set reads
# every column, so no sequence of queries makes the process hold ever more classes (or statements built
# for them).
MAX_ROW_CLASSES = 512


def read_row(model: type[SQLModel], only: frozenset[str] | None = None) -> type[ReadRow]:
    """The read-row class of a table model, named like it: of all its columns, or of the columns named in
    `only` (in the table's order; all of them when `only` names anything that is not a column, or when
    MAX_ROW_CLASSES are made). One class per model and column set."""
    cls = _CLASSES.get((model, only))
    if cls is None:
        if only is not None and len(_CLASSES) >= MAX_ROW_CLASSES:
            return read_row(model)
        columns = tuple(model.__table__.columns)  # type: ignore[attr-defined]
        if only is not None and only <= {c.key for c in columns}:
            columns = tuple(c for c in columns if c.key in only)
        fields = namedtuple(model.__name__, [c.key for c in columns])  # type: ignore[misc]
        namespace = {"__slots__": (), "__module__": __name__, "_model": model, "_columns": columns}
        cls = _CLASSES[(model, only)] = type(model.__name__, (fields, ReadRow), namespace)
    return cls


def model_of(row: Any) -> type:
    """The table model of a row, read row or ORM instance alike."""
    kind = type(row)
    return kind._model if issubclass(kind, ReadRow) else kind


def columns_of(stmt: Select, model: type[SQLModel], only: frozenset[str] | None = None) -> Select:
    """`stmt` (which selects `model`) selecting the model's columns instead (those in `only`, as `read_row`
    takes them): the rows come back as tuples."""
    return stmt.with_only_columns(*read_row(model, only)._columns)


async def read_rows(session: AsyncSession, stmt: Select, model: type[SQLModel], only: frozenset[str] | None = None) -> list[Any]:
    """The rows `stmt` (which selects `model`) finds, as read rows (of the columns in `only`; None for all)."""
    make = read_row(model, only)._make
    return [make(row) for row in await session.execute(columns_of(stmt, model, only))]
