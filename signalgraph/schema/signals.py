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
from .pagination import order_input
from .permissions import HasScope
from .resources import connection, list_field, value_enum
from .scalars import JSON

PublicId = Annotated[str, strawberry.argument(description="The signal's workspace-scoped public id, such as SIGNAL-42.")]

SignalStatus = value_enum("SignalStatus", SIGNAL_STATUSES)
SignalType = value_enum("SignalType", SIGNAL_TYPES)
AnalysisProfile = value_enum("AnalysisProfile", ANALYSIS_PROFILES)
ParticipantPolicy = value_enum("ParticipantPolicy", PARTICIPANT_POLICIES)


SignalOrder: Any = order_input("Signal")

@strawberry.type(description="Canonical provenance, without the operational processor route.")
class SignalProvenance:
    provider_type: str = strawberry.field(description='Canonical source system or importer, such as external_api, manual, gong, zendesk or g2.')
    evidence_kind: str | None = strawberry.field(description='Canonical evidence shape, such as transcript, support_ticket or review; null when unknown.')
    analysis_profile: str | None = strawberry.field(description='The extraction profile processing uses (an AnalysisProfile value); null when unknown.')


@strawberry.type(description="A link to the original evidence (review, thread, report, ticket, source row or meeting).")
class SourceLink:
    name: str = strawberry.field(description='Display text of the link.')
    url: str = strawberry.field(description='The normalized http(s) URL.')
    type: str = strawberry.field(description='What the link points at, such as review, ticket or meeting.')
    primary: bool = strawberry.field(description="Whether this is the signal's main link: exactly one link of a signal is.")


@strawberry.type(description="Operational processing state, to debug queue progress and retries.")
class SignalProcessing:
    last_job_id: strawberry.ID | None = strawberry.field(description='The id of the last processing job queued (see `job(id:)`); null: never queued.')
    started_at: datetime | None = strawberry.field(description='When the last processing run started; null: never started.')
    processed_at: datetime | None = strawberry.field(description='When processing last succeeded; null: not yet.')
    failed_at: datetime | None = strawberry.field(description='When processing last failed; null: it has not failed.')
    last_error: str | None = strawberry.field(description='Why the last run failed; null when it did not.')


@strawberry.type(
    description="Imported customer or market evidence (a transcript, support ticket, review, feedback record or "
    "discovery report) that processing turns into insights."
)
class Signal(Node):
    id: strawberry.ID = strawberry.field(description="The signal's id (a UUID); the REST paths use `publicId` instead.")
    workspace_id: strawberry.ID
    name: str = strawberry.field(description='Display name; generated from the signal type and time for typed text created without one.')
    status: SignalStatus = strawberry.field(description='Where the signal is in processing.')
    context: str | None = strawberry.field(description='Normalized interaction context, such as user_interview, feature_feedback or support_request; null: not inferred yet.')
    signal_type: SignalType | None = strawberry.field(description='Which typed text flow created the signal; null for raw signals.')
    processor_type: str = strawberry.field(description='Canonical processor route, such as manual-text, manual-transcript, gong or zendesk.')
    provider_type: str = strawberry.field(description='Canonical source system or importer, such as external_api, manual, gong, zendesk, gmail_mailbox or g2.')
    evidence_kind: str | None = strawberry.field(description='Canonical evidence shape, such as transcript, support_ticket, review, feedback_record, discovery_report or email_thread; null when unknown.')
    analysis_profile: AnalysisProfile | None = strawberry.field(description='The extraction profile processing uses; null when none applies.')
    source: JSON | None = strawberry.field(description='Provider-specific source payload: {{ type, external_data? }}.')
    data: JSON | None = strawberry.field(description='Stored metadata (free-form JSON); for typed text the storage key and optional product, account and notes; null: none.')
    external_id: str | None = strawberry.field(description="The record's id in the source system (a ticket or event id); creates with the same one return the first signal. Null: none.")
    account_external_id: str | None = strawberry.field(description="The client's account identifier given as accountExternalId on create; null: none.")
    source_key: str | None = strawberry.field(description="The client's key of the source the signal came from (at most 200 characters); null: none.")
    participant_policy: ParticipantPolicy = strawberry.field(description='What processing does with the people the signal mentions.')
    create_missing_accounts: bool = strawberry.field(description='Whether processing creates an account for a company no account matches.')
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="Workspace-scoped public id, SIGNAL-<n>.")
    def public_id(self) -> str:
        return f"SIGNAL-{self.public_number}"

    @strawberry.field(description="providerType, evidenceKind and analysisProfile together, for clients that do not need the processor route.")
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

    @strawberry.field(description="Operational processing state, to debug queue progress and retries.")
    def processing(self) -> SignalProcessing:
        """The signal's columns of the same names."""
        return SignalProcessing(**{f.name: getattr(self, f.name) for f in dataclasses.fields(SignalProcessing)})

    @strawberry.field(description="The raw text of a typed text signal; null for raw signals.")
    async def text(self, info: Info) -> str | None:
        return await info.context.loaders.text_by_signal_id.load(self.id)

    @strawberry.field(description="Ids of the insights linked to this signal.")
    async def insight_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.insight_ids_by_signal_id.load(self.id)

    @strawberry.field(description="Ids of the accounts linked directly to this signal.")
    async def account_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.account_ids_by_signal_id.load(self.id)

    @strawberry.field(
        description="Legacy single-account field: the first linked account's id; null when none is linked.",
        deprecation_reason="Legacy: a signal may have several accounts; use accountIds.",
    )
    async def account_id(self, info: Info) -> strawberry.ID | None:
        ids = await info.context.loaders.account_ids_by_signal_id.load(self.id)
        return ids[0] if ids else None

    @strawberry.field(description="Ids of the products that narrow the product context of processing.")
    async def product_ids(self, info: Info) -> list[strawberry.ID]:
        return await info.context.loaders.product_ids_by_signal_id.load(self.id)

    insights = connection("insights_by_signal_id", "insights.Insight", Scope.INSIGHTS_READ)
    accounts = connection("accounts_by_signal_id", "accounts.Account", Scope.ACCOUNTS_READ)
    products = connection("products_by_signal_id", "products.Product", Scope.PRODUCTS_READ)


