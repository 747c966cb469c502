"""Counting the SQL a request costs, for the no-N+1 tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# Set while tests/executors.py executes a query again to compare the executors: not the request's cost.
not_counted: ContextVar[bool] = ContextVar("not_counted", default=False)


@contextmanager
def counting_selects(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collect the SELECT statements the engine runs (BEGIN/COMMIT bookkeeping is not a query)."""
    statements: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if not_counted.get():
            return
        if statement.lstrip().upper().startswith(("SELECT", "(SELECT", "WITH")):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", on_execute)
