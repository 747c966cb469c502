"""Migrations build the whole schema from empty, one revision at a time, on SQLite and PostgreSQL, and
match the models; revisions once written never change and import no model code; `make migration`
writes the next revision from the models."""

from __future__ import annotations

import ast
import asyncio
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import DateTime, inspect, text
from sqlalchemy.dialects import postgresql, sqlite

from signalgraph.storage.engine import Database
from signalgraph.storage.migrate import (
    MIGRATIONS_DIR,
    alembic_config,
    current_revision,
    head_revision,
    include_object,
    new_revision,
    revisions_in_order,
    upgrade_async,
)
from signalgraph.storage.models import metadata
from signalgraph.storage.models.base import UTCDateTime

VERSIONS = MIGRATIONS_DIR / "versions"
# Databases created under these exact files exist: they must never change again (issue 8).
FROZEN = {
    "0001_initial_schema.py": "ce27afe74ae597dc058ddda9c9440fa4e2fa3d035d860e41d7465aa2a3538e30",
    "0002_context_search.py": "168ac535c600923b21fff6d76fb743e4ae5d26632ff83e0bf461a83dfbd49707",
}
# 0001 was generated while the template imported the models, and is frozen as it is: its one use of
# model code is the UTCDateTime column type, whose DDL test_utc_datetime_ddl_is_fixed pins.
MODEL_CODE_ALLOWED = {"0001_initial_schema.py": {"signalgraph.storage.models.base"}}


async def schema_differences(database_url: str) -> list:
    db = Database(database_url)
    try:
        async with db.engine.connect() as conn:
            def diff(sync_conn):
                context = MigrationContext.configure(
                    sync_conn, opts={"compare_type": True, "include_object": include_object}
                )
                return compare_metadata(context, metadata)

            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
            differences = await conn.run_sync(diff)
    finally:
        await db.dispose()
    assert set(metadata.tables) <= tables
    return differences


async def revision_of(database_url: str) -> str | None:
    db = Database(database_url)
    try:
        return await current_revision(db.engine)
    finally:
        await db.dispose()


async def test_migrated_database_is_at_head_and_matches_the_models(database_url):
    """`database_url` is a copy of the database the fixtures migrated from empty with Alembic."""
    assert await revision_of(database_url) == head_revision(database_url)
    differences = await schema_differences(database_url)
    assert differences == [], f"models and migrations differ; add a revision with `make migration`: {differences}"


async def test_upgrade_from_empty_one_revision_at_a_time_matches_the_models(empty_database_url):
    revisions = revisions_in_order()
    assert revisions[:2] == ["0001", "0002"]
    for revision in revisions:
        applied = await upgrade_async(empty_database_url, revision)
        assert [line.split()[0] for line in applied] == [revision]
        assert await revision_of(empty_database_url) == revision
    assert await upgrade_async(empty_database_url) == []  # at head: nothing more to apply
    assert await schema_differences(empty_database_url) == []


async def test_head_revision_downgrades_and_upgrades_again(empty_database_url):
    head, previous = revisions_in_order()[-1], revisions_in_order()[-2]
    await upgrade_async(empty_database_url)

    await _downgrade(empty_database_url, previous)
    assert await revision_of(empty_database_url) == previous

    applied = await upgrade_async(empty_database_url)
    assert [line.split()[0] for line in applied] == [head]
    assert await revision_of(empty_database_url) == head
    assert await schema_differences(empty_database_url) == []


SOURCES = [
    {"signalId": "s1", "signalPublicId": "SIGNAL-1", "findingKey": "feature_request:dark mode", "kind": "feature_request",
     "name": "Dark mode", "evidence": [{"quote": "please add a dark mode"}]},
    {"signalId": "s2", "signalPublicId": "SIGNAL-2", "findingKey": "feature_request:dark mode", "kind": "feature_request",
     "name": "dark mode", "evidence": [{"quote": "a dark theme"}]},
]
MERGED = {"signalId": "s1", "signalPublicId": "SIGNAL-1", "extractor": "local", "evidence": SOURCES[0]["evidence"],
          "sources": SOURCES}
LEGACY = {"signalId": "s3", "signalPublicId": "SIGNAL-3", "extractor": "local", "evidence": [{"quote": "it crashes"}]}


