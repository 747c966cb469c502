"""Signals in the graph, addressed by `publicId`."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..scopes import Scope
from .permissions import HasScope
from .scalars import JSON

if TYPE_CHECKING:
    from .accounts import Account
    from .insights import Insight


@strawberry.enum
class SignalStatus(str, Enum):
    pending = "pending"
    processing = "processing"
    processed = "processed"
    failed = "failed"


@strawberry.enum
class SignalType(str, Enum):
    transcript = "transcript"
    support_ticket = "support_ticket"
    review = "review"
    feedback_record = "feedback_record"
    discovery_report = "discovery_report"


@strawberry.enum
class AnalysisProfile(str, Enum):
    default_transcript = "default_transcript"
    support_ticket = "support_ticket"
    survey_response = "survey_response"
    discovery_report = "discovery_report"


@strawberry.type
class Signal:
    id: strawberry.ID
    workspace_id: strawberry.ID
    name: str
    status: SignalStatus
    context: str | None
    signal_type: SignalType | None
    processor_type: str
    provider_type: str
    evidence_kind: str | None
    analysis_profile: AnalysisProfile | None
    source: JSON | None
    data: JSON | None
    external_id: str | None
    account_external_id: str | None
    source_key: str | None
    participant_policy: str
    create_missing_accounts: bool
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="Workspace-scoped public id, SIGNAL-<n>.")
    def public_id(self) -> str:
        return f"SIGNAL-{self.public_number}"

    @strawberry.field
    async def insight_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.insight_ids_by_signal_id.load(self.id)

    @strawberry.field
    async def account_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.account_ids_by_signal_id.load(self.id)

    @strawberry.field(description="Legacy single-account field: the first linked account.")
    async def account_id(self, info: Info) -> strawberry.ID | None:
        ids = await info.context.loaders.account_ids_by_signal_id.load(self.id)
        return ids[0] if ids else None

    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def insights(self, info: Info) -> list[Annotated["Insight", strawberry.lazy("signalgraph.schema.insights")]]:
        return await info.context.loaders.insights_by_signal_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def accounts(self, info: Info) -> list[Annotated["Account", strawberry.lazy("signalgraph.schema.accounts")]]:
        return await info.context.loaders.accounts_by_signal_id.load(self.id)