@strawberry.type(description="What createSignal returns.")
class CreateSignalPayload:
    signal: Signal = strawberry.field(description="The signal created, or the one that had this externalId.")
    created: bool = strawberry.field(description="False when a signal with this externalId already existed.")
    job_id: strawberry.ID | None = strawberry.field(description="The processing job queued for the signal, if any.")


@strawberry.input(description="Conditions on the list of signals; every condition given must hold.")
class SignalFilter:
    status: list[SignalStatus] | None = strawberry.UNSET
    signal_type: list[SignalType] | None = strawberry.field(default=strawberry.UNSET, description='Only signals of one of these types; empty or null: any.')
    provider_type: str | None = strawberry.field(default=strawberry.UNSET, description='Only signals from this source system, such as g2.')
    external_id: str | None = strawberry.field(default=strawberry.UNSET, description='Only the signal with this source-system record id.')
    account_id: strawberry.ID | None = strawberry.UNSET
    product_id: strawberry.ID | None = strawberry.UNSET
    search: str | None = strawberry.field(default=strawberry.UNSET, description="Matches the name.")
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input(description="A link to the original evidence; http(s) URLs only, normalized.")
class SourceLinkInput:
    url: str = strawberry.field(description='The http(s) URL.')
    name: str | None = strawberry.field(default=strawberry.UNSET, description='Display text; a default name for the source when left out.')
    type: str | None = strawberry.field(default=strawberry.UNSET, description='What the link points at, such as review, ticket or meeting.')
    primary: bool | None = strawberry.field(default=strawberry.UNSET, description="Make this the signal's main link; by default the first link is.")


