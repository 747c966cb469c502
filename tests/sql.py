"""Counting the SQL a request costs, for the no-N+1 tests; seeding many rows at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import orjson
from sqlalchemy import JSON, event, insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import SQLModel

# Set while tests/executors.py executes a query again to compare the executors: not the request's cost.
not_counted: ContextVar[bool] = ContextVar("not_counted", default=False)


@contextmanager
def counting_selects(engine: AsyncEngine) -> Iterator[list[str]]:
    """Collect the SELECT statements the engine runs (BEGIN/COMMIT bookkeeping is not a query). The key
    lookup is left out: a process keeps a key for SIGNALGRAPH_KEY_CACHE_SECONDS, so whether a request reads
    it depends on when the request before it did (tests/test_auth.py covers it), not on the query."""
    statements: list[str] = []

    def on_execute(conn, cursor, statement, parameters, context, executemany):
        if not_counted.get() or "FROM api_keys" in statement:
            return
        if statement.lstrip().upper().startswith(("SELECT", "(SELECT", "WITH")):
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", on_execute)


async def bulk_insert(session: AsyncSession, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (column → value, the same columns in each) into the model's table: with COPY on
    PostgreSQL (tens of thousands of rows in a few seconds rather than a dozen), with one executemany
    elsewhere."""
    table = model.__table__  # type: ignore[attr-defined]
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        await session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    json_columns = {name for name in columns if isinstance(table.c[name].type, JSON)}  # JSONB is a JSON
    records = [
        tuple(orjson.dumps(row[name]).decode() if name in json_columns else row[name] for name in columns)
        for row in rows
    ]
    driver = (await connection.get_raw_connection()).driver_connection
    await driver.copy_records_to_table(table.name, columns=columns, records=records)
