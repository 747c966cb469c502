"""SQLite statements in one hand-off to aiosqlite's connection thread each, not four.

aiosqlite runs every call on a thread of the connection's own and hands its result back to the event loop.
SQLAlchemy's adapter makes four such calls per statement: open a cursor, execute, fetch the rows, close the
cursor. Each hand-off wakes the thread, then the loop, and each side waits for the GIL the other holds; on a
busy machine each is a wait for a core (bench/README.md, "One worker": a worker's writes held SQLite's one
writer's turn while they waited). Here a statement is one call that does all four in the thread and brings
back the rows, the description, the row count and the last row id, which the cursor then answers from.
Server-side cursors (`stream`) keep SQLAlchemy's own.
"""

from __future__ import annotations

import asyncio
import collections
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_


def _run(connection: Any, operation: str, parameters: Any, many: bool) -> tuple[Any, list[Any], int, int | None]:
    """In aiosqlite's thread: the statement from cursor to close."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHandOffCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's aiosqlite cursor, each statement one call in the connection's thread."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any):
        # No aiosqlite cursor (`_cursor`): each statement opens and closes its own in the thread.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._arraysize = 1
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None  # nothing open: the rows are here already

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        return self._statement(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        return self._statement(operation, seq_of_parameters, many=True)

    def _statement(self, operation: Any, parameters: Any, *, many: bool) -> Any:
        try:
            return await_(self._in_thread(operation, parameters, many=many))
        except Exception as error:  # noqa: BLE001 - re-raised by the adapter, as SQLAlchemy's own cursor does
            self._adapt_connection._handle_exception(error)

    async def _in_thread(self, operation: Any, parameters: Any, *, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            connection = self._connection
            # aiosqlite's own queue to its thread, as SQLAlchemy's adapter uses it to set the isolation level.
            future = asyncio.get_running_loop().create_future()
            connection._tx.put_nowait((future, lambda: _run(connection._conn, operation, parameters, many)))
            self._description, rows, self._rowcount, self._lastrowid = await future
            self._rows = collections.deque(rows)


def use_one_hand_off_cursors() -> None:
    """Make every aiosqlite connection of SQLAlchemy in this process use `OneHandOffCursor`."""
    AsyncAdapt_aiosqlite_connection._cursor_cls = OneHandOffCursor