@strawberry.input(
    description="Typed text: send text and signalType. Raw: send processorType, source and/or data instead of text."
)
class CreateSignalInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Generated when omitted.")
    text: str | None = strawberry.field(default=strawberry.UNSET, description='The raw transcript, ticket, review, feedback record or report text to process into insights (typed text; at most 5,000,000 characters).')
    signal_type: SignalType | None = strawberry.field(default=strawberry.UNSET, description='What kind of text `text` is; required with text. It decides how the signal is processed.')
    provider_type: str | None = strawberry.field(default=strawberry.UNSET, description="Default: external_api.")
    evidence_kind: str | None = strawberry.field(default=strawberry.UNSET, description='Evidence shape override; for typed text it defaults from signalType.')
    analysis_profile: AnalysisProfile | None = strawberry.field(default=strawberry.UNSET, description='Processing profile override; for typed text it defaults from signalType.')
    additional_context: str | None = strawberry.field(default=strawberry.UNSET, description='Notes that help interpret the text (where it came from, its batch); supplemental context, not an instruction. At most 20,000 characters.')
    occurred_at: datetime | None = strawberry.field(default=strawberry.UNSET, description="Becomes createdAt.")
    product_ids: list[strawberry.ID] | None = strawberry.field(default=strawberry.UNSET, description='Products that narrow the product context used during processing.')
    account_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description='One account to link the signal and its extracted insights to.')
    account_ids: list[strawberry.ID] | None = strawberry.field(default=strawberry.UNSET, description='Accounts to link directly to the signal; accountId covers the single-account case.')
    account_external_id: str | None = strawberry.field(default=strawberry.UNSET, description="The client's stable account identifier, such as crm-example-account, instead of a backend id.")
    external_id: str | None = strawberry.field(
        default=strawberry.UNSET, description="A second create with the same externalId returns the first signal."
    )
    source_links: list[SourceLinkInput] | None = strawberry.field(default=strawberry.UNSET, description='Links to the original evidence, returned normalized as Signal.sourceLinks.')
    source_external_data: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="Kept under source.external_data."
    )
    source_key: str | None = strawberry.field(default=strawberry.UNSET, description="The client's key of the source the signal came from (at most 200 characters).")
    participant_policy: ParticipantPolicy | None = strawberry.field(default=strawberry.UNSET, description="Default: link.")
    create_missing_accounts: bool | None = strawberry.field(default=strawberry.UNSET, description='Create an account for a company no account matches (default: false).')
    processor_type: str | None = strawberry.field(default=strawberry.UNSET, description='Raw signals: the processor route; default: source.type, else providerType.')
    source: JSON | None = strawberry.field(default=strawberry.UNSET, description='Raw signals: the provider-specific source payload {{ type, external_data? }}.')
    data: JSON | None = strawberry.field(default=strawberry.UNSET, description='Raw signals: free-form metadata to store with the signal.')


@strawberry.input(description="Changes to a signal: a field left out stays as it is.")
class UpdateSignalInput:
    name: str | None = strawberry.field(default=strawberry.UNSET, description='New display name.')
    status: SignalStatus | None = strawberry.field(default=strawberry.UNSET, description="pending or processed.")
    context: str | None = strawberry.field(default=strawberry.UNSET, description='New interaction context, such as user_interview or support_request (at most 64 characters).')
    external_id: str | None = strawberry.field(default=strawberry.UNSET, description='New source-system record id.')
    source: JSON | None = strawberry.field(default=strawberry.UNSET, description='New source payload {{ type, external_data? }}.')
    data: JSON | None = strawberry.field(default=strawberry.UNSET, description='New metadata (free-form JSON).')
    insight_ids: list[strawberry.ID] | None = strawberry.field(default=strawberry.UNSET, description="Replaces the links.")


@strawberry.type(description="What processSignal returns.")
class ProcessSignalPayload:
    job_id: strawberry.ID = strawberry.field(
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

    signals = list_field(resolvers.list_signals, Signal, SignalFilter, SignalOrder, Scope.SIGNALS_READ, description="Newest first.")


@strawberry.type
class SignalMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.SIGNALS_WRITE)])
    async def create_signal(self, info: Info, input: CreateSignalInput) -> CreateSignalPayload:
        return await resolvers.create_signal(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.SIGNALS_WRITE)])
    async def update_signal(self, info: Info, public_id: PublicId, input: UpdateSignalInput) -> Signal:
        return await resolvers.update_signal(info.context, public_id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.SIGNALS_DELETE)])
    async def delete_signal(self, info: Info, public_id: PublicId) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_signal(info.context, public_id))

    @strawberry.mutation(
        permission_classes=[HasScope(Scope.SIGNALS_WRITE)],
        description="Queue processing again (a re-run or a manual retry). Its earlier insights are "
        "reconciled, "
        "never duplicated; a signal without text (raw) is BAD_USER_INPUT.",
    )
    async def process_signal(self, info: Info, public_id: PublicId) -> ProcessSignalPayload:
        job_id, signal = await resolvers.process_signal(info.context, public_id)
        return ProcessSignalPayload(job_id=strawberry.ID(job_id), signal=signal)
