"""Projects in the graph; they go with the OKR scopes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

if TYPE_CHECKING:
    from .okrs import KeyResult


@strawberry.type
class Project:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    description: str | None
    status: str
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def key_results(self, info: Info) -> list[Annotated["KeyResult", strawberry.lazy("signalgraph.schema.okrs")]]:
        return await info.context.loaders.key_results_by_project_id.load(self.id)
