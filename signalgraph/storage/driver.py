"""Hot reads on PostgreSQL sent by asyncpg itself, without SQLAlchemy's execution of a statement.

SQLAlchemy's execution of one statement (its cache lookup, its cursor adapted to asyncpg, the greenlet hand-off,
its result) costs about 0.2 ms of CPU more than asyncpg's own `fetch` of the same SQL, on every statement. A
page of the REST insights list sends four statements of fixed text (the count and three link look-ups):
sent this way, the server's CPU a request fell by a quarter (bench/README.md, "Eighth round").

A `DriverQuery` is its SQLAlchemy statement compiled once for asyncpg, so that the SQL stays written once,
in SQLAlchemy. Only for reads of plain values (strings, numbers, arrays of them: no type that SQLAlchemy
converts), on the session's own connection (ours never autoflush, so nothing is flushed first either): in
the transaction SQLAlchemy began on it once it has sent a statement in it, else on its own, which for a
read at READ COMMITTED is the same. SQLite keeps SQLAlchemy's execution (`is_postgres`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler

_ASYNCPG = asyncpg_dialect()


@dataclass(frozen=True)
class DriverQuery:
    """PostgreSQL's SQL of a statement with $n placeholders, and the names of its parameters in their order."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def compile(cls, statement: ClauseElement) -> DriverQuery:
        compiled = cast(SQLCompiler, statement.compile(dialect=_ASYNCPG))
        return cls(str(compiled), tuple(compiled.positiontup or ()))


async def rows(
    session: AsyncSession, statement: Executable, query: DriverQuery, params: Mapping[str, Any]
) -> Sequence[Sequence[Any]]:
    """The rows of a read: on PostgreSQL `query` (`statement` compiled for asyncpg) sent by asyncpg, on SQLite
    `statement` executed by SQLAlchemy."""
    if is_postgres(session):
        return await fetch(session, query, params)
    return (await session.execute(statement, params)).all()


def is_postgres(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


async def fetch(session: AsyncSession, query: DriverQuery, params: Mapping[str, Any]) -> Sequence[Sequence[Any]]:
    """The rows of `query` (PostgreSQL only), sent on the session's connection by asyncpg."""
    connection = await session.connection()
    driver = (await connection.get_raw_connection()).driver_connection
    assert driver is not None
    return await driver.fetch(query.sql, *(params[name] for name in query.names))
