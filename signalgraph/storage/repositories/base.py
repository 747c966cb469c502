"""Generic queries shared by the domain repositories: `Repository[Model]` (get, list with filters and
paging, count, delete, by ids), batches by key, and link tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, Generic, TypeVar

from sqlalchemy import ARRAY, String, any_, bindparam, delete, func, literal, or_, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement, Select, operators
from sqlalchemy.sql.elements import BindParameter, UnaryExpression
from sqlmodel import SQLModel

from ...errors import InvalidInput
from .. import driver
from .rows import MAX_ROW_CLASSES, read_row, read_rows

M = TypeVar("M", bound=SQLModel)
# Far below SQLite's limit on a LIKE pattern (50000 bytes), even escaped and in four-byte characters.
MAX_SEARCH_CHARS = 1000


@dataclass(frozen=True)
class Slice:
    """Which rows of a list: `limit` of them, after `offset` rows or after/before a sort key (a keyset
    cursor's JSON values, typed against the sort columns here); `last`: the `limit` rows just before
    `before` (or the end). `order`: (column, descending) to sort by instead of the list's own order; the
    id (or the list's unique column) always follows, so the order is total."""

    limit: int
    offset: int = 0
    after: Sequence[Any] | None = None
    before: Sequence[Any] | None = None
    last: bool = False
    order: tuple[str, bool] | None = None
    # Only these columns of the rows (their sort key is added), where the reader needs no others
    # (prefetch.row_columns); None for every column.
    columns: frozenset[str] | None = None


@dataclass(frozen=True)
class Page:
    """One page of rows plus the total the filter matches (or how to count it, when asked), each row's sort
    key (for its cursor), and whether rows follow and precede it."""

    rows: list[Any]
    total: int | Callable[[], Awaitable[int]]
    offset: int
    limit: int
    keys: list[tuple[Any, ...]] = field(default_factory=list)
    more_after: bool | None = None
    more_before: bool | None = None

    @property
    def has_next(self) -> bool:
        if self.more_after is not None:
            return self.more_after
        assert isinstance(self.total, int), "a page without more_after is counted"
        return self.offset + len(self.rows) < self.total

    @property
    def has_previous(self) -> bool:
        return self.more_before if self.more_before is not None else self.offset > 0


async def get(session: AsyncSession, model: type[M], workspace_id: str, id_: str) -> M | None:
    """The row with this id in this workspace; another workspace's row is None, like a missing one.

    Locked until the transaction ends (PostgreSQL; SQLite writers take turns), so that a write that found
    the row can change it: a concurrent delete waits for it, or went first and the row is None.
    """
    stmt = select(model).where(model.id == id_, model.workspace_id == workspace_id)
    return (await session.execute(stmt.with_for_update(key_share=True))).scalars().first()


def search_clause(text: str, *columns: Any) -> ColumnElement[bool]:
    """Case-insensitive substring match across columns, with LIKE wildcards in `text` taken literally.

    The pattern is bounded (SQLite refuses one over 50000 bytes): a longer `text` is InvalidInput.
    """
    if len(text) > MAX_SEARCH_CHARS:
        raise InvalidInput(f"search must be at most {MAX_SEARCH_CHARS} characters", field="search")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(*(col.ilike(f"%{escaped}%", escape="\\") for col in columns))


def updated_since_clause(model: type[SQLModel], since: datetime) -> ColumnElement[bool]:
    return model.updated_at >= since  # type: ignore[attr-defined]


# A list filter: (the value the caller gave, the workspace) → a WHERE clause. Values that do not filter
# (None, an empty list) never reach it.
Filter = Callable[[Any, str], ColumnElement[bool]]


def is_in(column: Any) -> Filter:
    """The column holds one of the given values."""
    return lambda values, _ws: column.in_(values)


def equals(column: Any) -> Filter:
    return lambda value, _ws: column == value


def is_null(column: Any) -> Filter:
    """True: the column is null (e.g. global context, of no product); false: it is not."""
    return lambda value, _ws: column.is_(None) if value else column.is_not(None)


def through(link: Link, id_column: Any) -> Filter:
    """The row is linked to the given id, e.g. ideas of an account: `through(ACCOUNT_IDEAS, Idea.id)`."""
    t = link.table

    def clause(value: Any, workspace_id: str) -> ColumnElement[bool]:
        linked = select(getattr(t, link.to_col)).where(getattr(t, link.from_col) == value, t.workspace_id == workspace_id)
        return id_column.in_(linked)

    return clause


def triage(model: Any, accounts: Link) -> dict[str, Filter]:
    """The filters insights, opportunities and ideas share: status, product, and an account they are
    linked to through `accounts` (the account link table, seen from the account)."""
    return {"status": is_in(model.status), "product_id": equals(model.product_id), "account_id": through(accounts, model.id)}


@dataclass(frozen=True, eq=False)
class Repository(Generic[M]):
    """The common queries of one workspace-scoped table; every method takes the workspace.

    `filters` are the list filters by name; `search` the columns a `search` text matches; `updated_since`
    works on every table with `updated_at`. Lists are newest first unless `order_by` says otherwise.
    """

    model: type[M]
    filters: Mapping[str, Filter] = field(default_factory=dict)
    search: Sequence[Any] = ()
    order_by: Sequence[Any] = ()

    def select(self, workspace_id: str, **filters: Any) -> Select:
        """The rows of this workspace that match the filters (None, an empty list or search is no filter)."""
        model: Any = self.model
        stmt = select(model).where(model.workspace_id == workspace_id)
        for name, value in filters.items():
            if not self._active(name, value):
                continue
            if name == "search":
                stmt = stmt.where(search_clause(value, *self.search))
            elif name == "updated_since":
                stmt = stmt.where(updated_since_clause(model, value))
            else:
                stmt = stmt.where(self.filters[name](value, workspace_id))
        return stmt

    async def get(self, session: AsyncSession, workspace_id: str, id_: str) -> M | None:
        """The row, locked for the writing transaction (see `get`); another workspace's row is None."""
        return await get(session, self.model, workspace_id, id_)

    def ordering(self, order: tuple[str, bool] | None) -> tuple[list[Any], bool]:
        """The sort columns (the last one unique) and whether they run descending: `order`'s column then the
        id, else the list's own order, else newest first."""
        model: Any = self.model
        if order is not None:
            return [getattr(model, order[0]), model.id], order[1]
        if not self.order_by:
            return [model.created_at, model.id], True
        first = self.order_by[0]
        descending = isinstance(first, UnaryExpression) and first.modifier is operators.desc_op
        return [o.element if isinstance(o, UnaryExpression) else o for o in self.order_by], descending

    async def list(
        self,
        session: AsyncSession,
        workspace_id: str,
        *,
        window: Slice,
        count: Callable[[], Awaitable[int]] | None = None,
        **filters: Any,
    ) -> Page:
        """One page in a stable order (keyset: after/before a row's sort key, so rows inserted or deleted
        meanwhile neither repeat nor skip rows), and how many rows the filters match: counted now, or by
        `count` when the total is asked for (a GraphQL page without totalCount needs no count)."""
        columns, descending = self.ordering(window.order)
        stmt = self.select(workspace_id, **filters)
        if window.after is not None:
            after = keyset_values(columns, window.after, "after")
            stmt = stmt.where(keyset_after(columns, after, descending=descending))
        if window.before is not None:
            before = keyset_values(columns, window.before, "before")
            stmt = stmt.where(keyset_after(columns, before, descending=not descending))
        backward = window.last
        order = [c.desc() if descending != backward else c.asc() for c in columns]
        stmt = stmt.order_by(*order).limit(window.limit + 1).offset(window.offset)
        only = None if window.columns is None else window.columns | {"id", *(c.key for c in columns)}
        rows = await read_rows(session, stmt, self.model, only)
        more, rows = len(rows) > window.limit, rows[: window.limit]
        if backward:
            rows.reverse()
        return Page(
            rows=rows,
            total=count if count is not None else await self.count(session, workspace_id, **filters),
            offset=window.offset,
            limit=window.limit,
            keys=[tuple(getattr(row, c.key) for c in columns) for row in rows],
            more_after=window.before is not None if backward else more,
            more_before=more if backward else (window.after is not None or window.offset > 0),
        )

    async def count(self, session: AsyncSession, workspace_id: str, **filters: Any) -> int:
        if not any(self._active(name, value) for name, value in filters.items()):
            params = {"workspace_id": workspace_id}
            return (await driver.rows(session, self._count_all(), self._count_all_query(), params))[0][0]
        stmt = self.select(workspace_id, **filters).order_by(None).subquery()
        return (await session.execute(select(func.count()).select_from(stmt))).scalar_one()

    @staticmethod
    def _active(name: str, value: Any) -> bool:
        """Whether a filter's value filters (None, an empty list or an empty search does not)."""
        return not (value is None or value == [] or (name == "search" and not value))

    @cache  # noqa: B019 -- one statement per repository, and repositories live as long as the process
    def _count_all(self) -> Select:
        """The count of a workspace's rows, built once (see `_linked_ids_statement`)."""
        model: Any = self.model
        return select(func.count()).select_from(model).where(model.workspace_id == bindparam("workspace_id"))

    @cache  # noqa: B019 -- as _count_all
    def _count_all_query(self) -> driver.DriverQuery:
        return driver.DriverQuery.compile(self._count_all())

    async def first(self, session: AsyncSession, workspace_id: str, *where: Any, exclude_id: str | None = None) -> M | None:
        """A row of this workspace matching `where` (but `exclude_id`), e.g. the tag that has a name."""
        model: Any = self.model
        stmt = select(model).where(model.workspace_id == workspace_id, *where)
        if exclude_id is not None:
            stmt = stmt.where(model.id != exclude_id)
        return (await session.execute(stmt)).scalars().first()

    async def by_ids(self, session: AsyncSession, workspace_id: str, ids: Iterable[str]) -> dict[str, M]:
        return await by_ids(session, self.model, workspace_id, ids)

    async def delete(self, session: AsyncSession, workspace_id: str, id_: str) -> bool:
        """Whether there was such a row; what hangs off it goes with it (FK cascades)."""
        model: Any = self.model
        result: Any = await session.execute(delete(model).where(model.id == id_, model.workspace_id == workspace_id))
        return result.rowcount > 0


async def by_ids(session: AsyncSession, model: type[M], workspace_id: str, ids: Iterable[str]) -> dict[str, M]:
    """Rows of this workspace by id, as ORM instances (a job that reads before it writes)."""
    ids = list(set(ids))
    if not ids:
        return {}
    return {row.id: row for row in (await session.execute(_with_ids(model, workspace_id, ids))).scalars()}


async def read_by_ids(session: AsyncSession, model: type[Any], workspace_id: str, ids: Iterable[str]) -> dict[str, Any]:
    """Rows of this workspace by id, as read rows: the `<thing>_by_id` loaders and `node`."""
    ids = list(set(ids))
    if not ids:
        return {}
    return {row.id: row for row in await read_rows(session, _with_ids(model, workspace_id, ids), model)}


def _with_ids(model: Any, workspace_id: str, ids: list[str]) -> Select:
    return select(model).where(model.id.in_(ids), model.workspace_id == workspace_id)


async def by_key(
    session: AsyncSession,
    model: type[M],
    key: Any,
    workspace_id: str,
    keys: Iterable[str],
    order_by: Sequence[Any] = (),
) -> dict[str, list[M]]:
    """Rows grouped by a foreign-key column, e.g. features by product id, as ORM instances (for jobs)."""
    table: Any = model
    stmt = select(key, table).where(table.workspace_id == workspace_id).order_by(*order_by)
    return await _grouped(session, stmt, key, keys)


async def read_by_key(
    session: AsyncSession, model: type[Any], key: Any, workspace_id: str, keys: Iterable[str], order_by: Sequence[Any] = ()
) -> dict[str, list[Any]]:
    """`by_key` as read rows: the child loaders (a product's features, an account's contacts)."""
    table: Any = model
    stmt = select(key, *read_row(model)._columns).where(table.workspace_id == workspace_id).order_by(*order_by)
    return await _grouped_rows(session, stmt, key, keys, model)


@dataclass(frozen=True)
class Link:
    """A many-to-many link table seen from one side: `from_col` holds our id, `to_col` the other's."""

    table: type[SQLModel]
    from_col: str
    to_col: str

    @classmethod
    def of(cls, table: type[SQLModel]) -> Link:
        """The link table seen from the side of its first key column (`SignalInsight`: signal → insight)."""
        from_col, to_col = (column.name for column in table.__table__.primary_key.columns)  # type: ignore[attr-defined]
        return cls(table, from_col, to_col)

    def reversed(self) -> Link:
        return Link(self.table, self.to_col, self.from_col)


async def linked_ids(session: AsyncSession, link: Link, workspace_id: str, keys: Iterable[str]) -> dict[str, list[str]]:
    """The ids linked to each key, in a stable order."""
    grouped: dict[str, list[str]] = defaultdict(list)
    wanted = list(set(keys))
    if wanted:
        params = {"workspace_id": workspace_id, "keys": wanted}
        for key, value in await driver.rows(session, _linked_ids_statement(link), _linked_ids_query(link), params):
            grouped[key].append(value)
    return grouped


@cache
def _linked_ids_statement(link: Link, *, keys_as_array: bool = False) -> Select:
    """linked_ids' statement, built once per link with its values as parameters: a REST page sends three
    of them, and building one (and its cache key, which SQLAlchemy memoises on the statement) cost more
    CPU than executing it (bench/README.md "Statements built once"). The keys are an IN list, or for
    asyncpg one array (`= ANY`), so that its SQL is the same for any number of keys."""
    t, from_col, to_col = link.table, getattr(link.table, link.from_col), getattr(link.table, link.to_col)
    keys = (
        from_col == any_(bindparam("keys", type_=ARRAY(String)))
        if keys_as_array
        else from_col.in_(bindparam("keys", expanding=True))
    )
    return select(from_col, to_col).where(t.workspace_id == bindparam("workspace_id"), keys).order_by(
        *_link_order(link), to_col
    )


@cache
def _linked_ids_query(link: Link) -> driver.DriverQuery:
    return driver.DriverQuery.compile(_linked_ids_statement(link, keys_as_array=True))


async def linked_rows(
    session: AsyncSession, link: Link, target: type[Any], workspace_id: str, keys: Iterable[str]
) -> dict[str, list[Any]]:
    """The rows linked to each key, in one statement (a join through the link table), as read rows."""
    t, from_col, to_col = link.table, getattr(link.table, link.from_col), getattr(link.table, link.to_col)
    model: Any = target
    stmt = (
        select(from_col, *read_row(target)._columns)
        .select_from(t)
        .join(model, model.id == to_col)
        .where(t.workspace_id == workspace_id, model.workspace_id == workspace_id)
        .order_by(*_link_order(link), model.created_at, model.id)
    )
    return await _grouped_rows(session, stmt, from_col, keys, target)


async def _grouped(session: AsyncSession, stmt: Select, key: Any, keys: Iterable[str]) -> dict[str, list[Any]]:
    """`stmt` selects (key, value) pairs: the values of each of `keys`, in the statement's order."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    wanted = list(set(keys))
    if wanted:
        for k, value in (await session.execute(stmt.where(key.in_(wanted)))).all():
            grouped[k].append(value)
    return grouped


async def _grouped_rows(
    session: AsyncSession, stmt: Select, key: Any, keys: Iterable[str], model: type[SQLModel]
) -> dict[str, list[Any]]:
    """`stmt` selects the key, then `model`'s columns: the read rows of each of `keys`, in order."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    wanted = list(set(keys))
    if wanted:
        make = read_row(model)._make
        for row in await session.execute(stmt.where(key.in_(wanted))):
            grouped[row[0]].append(make(row[1:]))
    return grouped


def _link_order(link: Link) -> list[Any]:
    position = getattr(link.table, "position", None)
    return [position] if position is not None else []


async def replace_links(
    session: AsyncSession, link: Link, workspace_id: str, key: str, other_ids: Sequence[str]
) -> bool:
    """Make `key`'s links exactly `other_ids` (in order, duplicates dropped); whether that changed them
    (links that are already those, in that order where they have one, are left alone)."""
    t = link.table
    wanted = list(dict.fromkeys(other_ids))
    if await links_are(session, link, workspace_id, key, wanted):
        return False
    await session.execute(
        delete(t).where(getattr(t, link.from_col) == key, t.workspace_id == workspace_id)
    )
    await add_links(session, link, workspace_id, key, wanted)
    return True


async def links_are(session: AsyncSession, link: Link, workspace_id: str, key: str, other_ids: Sequence[str]) -> bool:
    """Whether `key`'s links are `other_ids` already (duplicates aside; in that order, where they have one)."""
    wanted = list(dict.fromkeys(other_ids))
    current = (await linked_ids(session, link, workspace_id, [key])).get(key, [])
    return current == wanted or (not hasattr(link.table, "position") and set(current) == set(wanted))


async def add_links(
    session: AsyncSession, link: Link, workspace_id: str, key: str, other_ids: Sequence[str]
) -> None:
    """Add links that are not there yet. Idempotent under concurrency: a link a concurrent transaction
    wrote meanwhile (the insight's list and the opportunity's list naming each other) is left as it is,
    never a unique violation (INSERT … ON CONFLICT DO NOTHING on both databases)."""
    if not other_ids:
        return  # nothing to add: not even the read of what is there
    existing = set((await linked_ids(session, link, workspace_id, [key])).get(key, []))
    rows = []
    for other in dict.fromkeys(other_ids):
        if other in existing:
            continue
        row = {link.from_col: key, link.to_col: other, "workspace_id": workspace_id}
        if hasattr(link.table, "position"):
            row["position"] = len(existing) + len(rows)
        rows.append(row)
    if rows:
        await session.execute(insert_ignoring_duplicates(session, link.table), rows)


def insert_ignoring_duplicates(session: AsyncSession, table: type[SQLModel]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING, in the dialect of the session's database."""
    bind: Any = session.bind
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


async def existing_ids(session: AsyncSession, model: type[SQLModel], workspace_id: str, ids: Iterable[str]) -> set[str]:
    """Which of these ids are rows of this workspace: used to refuse links to missing or foreign rows.

    They are kept from being deleted until the transaction ends (PostgreSQL), so the links can be written.
    """
    ids = list(set(ids))
    if not ids:
        return set()
    stmt = (
        select(model.id)
        .where(model.id.in_(ids), model.workspace_id == workspace_id)
        .with_for_update(read=True, key_share=True)
    )
    return set((await session.execute(stmt)).scalars())


async def count_by(
    session: AsyncSession, column: Any, workspace_id: str, keys: Iterable[str], *where: Any
) -> dict[str, int]:
    """How many rows have each key in `column`, e.g. insights per product."""
    keys = list(set(keys))
    if not keys:
        return {}
    table = column.class_
    stmt = (
        select(column, func.count())
        .where(column.in_(keys), table.workspace_id == workspace_id, *where)
        .group_by(column)
    )
    return {key: n for key, n in (await session.execute(stmt)).all()}


# -- small lists under a parent (an account's contacts, a product's features) ----------------------
async def child(
    session: AsyncSession, parent_column: Any, workspace_id: str, parent_id: str, id_: str, *, lock: bool = True
) -> Any | None:
    """The row with this id, only if it is under this parent (`parent_column`, e.g. `Contact.account_id`)
    in this workspace; locked as `get` locks, unless `lock` is False (a read)."""
    table = parent_column.class_
    stmt = select(table).where(table.id == id_, parent_column == parent_id, table.workspace_id == workspace_id)
    if lock:
        stmt = stmt.with_for_update(key_share=True)
    return (await session.execute(stmt)).scalars().first()


async def delete_child(session: AsyncSession, parent_column: Any, workspace_id: str, parent_id: str, id_: str) -> bool:
    """Delete the row with this id if it is under this parent; whether there was one."""
    table = parent_column.class_
    result = await session.execute(
        delete(table).where(table.id == id_, parent_column == parent_id, table.workspace_id == workspace_id)
    )
    return bool(result.rowcount)


# -- has-many relations a page at a time ----------------------------------------------------------
@dataclass(frozen=True)
class Related:
    """A has-many relation seen from the parent: the `target` rows linked to a parent's id through a link
    table (`link`), or whose foreign-key column `column` holds it. Its order is the link's position (where
    the link table keeps one), then the target's `created_at` and `id`: oldest first, stable."""

    target: type[SQLModel]
    link: Link | None = None
    column: str | None = None

    def parts(self, workspace_id: Any) -> tuple[Select, Any, list[Any]]:
        """(the rows of this workspace with their parent key, the parent key, the sort key columns);
        `workspace_id` is the id or a bind parameter for it."""
        model: Any = self.target
        if self.link is None:
            key = getattr(model, self.column or "")
            return select(model).where(model.workspace_id == workspace_id), key, [model.created_at, model.id]
        t: Any = self.link.table
        key = getattr(t, self.link.from_col)
        stmt = (
            select(model)
            .select_from(t)
            .join(model, model.id == getattr(t, self.link.to_col))
            .where(t.workspace_id == workspace_id, model.workspace_id == workspace_id)
        )
        return stmt, key, [*_link_order(self.link), model.created_at, model.id]


def keyset_values(columns: Sequence[Any], values: Sequence[Any], argument: str) -> tuple[Any, ...]:
    """A cursor's sort key (JSON values) as the typed values of `columns`; anything else is InvalidInput."""
    message = f"{argument} is not a valid cursor"
    if len(values) != len(columns):
        raise InvalidInput(message, field=argument)
    typed = []
    for column, value in zip(columns, values):
        kind = getattr(column.type, "impl_instance", column.type).python_type  # a TypeDecorator's own type
        if kind is datetime and isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                raise InvalidInput(message, field=argument) from None
        if value is not None and not (isinstance(value, kind) and not isinstance(value, bool)):
            raise InvalidInput(message, field=argument)
        if isinstance(value, int) and not -(2**31) <= value < 2**31:  # no integer column holds more
            raise InvalidInput(message, field=argument)
        typed.append(value)
    return tuple(typed)


def keyset_after(columns: Sequence[Any], values: Sequence[Any], *, descending: bool = False) -> ColumnElement[bool]:
    """Rows strictly after `values` (values, or bind parameters) in the order of `columns` (all ascending,
    or all descending)."""
    left = tuple_(*columns)
    right = tuple_(*(v if isinstance(v, BindParameter) else literal(v, type_=c.type) for c, v in zip(columns, values)))
    return left < right if descending else left > right


async def related_page(
    session: AsyncSession,
    related: Related,
    workspace_id: str,
    keys: Iterable[str],
    *,
    limit: int,
    after: Sequence[Any] | None = None,
    columns: frozenset[str] | None = None,
) -> dict[str, list[tuple[tuple[Any, ...], Any]]]:
    """Up to `limit + 1` read rows of each parent (the extra one says there is a next page) after the sort
    key `after`, each with its sort key: one statement for every parent, numbering each parent's rows with
    ROW_NUMBER() OVER (PARTITION BY parent ORDER BY the sort key). `columns`: only these columns of the rows
    (with `id` and `created_at`, their sort key), where the reader needs no others; None for all."""
    grouped: dict[str, list[tuple[tuple[Any, ...], Any]]] = defaultdict(list)
    wanted = list(set(keys))
    if not wanted:
        return grouped
    only = None if columns is None else columns | {"id", "created_at"}
    stmt = _related_page_statement(related, after is not None, only)
    values = {"workspace_id": workspace_id, "keys": wanted, "sg_limit": limit + 1}
    values |= {f"sg_after{i}": value for i, value in enumerate(after or ())}
    cls = read_row(related.target, only)
    make, width = cls._make, len(cls._fields)
    for row in await session.execute(stmt, values):
        target = make(row[1 : width + 1])
        grouped[row[0]].append(((*row[width + 1 :], target.created_at, target.id), target))
    return grouped


@lru_cache(maxsize=MAX_ROW_CLASSES)  # keyed by column sets too (see rows.MAX_ROW_CLASSES)
def _related_page_statement(related: Related, keyset: bool, only: frozenset[str] | None) -> Select:
    """related_page's statement, built once per relation (and whether it starts after a cursor), its values
    as parameters (`workspace_id`, `keys`, `sg_limit`, `sg_after<i>`): a nested query sends one per level,
    and building it (the subquery's columns, its cache key) cost more CPU than SQLite took to run it
    (bench/README.md, "CPU: the nested query's relation connections")."""
    stmt, key, order = related.parts(bindparam("workspace_id"))
    row = read_row(related.target, only)
    stmt = stmt.with_only_columns(*row._columns).where(key.in_(bindparam("keys", expanding=True)))
    if keyset:
        stmt = stmt.where(keyset_after(order, [bindparam(f"sg_after{i}", type_=c.type) for i, c in enumerate(order)]))
    extra = [c for c in order if c.class_ is not related.target]  # sort columns of the link table
    number = func.row_number().over(partition_by=key, order_by=order).label("sg_row")
    inner = stmt.add_columns(key.label("sg_parent"), *(c.label(f"sg_sort{i}") for i, c in enumerate(extra)), number).subquery()
    fields = row._fields
    outer = (
        select(inner.c.sg_parent, *(inner.c[name] for name in fields), *(inner.c[f"sg_sort{i}"] for i in range(len(extra))))
        .where(inner.c.sg_row <= bindparam("sg_limit"))
        .order_by(inner.c.sg_parent, inner.c.sg_row)
    )
    return outer


async def related_counts(session: AsyncSession, related: Related, workspace_id: str, keys: Iterable[str]) -> dict[str, int]:
    """How many rows each parent has in the relation, in one statement."""
    wanted = list(set(keys))
    if not wanted:
        return {}
    stmt, key, _ = related.parts(workspace_id)
    counted = stmt.with_only_columns(key, func.count()).where(key.in_(wanted)).group_by(key)
    return {parent: n for parent, n in (await session.execute(counted)).all()}
