"""Signals in the graph, addressed by `publicId`: the type with its derived fields, inputs, Query/Mutation."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from ..errors import InvalidInput
from ..processing import signal_derivation as derive
from ..resolvers import signals as resolvers
from ..scopes import Scope
from ..vocabulary import ANALYSIS_PROFILES, PARTICIPANT_POLICIES, SIGNAL_STATUSES, SIGNAL_TYPES
from .common import DeleteResult, Node
from .inputs import provided
from .pagination import AFTER, BEFORE, FIRST, LAST, OFFSET, ORDER_BY, Connection, order_input, window
from .permissions import HasScope
from .resources import connection, value_enum
from .scalars import JSON

SignalStatus = value_enum("SignalStatus", SIGNAL_STATUSES)
SignalType = value_enum("SignalType", SIGNAL_TYPES)
AnalysisProfile = value_enum("AnalysisProfile", ANALYSIS_PROFILES)
ParticipantPolicy = value_enum(
    "ParticipantPolicy", PARTICIPANT_POLICIES, "What processing does with the people a signal mentions."
)


SignalOrder: Any = order_input("Signal")

@strawberry.type(description="Canonical provenance, without the operational processor route.")
class SignalProvenance:
    provider_type: str
    evidence_kind: str | None
    analysis_profile: str | None


@strawberry.type
class SourceLink:
    name: str
    url: str
    type: str
    primary: bool


@strawberry.type(description="Operational processing state, to debug queue progress and retries.")
class SignalProcessing:
    last_job_id: str | None
    started_at: datetime | None
    processed_at: datetime | None
    failed_at: datetime | None
    last_error: str | None


@strawberry.type
class Signal(Node):
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
    participant_policy: ParticipantPolicy
    create_missing_accounts: bool
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="Workspace-scoped public id, SIGNAL-<n>.")
    def public_id(self) -> str:
        return f"SIGNAL-{self.public_number}"

    @strawberry.field
    def provenance(self) -> SignalProvenance:
        return SignalProvenance(
            provider_type=self.provider_type, evidence_kind=self.evidence_kind, analysis_profile=self.analysis_profile
        )

    @strawberry.field(description="providerType:evidenceKind (just providerType when the evidence kind is unknown).")
    def source_facet(self) -> str:
        return derive.source_facet(self.provider_type, self.evidence_kind)

    @strawberry.field(description="Display label of the source facet, such as 'G2 Review'.")
    def source_label(self) -> str:
        return derive.source_label(self.provider_type, self.evidence_kind)

    @strawberry.field(
        description="Links to the original evidence: from sourceLinks on create and legacy URL fields of "
        "source.external_data and data; http(s) only, one per URL, exactly one primary."
    )
    def source_links(self) -> list[SourceLink]:
        return [SourceLink(**link) for link in self.source_links or []]

    @strawberry.field
    def processing(self) -> SignalProcessing:
        """The signal's columns of the same names."""
        return SignalProcessing(**{f.name: getattr(self, f.name) for f in dataclasses.fields(SignalProcessing)})

    @strawberry.field(description="The raw text of a typed text signal; null for raw signals.")
    async def text(self, info: Info) -> str | None:
        return await info.context.loaders.text_by_signal_id.load(self.id)

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

    @strawberry.field
    async def product_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.product_ids_by_signal_id.load(self.id)

    insights = connection("insights_by_signal_id", "insights.Insight", Scope.INSIGHTS_READ)
    accounts = connection("accounts_by_signal_id", "accounts.Account", Scope.ACCOUNTS_READ)
    products = connection("products_by_signal_id", "products.Product", Scope.PRODUCTS_READ)


@strawberry.type(description="What createSignal returns.")
class CreateSignalPayload:
    signal: Signal = strawberry.field(description="The signal created, or the one that had this externalId.")
    created: bool = strawberry.field(description="False when a signal with this externalId already existed.")
    job_id: str | None = strawberry.field(description="The processing job queued for the signal, if any.")


@strawberry.input
class SignalFilter:
    status: list[SignalStatus] | None = strawberry.UNSET
    signal_type: list[SignalType] | None = strawberry.UNSET
    provider_type: str | None = strawberry.UNSET
    external_id: str | None = strawberry.UNSET
    account_id: strawberry.ID | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Matches the name.")
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class SourceLinkInput:
    url: str
    name: str | None = strawberry.UNSET
    type: str | None = strawberry.UNSET
    primary: bool | None = strawberry.UNSET


