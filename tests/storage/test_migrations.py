"""Migrations build the whole schema from empty, on SQLite and PostgreSQL, and match the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from signalgraph.storage.engine import Database
from signalgraph.storage.migrate import current_revision, head_revision, include_object
from signalgraph.storage.models import metadata


async def test_migrated_database_is_at_head_and_matches_the_models(database_url):
    """`database_url` is a database the fixture migrated from empty with Alembic."""
    db = Database(database_url)
    try:
        assert await current_revision(db.engine) == head_revision(database_url)
        async with db.engine.connect() as conn:
            def diff(sync_conn):
                context = MigrationContext.configure(
                    sync_conn, opts={"compare_type": True, "include_object": include_object}
                )
                return compare_metadata(context, metadata)

            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
            differences = await conn.run_sync(diff)
        assert set(metadata.tables) <= tables
        assert differences == [], f"models and migrations differ; run `make migration`: {differences}"
    finally:
        await db.dispose()


async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    db = Database(database_url)
    try:
        async with db.read() as session:
            pragmas = {
                name: (await session.execute(text(f"PRAGMA {name}"))).scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
    finally:
        await db.dispose()
    assert pragmas["journal_mode"] == "wal"
    assert pragmas["foreign_keys"] == 1
    assert pragmas["busy_timeout"] >= 5000
