"""Connections: `nodes`, `edges { cursor node }`, `pageInfo`, `totalCount`, paged by first/after/offset."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Generic, TypeVar

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
    total_count: int

    @classmethod
    def from_page(cls, page: Page) -> Connection[T]:
        cursors = [encode_cursor(page.offset + i) for i in range(len(page.rows))]
        return cls(
            nodes=page.rows,
            edges=[Edge(cursor=c, node=row) for c, row in zip(cursors, page.rows)],
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.offset > 0,
                start_cursor=cursors[0] if cursors else None,
                end_cursor=cursors[-1] if cursors else None,
            ),
            total_count=page.total,
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
    limit = DEFAULT_PAGE_SIZE if first is None else first
    if limit < 0 or limit > MAX_PAGE_SIZE:
        raise InvalidInput(f"first must be between 0 and {MAX_PAGE_SIZE}", field="first")
    if offset is not None and offset < 0:
        raise InvalidInput("offset must not be negative", field="offset")
    start = offset or 0
    if after is not None:
        start = decode_cursor(after) + 1
    return Window(limit=limit, offset=start)
