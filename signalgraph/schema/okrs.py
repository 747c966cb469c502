"""OKRs and key results in the graph: the types, their inputs, and the Query/Mutation fragments."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from ..limits import KEY_RESULTS_PER_OKR
from ..resolvers import okrs as resolvers
from .common import Node
from .resources import build, connection, id_list


@strawberry.type(description="A measurable result of an OKR, advanced by projects.")
class KeyResult(Node):
    id: strawberry.ID
    okr_id: strawberry.ID
    name: str = strawberry.field(description='What the key result measures.')
    position: int = strawberry.field(description="Place in the OKR's key-result list, from 0.")
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def project_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.project_ids_by_key_result_id.load(self.id)

    projects = connection("projects_by_key_result_id", "projects.Project")

    @strawberry.field(description="The OKR the key result belongs to.")
    async def okr(self, info: Info) -> Okr:
        return await info.context.loaders.okr_by_id.load(self.okr_id)


class OkrFields:
    product_ids = id_list("product_ids_by_okr_id")

    @strawberry.field(description=f"The key results, in order: a small list, at most {KEY_RESULTS_PER_OKR:,}.")
    async def key_results(self, info: Info) -> list[KeyResult]:
        return await info.context.loaders.key_results_by_okr_id.load(self.id)  # type: ignore[attr-defined]


@strawberry.input(description="A key result; with the id of one of this OKR's key results it updates that one.")
class KeyResultInput:
    id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="The id of one of this OKR's key results, to update it; left out: a new key result.")
    name: str = strawberry.field(description='What the key result measures.')
    project_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the links when sent; left out, an existing one keeps its own."
    )


Okr, OkrQuery, OkrMutation = build(
    resolvers.OKR, __name__, extra=OkrFields, inputs={"key_results": list[KeyResultInput]}
)
