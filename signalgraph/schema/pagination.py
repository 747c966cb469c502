"""Connections: `nodes`, `edges { cursor node }`, `pageInfo`, `totalCount`, paged by first/after/offset.

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
from typing import Any, Generic, TypeVar

import strawberry
from graphql import GRAPHQL_MAX_INT

from ..errors import InvalidInput
from ..storage.repositories.base import Page

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
INVALID_CURSOR = "after is not a valid cursor"


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    nodes: list[T]
    edges: list[Edge[T]]
    page_info: PageInfo
    total: strawberry.Private[int | Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list has (every page).")
    async def total_count(self) -> int:
        return self.total if isinstance(self.total, int) else await self.total()

    @classmethod
    def from_page(cls, page: Page) -> Connection[T]:
        cursors = [encode_cursor(page.offset + i) for i in range(len(page.rows))]
        return cls.of(page.rows, cursors, has_next=page.has_next, has_previous=page.offset > 0, total=page.total)

    @classmethod
    def of(
        cls,
        rows: Sequence[Any],
        cursors: Sequence[str],
        *,
        has_next: bool,
        has_previous: bool,
        total: int | Callable[[], Awaitable[int]],
    ) -> Connection[T]:
        """A page of `rows` with their cursors; `total` is the count, or how to count when asked."""
        return cls(
            nodes=list(rows),
            edges=[Edge(cursor=c, node=row) for c, row in zip(cursors, rows)],
            page_info=PageInfo(
                has_next_page=has_next,
                has_previous_page=has_previous,
                start_cursor=cursors[0] if cursors else None,
                end_cursor=cursors[-1] if cursors else None,
            ),
            total=total,
        )


@dataclass(frozen=True)
class Window:
    limit: int
    offset: int


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"o:{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position after which a page starts: one an Int `offset` could name (more overflows SQL OFFSET)."""
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        position = int(number)
    except ValueError:
        raise InvalidInput(INVALID_CURSOR, field="after") from None
    if kind != "o" or not 0 <= position < GRAPHQL_MAX_INT:
        raise InvalidInput(INVALID_CURSOR, field="after")
    return position


def window(first: int | None, after: str | None, offset: int | None) -> Window:
    """Validate paging arguments: `first` 0..100, `offset` ≥ 0; `after` continues after a cursor."""
    limit = page_size(first)
    if offset is not None and offset < 0:
        raise InvalidInput("offset must not be negative", field="offset")
    start = offset or 0
    if after is not None:
        start = decode_cursor(after) + 1
    return Window(limit=limit, offset=start)


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


def page_size(first: int | None) -> int:
    """`first` checked: 0..100, 20 when not given."""
    limit = DEFAULT_PAGE_SIZE if first is None else first
    if limit < 0 or limit > MAX_PAGE_SIZE:
        raise InvalidInput(f"first must be between 0 and {MAX_PAGE_SIZE}", field="first")
    return limit
