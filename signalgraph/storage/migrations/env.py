"""Alembic environment: runs migrations over the async engine of the configured URL."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

from signalgraph.storage.migrate import include_object, render_item
from signalgraph.storage.models import metadata  # autogenerate's target only: revisions never import models

config = context.config


def _record_applied(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
    """Collect "<id> <message>" of each revision applied, for `signalgraph db upgrade` to print."""
    applied = config.attributes.get("applied_revisions")
    if applied is not None and step.is_upgrade:
        applied.append(f"{step.up_revision_id} {step.up_revision.doc}")


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
        render_item=render_item,
        on_version_apply=_record_applied,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None, "storage.migrate.alembic_config sets the URL"
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async())


run()