async def test_0007_moves_insight_sources_into_rows_and_back(empty_database_url):
    """Each extracted insight's `provenance.sources` becomes rows of `insight_sources`, in order (one written
    before merging existed gets the one source its provenance describes); the downgrade puts them back."""
    await upgrade_async(empty_database_url, "0006")
    db = Database(empty_database_url)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'W', CURRENT_TIMESTAMP)"))
            for id_, name, provenance in (("merged", "Dark mode", MERGED), ("legacy", "Crash", LEGACY), ("hand", "Mine", None)):
                await conn.execute(
                    text("INSERT INTO insights (id, workspace_id, name, description, status, external_links, "
                         "classifications, provenance, finding_key, created_at, updated_at) VALUES (:id, 'w', :name, "
                         "'About it.', 'draft', '[]', :classifications, :provenance, 'bug:crash', CURRENT_TIMESTAMP, "
                         "CURRENT_TIMESTAMP)"),
                    {"id": id_, "name": name, "provenance": None if provenance is None else json.dumps(provenance),
                     "classifications": json.dumps({"kind": "bug", "sentiment": "negative", "severity": "high"})},
                )
        await upgrade_async(empty_database_url, "0007")
        async with db.engine.connect() as conn:
            rows = (await conn.execute(text("SELECT insight_id, signal_id, source FROM insight_sources ORDER BY id"))).all()
            provenance = dict((await conn.execute(text("SELECT id, provenance FROM insights"))).all())
        legacy_source = {"signalId": "s3", "signalPublicId": "SIGNAL-3", "findingKey": "bug:crash", "extractor": "local",
                         "kind": "bug", "name": "Crash", "description": "About it.", "sentiment": "negative",
                         "severity": "high", "type": None, "evidence": LEGACY["evidence"]}
        assert [(i, s, _json(source)) for i, s, source in rows] == [
            ("legacy", "s3", legacy_source), ("merged", "s1", SOURCES[0]), ("merged", "s2", SOURCES[1]),
        ]
        assert {i: _json(p) for i, p in provenance.items()} == {
            "merged": {k: v for k, v in MERGED.items() if k != "sources"}, "legacy": LEGACY, "hand": None,
        }

        await _downgrade(empty_database_url, "0006")
        async with db.engine.connect() as conn:
            provenance = dict((await conn.execute(text("SELECT id, provenance FROM insights"))).all())
        assert {i: _json(p) for i, p in provenance.items()} == {
            "merged": MERGED, "legacy": {**LEGACY, "sources": [legacy_source]}, "hand": None,
        }
    finally:
        await db.dispose()


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


async def _downgrade(database_url: str, revision: str) -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), revision)


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_frozen_revisions_are_byte_identical(name):
    assert hashlib.sha256((VERSIONS / name).read_bytes()).hexdigest() == FROZEN[name], (
        f"{name} changed; revisions already applied somewhere never change: add a new one with `make migration`"
    )


def _model_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    return {name for name in names if name.split(".")[0] == "signalgraph"}


@pytest.mark.parametrize("path", sorted(VERSIONS.glob("*.py")), ids=lambda p: p.name)
def test_revisions_import_no_model_code(path):
    assert _model_imports(path) <= MODEL_CODE_ALLOWED.get(path.name, set())
    if path.name in MODEL_CODE_ALLOWED:
        used = {node.attr for node in ast.walk(ast.parse(path.read_text()))
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute)
                and ast.unparse(node.value) == "signalgraph.storage.models.base"}
        assert used == {"UTCDateTime"}


def test_the_revision_template_imports_no_model_code():
    assert "signalgraph" not in (MIGRATIONS_DIR / "script.py.mako").read_text().split('"""')[2]


def test_utc_datetime_ddl_is_fixed():
    """What 0001 created with UTCDateTime: a plain timezone-aware timestamp on both databases."""
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        assert UTCDateTime(timezone=True).compile(dialect=dialect) == DateTime(timezone=True).compile(dialect=dialect)
    assert UTCDateTime.__module__ == "signalgraph.storage.models.base"


async def test_make_migration_writes_the_next_revision_without_model_code(tmp_path, empty_database_url):
    """Given a copy of the migrations whose first revision lacks two api_keys columns of the models (a
    timestamp and a JSON column), `make migration` writes the next number on top of the head, adding
    them in plain SQLAlchemy; the result upgrades an empty database to exactly the models."""
    scripts = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    first = scripts / "versions" / "0001_initial_schema.py"
    source = first.read_text()
    for column in ("'last_used_at'", "'scopes'"):
        [line] = [line for line in source.splitlines(keepends=True) if f"sa.Column({column}" in line]
        source = source.replace(line, "")
    first.write_text(source)
    head_before = ScriptDirectory(str(scripts)).get_current_head()

    path = await asyncio.to_thread(new_revision, "key columns", scripts)

    assert path is not None and path.name == f"{int(head_before) + 1:04d}_key_columns.py"
    written = path.read_text()
    assert f"down_revision = '{head_before}'" in written
    assert "signalgraph" not in written
    assert "sa.DateTime(timezone=True)" in written and "postgresql.JSONB(astext_type=sa.Text())" in written
    assert await asyncio.to_thread(new_revision, "nothing more", scripts) is None  # at head, the models match: no empty revision

    config = alembic_config(empty_database_url, scripts)
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await schema_differences(empty_database_url) == []


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
