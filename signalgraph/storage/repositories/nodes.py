"""Global object identification in storage: which table holds an id, then the rows, all in one workspace.

Ids stay the REST ids (UUIDs, which no two tables share; job ids are `<kind>:<target>:<n>`), so an id
carries no type. One statement finds the tables: a UNION ALL over the tables of the node types, each
part `SELECT '<Model>', id FROM <table> WHERE workspace_id = :ws AND id IN (:ids)` on its primary key; a
second statement per table found reads the rows. Another workspace's id matches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from . import base


async def kinds(
    session: AsyncSession, models: Sequence[type[SQLModel]], workspace_id: str, ids: Iterable[str]
) -> dict[str, type[SQLModel]]:
    """id → the model whose table holds it in this workspace, for the ids found."""
    wanted = sorted(set(ids))
    if not wanted or not models:
        return {}
    by_name = {model.__name__: model for model in models}
    parts = []
    for model in models:
        table: Any = model
        parts.append(
            select(literal_column(f"'{model.__name__}'").label("kind"), table.id.label("id")).where(
                table.workspace_id == workspace_id, table.id.in_(wanted)
            )
        )
    rows = await session.execute(union_all(*parts))
    return {id_: by_name[kind] for kind, id_ in rows}


async def rows(
    session: AsyncSession, models: Sequence[type[SQLModel]], workspace_id: str, ids: Iterable[str]
) -> dict[str, Any]:
    """id → its read row, for the ids of this workspace in the tables of `models`."""
    found = await kinds(session, models, workspace_id, ids)
    by_model: dict[type[SQLModel], list[str]] = {}
    for id_, model in found.items():
        by_model.setdefault(model, []).append(id_)
    result: dict[str, Any] = {}
    for model, model_ids in by_model.items():
        result |= await base.read_by_ids(session, model, workspace_id, model_ids)
    return result
