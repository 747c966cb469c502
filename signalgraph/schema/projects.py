"""Projects in the graph: built from their declaration (resolvers/projects.py); they go with the OKR scopes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from ..resolvers.projects import PROJECT
from .resources import Info, build

if TYPE_CHECKING:
    from .okrs import KeyResult


class ProjectFields:
    @strawberry.field
    async def key_results(self, info: Info) -> list[Annotated[KeyResult, strawberry.lazy("signalgraph.schema.okrs")]]:
        return await info.context.loaders.key_results_by_project_id.load(self.id)  # type: ignore[attr-defined]


_schema = build(PROJECT, __name__, extra=ProjectFields)
Project = _schema.object_type
ProjectStatus = _schema.enums["status"]
CreateProjectInput, UpdateProjectInput, ProjectFilter = _schema.create_input, _schema.update_input, _schema.filter
ProjectQuery, ProjectMutation = _schema.query, _schema.mutation
