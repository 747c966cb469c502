"""Project queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Project
from . import base
from .base import Page


async def list_projects(
    session: AsyncSession,
    workspace_id: str,
    *,
    limit: int,
    offset: int,
    status: list[str] | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page:
    stmt = select(Project).where(Project.workspace_id == workspace_id)
    if status:
        stmt = stmt.where(Project.status.in_(status))
    if search:
        stmt = stmt.where(base.search_clause(search, Project.name, Project.description))
    if updated_since is not None:
        stmt = stmt.where(base.updated_since_clause(Project, updated_since))
    return await base.page(
        session, stmt, limit=limit, offset=offset, order_by=(Project.created_at.desc(), Project.id.desc())
    )


async def delete_project(session: AsyncSession, workspace_id: str, project_id: str) -> bool:
    """Its key-result links go with it (FK cascade)."""
    result = await session.execute(
        delete(Project).where(Project.id == project_id, Project.workspace_id == workspace_id)
    )
    return result.rowcount > 0
