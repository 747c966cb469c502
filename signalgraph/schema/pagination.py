"""Connections: `nodes`, `edges { cursor node }`, `pageInfo`, `totalCount`, paged by first/after,
last/before or (for the REST layer) offset, sorted by `orderBy`.

A keyset cursor is the row's position in the sort order, its sort key (the sort column, then the id), as
opaque base64 of a JSON list: a page that starts after it neither skips nor repeats rows when rows are
inserted or deleted between requests.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Generic, TypeVar

import strawberry

from ..errors import InvalidInput
from ..scopes import Scope
from ..storage.repositories.base import Page, Slice

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@strawberry.type(description="Where a page sits in its list, and the cursors to continue from.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="The cursor of the page's first item; null when the page is empty.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item, to pass as `after` for the next page; null when the page is empty."
    )


@strawberry.type
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Opaque: pass it as `after` to continue the list after this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type
class Connection(Generic[T]):
    """A page of rows. Cursors are encoded only when asked for (`edges`, `pageInfo`): a nested query
    that reads `nodes` pages thousands of rows and needs none of them."""

    nodes: list[T] = strawberry.field(description="The items of the page, in order.")
    keys: strawberry.Private[Sequence[Sequence[Any]]]  # each row's sort key, which its cursor encodes
    has_next: strawberry.Private[bool]
    has_previous: strawberry.Private[bool]
    total: strawberry.Private[int | Callable[[], Awaitable[int]]]

    @strawberry.field(description="The items of the page with their cursors, in order.")
    def edges(self) -> list[Edge[T]]:
        return [Edge(cursor=encode_key(key), node=row) for key, row in zip(self.keys, self.nodes)]

    @strawberry.field(description="Whether more items follow, and the cursors to ask for them.")
    def page_info(self) -> PageInfo:
        return PageInfo(
            has_next_page=self.has_next,
            has_previous_page=self.has_previous,
            start_cursor=encode_key(self.keys[0]) if self.keys else None,
            end_cursor=encode_key(self.keys[-1]) if self.keys else None,
        )

    @strawberry.field(description="How many items the whole list has (every page), with the filter applied.")
    async def total_count(self) -> int:
        return self.total if isinstance(self.total, int) else await self.total()

    @classmethod
    def from_page(cls, page: Page) -> Connection[T]:
        return cls(
            nodes=list(page.rows), keys=page.keys, has_next=page.has_next, has_previous=page.has_previous,
            total=page.total,
        )


@strawberry.enum(description="Which way a list runs.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("asc", description="Smallest (oldest) first.")
    DESC = strawberry.enum_value("desc", description="Largest (newest) first.")


@strawberry.enum(description="The indexed columns a list can be sorted by; the id breaks ties.")
class OrderField(Enum):
    CREATED_AT = strawberry.enum_value("created_at", description="When the item was created.")
    UPDATED_AT = strawberry.enum_value("updated_at", description="When the item last changed.")


_ORDERS: dict[str, type] = {}


def order_input(name: str) -> type:
    """`<name>Order`, the `orderBy` argument of a list of `name`s (one type per list, the same fields)."""
    if name not in _ORDERS:
        namespace = {
            "__annotations__": {"field": OrderField, "direction": OrderDirection},
            "field": strawberry.field(description="The column to sort by."),
            "direction": strawberry.field(default=OrderDirection.DESC, description="Which way; newest first by default."),
        }
        made = type(f"{name}Order", (), namespace)
        _ORDERS[name] = strawberry.input(made, description=f"How to sort a list of {name} items.")
    return _ORDERS[name]


FIRST = "How many items to return from the start (or after `after`): 0 to 100, 20 when not given."
AFTER = "Return the items after this cursor (an edge's `cursor`, or `pageInfo.endCursor`)."
LAST = "How many items to return from the end (or before `before`): 0 to 100."
BEFORE = "Return the items before this cursor (an edge's `cursor`, or `pageInfo.startCursor`)."
OFFSET = "Skip this many items first (the REST layer's paging); not together with `after` or `before`."
ORDER_BY = "How to sort the list; the list's own order when not given."


def window(
    first: int | None,
    after: str | None,
    offset: int | None,
    last: int | None = None,
    before: str | None = None,
    order_by: Any = None,
) -> Slice:
    """Check the paging arguments: `first` or `last` 0..100, `offset` ≥ 0 and not with a cursor; the
    cursors are keyset cursors (a row's sort key), which the repository checks against its sort columns."""
    for name, value in (("after", after), ("before", before)):
        if value is not None and offset is not None:
            raise InvalidInput(f"offset cannot be combined with {name}: page by cursor or by offset", field="offset")
    if first is not None and last is not None:
        raise InvalidInput("first and last cannot be combined: page forward or backward", field="last")
    if offset is not None and offset < 0:
        raise InvalidInput("offset must not be negative", field="offset")
    if offset is not None and last is not None:
        raise InvalidInput("offset cannot be combined with last", field="offset")
    return Slice(
        limit=page_size(first if last is None else last, "first" if last is None else "last"),
        offset=offset or 0,
        after=None if after is None else decode_key(after, "after"),
        before=None if before is None else decode_key(before, "before"),
        last=last is not None,
        order=None if order_by is None else (order_by.field.value, order_by.direction is OrderDirection.DESC),
    )


def encode_key(key: Sequence[Any]) -> str:
    """A keyset cursor: the sort key of a row (datetimes as ISO-8601), opaque."""
    values = [v.isoformat() if isinstance(v, datetime) else v for v in key]
    return base64.urlsafe_b64encode(b"k:" + json.dumps(values, separators=(",", ":")).encode()).decode()


def decode_key(cursor: str, argument: str = "after") -> list[Any]:
    """The sort key a keyset cursor holds (checked against the sort columns by the repository)."""
    try:
        kind, _, body = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        values = json.loads(body)
    except ValueError:
        raise InvalidInput(f"{argument} is not a valid cursor", field=argument) from None
    if kind != "k" or not isinstance(values, list):
        raise InvalidInput(f"{argument} is not a valid cursor", field=argument)
    return values


def page_size(first: int | None, argument: str = "first") -> int:
    """`first` (or `last`) checked: 0..100, 20 when not given."""
    limit = DEFAULT_PAGE_SIZE if first is None else first
    if limit < 0 or limit > MAX_PAGE_SIZE:
        raise InvalidInput(f"{argument} must be between 0 and {MAX_PAGE_SIZE}", field=argument)
    return limit


@dataclass(frozen=True)
class RelationPages:
    """A has-many relation's connection, paged by `first`/`after`: `relation` names its list loader
    (`insights_by_signal_id`), `scope` guards it where it crosses into another resource. Its resolver
    (schema/resources.py `connection`), the prefetch and the planned executor page it the same way."""

    relation: str
    scope: Scope | None

    def window(self, loaders: Any, first: int | None, after: str | None, columns: frozenset[str] | None) -> tuple[Any, int]:
        """The page loader for these arguments and the columns its rows need (prefetch.row_columns), and the
        page's size (InvalidInput for a bad `first` or cursor): the same arguments give the same loader for
        the whole request."""
        limit = page_size(first)
        key = None if after is None else loaders.page_key(self.relation, decode_key(after))
        return loaders.page(self.relation, limit, key, columns), limit

    def connection(
        self, loaders: Any, parent_id: str, found: list[Any], limit: int, after: str | None
    ) -> Connection[Any]:
        """The parent's page from what its page loader found ((sort key, row) pairs, up to `limit + 1`)."""
        rows = found[:limit]
        return Connection(
            nodes=[row for _, row in rows],
            keys=[sort for sort, _ in rows],
            has_next=len(found) > limit,
            has_previous=after is not None,
            total=lambda: loaders.count(self.relation).load(parent_id),
        )