@strawberry.input(
    description="Typed text: send text and signalType. Raw: send processorType, source and/or data instead of text."
)
class CreateSignalInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Generated when omitted.")
    text: str | None = strawberry.UNSET
    signal_type: SignalType | None = strawberry.UNSET
    provider_type: str | None = strawberry.field(default=strawberry.UNSET, description="Default: external_api.")
    evidence_kind: str | None = strawberry.UNSET
    analysis_profile: AnalysisProfile | None = strawberry.UNSET
    additional_context: str | None = strawberry.UNSET
    occurred_at: datetime | None = strawberry.field(default=strawberry.UNSET, description="Becomes createdAt.")
    product_ids: list[strawberry.ID] | None = strawberry.UNSET
    account_id: strawberry.ID | None = strawberry.UNSET
    account_ids: list[strawberry.ID] | None = strawberry.UNSET
    account_external_id: str | None = strawberry.UNSET
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description="A second create with the same externalId returns the first signal."
    )
    source_links: list[SourceLinkInput] | None = strawberry.UNSET
    source_external_data: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="Kept under source.external_data."
    )
    source_key: str | None = strawberry.UNSET
    participant_policy: ParticipantPolicy | None = strawberry.field(default=strawberry.UNSET, description="Default: link.")
    create_missing_accounts: bool | None = strawberry.UNSET
    processor_type: str | None = strawberry.UNSET
    source: JSON | None = strawberry.UNSET
    data: JSON | None = strawberry.UNSET


@strawberry.input
class UpdateSignalInput:
    name: str | None = strawberry.UNSET
    status: SignalStatus | None = strawberry.field(default=strawberry.UNSET, description="pending or processed.")
    context: str | None = strawberry.UNSET
    external_id: str | None = strawberry.UNSET
    source: JSON | None = strawberry.UNSET
    data: JSON | None = strawberry.UNSET
    insight_ids: list[strawberry.ID] | None = strawberry.field(default=strawberry.UNSET, description="Replaces the links.")


@strawberry.type(description="What processSignal returns.")
class ProcessSignalPayload:
    job_id: str = strawberry.field(
        description="The queued job: its state is `job(id:)` and `signal.processing`."
    )
    signal: Signal = strawberry.field(description="The signal queued again.")


@strawberry.type
class SignalQuery:
    @strawberry.field(
        permission_classes=[HasScope(Scope.SIGNALS_READ)],
        description="A signal by its publicId or by its id (give one); null when absent or another workspace's.",
    )
    async def signal(
        self,
        info: Info,
        public_id: Annotated[str | None, strawberry.argument(description="SIGNAL-<n>.")] = None,
        id: Annotated[strawberry.ID | None, strawberry.argument(description="The signal's id (a UUID).")] = None,
    ) -> Signal | None:
        if (public_id is None) == (id is None):
            raise InvalidInput("give exactly one of id and publicId", field="id" if id is not None else "publicId")
        if public_id is None:
            return await info.context.loaders.signal_by_id.load(id)
        return await resolvers.get_signal(info.context, public_id)

    @strawberry.field(permission_classes=[HasScope(Scope.SIGNALS_READ)], description="Newest first.")
    async def signals(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
        last: Annotated[int | None, strawberry.argument(description=LAST)] = None,
        before: Annotated[str | None, strawberry.argument(description=BEFORE)] = None,
        offset: Annotated[int | None, strawberry.argument(description=OFFSET)] = None,
        filter: SignalFilter | None = None,
        order_by: Annotated[SignalOrder | None, strawberry.argument(description=ORDER_BY)] = None,
    ) -> Connection[Signal]:
        w = window(first, after, offset, last, before, order_by)
        page = await resolvers.list_signals(info.context, window=w, **provided(filter))
        return Connection.from_page(page)


@strawberry.type
class SignalMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.SIGNALS_WRITE)])
    async def create_signal(self, info: Info, input: CreateSignalInput) -> CreateSignalPayload:
        return await resolvers.create_signal(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.SIGNALS_WRITE)])
    async def update_signal(self, info: Info, public_id: str, input: UpdateSignalInput) -> Signal:
        return await resolvers.update_signal(info.context, public_id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.SIGNALS_DELETE)])
    async def delete_signal(self, info: Info, public_id: str) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_signal(info.context, public_id))

    @strawberry.mutation(
        permission_classes=[HasScope(Scope.SIGNALS_WRITE)],
        description="Queue processing again (a re-run or a manual retry). Its earlier insights are "
        "reconciled, "
        "never duplicated; a signal without text (raw) is BAD_USER_INPUT.",
    )
    async def process_signal(self, info: Info, public_id: str) -> ProcessSignalPayload:
        job_id, signal = await resolvers.process_signal(info.context, public_id)
        return ProcessSignalPayload(job_id=job_id, signal=signal)
