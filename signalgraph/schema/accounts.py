"""Accounts and their contacts in the graph."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..scopes import Scope
from .permissions import HasScope

if TYPE_CHECKING:
    from .ideas import Idea
    from .insights import Insight
    from .opportunities import Opportunity
    from .signals import Signal


@strawberry.enum
class LifecycleStage(str, Enum):
    LEAD = "LEAD"
    TRIAL = "TRIAL"
    ACTIVE = "ACTIVE"
    CHURNED = "CHURNED"
    PARTNER = "PARTNER"


@strawberry.type
class Contact:
    id: strawberry.ID
    account_id: strawberry.ID
    name: str
    role: str | None
    email: str | None
    phone: str | None
    notes: str | None
    is_primary: bool
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def account(self, info: Info) -> "Account | None":
        return await info.context.loaders.account_by_id.load(self.account_id)


@strawberry.type
class Account:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    external_id: str | None
    domain: str | None
    website: str | None
    industry: str | None
    company_size: str | None
    lifecycle_stage: LifecycleStage | None
    notes: str | None
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def contacts(self, info: Info) -> list[Contact]:
        return await info.context.loaders.contacts_by_account_id.load(self.id)

    @strawberry.field
    async def contact_ids(self, info: Info) -> list[strawberry.ID]:
        return [c.id for c in await info.context.loaders.contacts_by_account_id.load(self.id)]

    @strawberry.field
    async def insight_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.insight_ids_by_account_id.load(self.id)

    @strawberry.field
    async def opportunity_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.opportunity_ids_by_account_id.load(self.id)

    @strawberry.field
    async def idea_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.idea_ids_by_account_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.SIGNALS_READ)])
    async def signals(self, info: Info) -> list[Annotated["Signal", strawberry.lazy("signalgraph.schema.signals")]]:
        return await info.context.loaders.signals_by_account_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def insights(self, info: Info) -> list[Annotated["Insight", strawberry.lazy("signalgraph.schema.insights")]]:
        return await info.context.loaders.insights_by_account_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.OPPORTUNITIES_READ)])
    async def opportunities(
        self, info: Info
    ) -> list[Annotated["Opportunity", strawberry.lazy("signalgraph.schema.opportunities")]]:
        return await info.context.loaders.opportunities_by_account_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.IDEAS_READ)])
    async def ideas(self, info: Info) -> list[Annotated["Idea", strawberry.lazy("signalgraph.schema.ideas")]]:
        return await info.context.loaders.ideas_by_account_id.load(self.id)
