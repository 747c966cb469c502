"""SQLite statements go to aiosqlite's thread once each (storage/sqlite_cursor.py), and answer what
SQLAlchemy's own cursor answered: rows, row counts, the last row id, errors as SQLAlchemy raises them."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from signalgraph.storage.engine import Database


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'cursor.db'}")
    async with database.write() as session:
        await session.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)"))
    yield database
    await database.dispose()


async def hand_offs(session) -> list[object]:
    """The calls put on the session's aiosqlite connection's queue from now on."""
    connection = await session.connection()
    aiosqlite_connection = (await connection.get_raw_connection()).driver_connection
    queue = aiosqlite_connection._tx
    calls: list[object] = []
    put = queue.put_nowait

    class Counting:
        def put_nowait(self, item):
            calls.append(item)
            put(item)

        def __getattr__(self, name):
            return getattr(queue, name)

    aiosqlite_connection._tx = Counting()
    return calls


async def test_a_statement_is_one_hand_off_with_its_rows_count_and_last_row_id(db):
    async with db.write() as session:
        calls = await hand_offs(session)
        inserted = await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        assert (inserted.rowcount, inserted.lastrowid) == (1, 1)
        many = await session.execute(text("INSERT INTO t (name) VALUES (:name)"), [{"name": "b"}, {"name": "c"}])
        assert many.rowcount == 2
        rows = await session.execute(text("SELECT id, name FROM t ORDER BY id"))
        assert [tuple(r) for r in rows] == [(1, "a"), (2, "b"), (3, "c")]
        assert list(rows.keys()) == ["id", "name"]
        updated = await session.execute(text("UPDATE t SET name = name || '!' WHERE id > 1"))
        assert updated.rowcount == 2
        assert len(calls) == 4


async def test_errors_are_sqlalchemys_and_the_connection_goes_on(db):
    async with db.write() as session:
        await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        with pytest.raises(IntegrityError):
            async with session.begin_nested():
                await session.execute(text("INSERT INTO t (name) VALUES ('a')"))
        with pytest.raises(OperationalError):
            await session.execute(text("SELECT nothing FROM nowhere"))
    async with db.read() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1


async def test_a_streamed_result_still_reads_as_it_goes(db):
    async with db.write() as session:
        await session.execute(text("INSERT INTO t (name) VALUES (:name)"), [{"name": str(n)} for n in range(50)])
    async with db.read() as session:
        streamed = await session.stream(text("SELECT name FROM t ORDER BY id"))
        assert [row[0] async for row in streamed] == [str(n) for n in range(50)]
