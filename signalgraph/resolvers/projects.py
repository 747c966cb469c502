"""Projects: delivery work that key results link to; they share the OKR scopes."""

from __future__ import annotations

from typing import Any

from ..storage.models import Project
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import projects as projects_repo
from ..storage.repositories.base import Page
from ..vocabulary import PROJECT_STATUSES
from . import common
from .request_context import Context

FIELDS = ("name", "description", "status")


async def get_project(ctx: Context, project_id: str) -> Project | None:
    return await ctx.loaders.project_by_id.load(project_id)


async def list_projects(ctx: Context, *, limit: int, offset: int, **filters: Any) -> Page:
    async with ctx.db.read() as session:
        return await projects_repo.list_projects(session, ctx.workspace_id, limit=limit, offset=offset, **filters)


def _validate(data: dict[str, Any]) -> None:
    if "name" in data:
        common.text(data["name"], "name", max_length=500)
    if "description" in data:
        common.text(data["description"], "description", required=False)
    common.one_of(data.get("status"), PROJECT_STATUSES, "status")


async def create_project(ctx: Context, data: dict[str, Any]) -> Project:
    _validate({"name": None, **data})
    async with ctx.db.write() as session:
        project = Project(
            workspace_id=ctx.workspace_id,
            name=data["name"],
            description=data.get("description"),
            status=data.get("status") or "planned",
        )
        session.add(project)
    ctx.invalidate_loaders()
    return project


async def update_project(ctx: Context, project_id: str, changes: dict[str, Any]) -> Project:
    common.not_null(changes, "name", "status")
    _validate(changes)
    async with ctx.db.write() as session:
        project = common.found(await repo.get(session, Project, ctx.workspace_id, project_id), "Project", project_id)
        for field in FIELDS:
            if field in changes:
                setattr(project, field, changes[field])
        project.updated_at = utcnow()
        session.add(project)
    ctx.invalidate_loaders()
    return project


async def delete_project(ctx: Context, project_id: str) -> str:
    async with ctx.db.write() as session:
        if not await projects_repo.delete_project(session, ctx.workspace_id, project_id):
            common.found(None, "Project", project_id)
    ctx.invalidate_loaders()
    return project_id
