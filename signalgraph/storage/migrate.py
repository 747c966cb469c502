"""Alembic, driven from code: `signalgraph db upgrade`, `serve` on the embedded default, `make migration`."""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.autogenerate.api import AutogenContext
from alembic.config import Config
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import TypeDecorator

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave alone what migrations create outside the models (full-text index tables and their shadows)."""
    return not (type_ == "table" and reflected and compare_to is None)


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render column types as plain SQLAlchemy, so that a generated revision imports no model code and
    keeps meaning what it meant when it was written, whatever the models become."""
    if type_ != "type":
        return False
    if isinstance(obj, TypeDecorator):  # our UTCDateTime: the database sees only its impl
        return f"sa.{obj.impl_instance!r}"
    if isinstance(obj, JSONB):  # rendered against SQLite, the PostgreSQL variant would lose its `sa.`
        autogen_context.imports.add("from sqlalchemy.dialects import postgresql")
        return "postgresql.JSONB(astext_type=sa.Text())"
    return False


def alembic_config(database_url: str, script_location: Path = MIGRATIONS_DIR) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> list[str]:
    """Apply migrations up to `revision`; the revisions applied, oldest first, each as "<id> <message>".
    Synchronous: call it outside a running event loop."""
    config = alembic_config(database_url)
    applied: list[str] = []
    config.attributes["applied_revisions"] = applied
    command.upgrade(config, revision)
    return applied


async def upgrade_async(database_url: str, revision: str = "head") -> list[str]:
    return await asyncio.to_thread(upgrade, database_url, revision)


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def revisions_in_order(script_location: Path = MIGRATIONS_DIR) -> list[str]:
    """Every revision id from the first to the head."""
    script = ScriptDirectory(str(script_location))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync_conn: MigrationContext.configure(sync_conn).get_current_revision())


def new_revision(message: str, script_location: Path = MIGRATIONS_DIR) -> Path | None:
    """`make migration`: autogenerate the next numbered revision (down_revision = head) from the difference
    between the models and a scratch database upgraded to head. None when the models match the head."""
    if not message.strip():
        raise ValueError("a revision needs a message")
    script = ScriptDirectory(str(script_location))
    numbers = [int(rev.revision) for rev in script.walk_revisions() if re.fullmatch(r"\d+", rev.revision)]
    rev_id = f"{max(numbers, default=0) + 1:04d}"
    written: list[Path] = []

    def keep_only_changes(context: MigrationContext, revision: object, directives: list[MigrationScript]) -> None:
        migration = directives[0]
        if migration.upgrade_ops is not None and migration.upgrade_ops.is_empty():
            directives[:] = []

    with tempfile.TemporaryDirectory() as scratch:
        config = alembic_config(f"sqlite+aiosqlite:///{scratch}/head.db", script_location)
        command.upgrade(config, "head")
        result = command.revision(
            config, message=message, autogenerate=True, rev_id=rev_id, process_revision_directives=keep_only_changes
        )
    for rev in result if isinstance(result, list) else [result]:
        if rev is not None:
            written.append(Path(rev.path))
    return written[0] if written else None
