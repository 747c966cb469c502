"""Accounts and their contacts in the graph."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from ..resolvers import accounts as resolvers
from ..scopes import Scope
from .common import DeleteResult
from .inputs import provided
from .pagination import Connection, window
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
    async def account(self, info: Info) -> Account | None:
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
    async def signals(
        self, info: Info
    ) -> list[Annotated[Signal, strawberry.lazy("signalgraph.schema.signals")]]:
        return await info.context.loaders.signals_by_account_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.INSIGHTS_READ)])
    async def insights(
        self, info: Info
    ) -> list[Annotated[Insight, strawberry.lazy("signalgraph.schema.insights")]]:
        return await info.context.loaders.insights_by_account_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.OPPORTUNITIES_READ)])
    async def opportunities(
        self, info: Info
    ) -> list[Annotated[Opportunity, strawberry.lazy("signalgraph.schema.opportunities")]]:
        return await info.context.loaders.opportunities_by_account_id.load(self.id)

    @strawberry.field(permission_classes=[HasScope(Scope.IDEAS_READ)])
    async def ideas(self, info: Info) -> list[Annotated[Idea, strawberry.lazy("signalgraph.schema.ideas")]]:
        return await info.context.loaders.ideas_by_account_id.load(self.id)


@strawberry.input
class AccountFilter:
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Case-insensitive, across name, domain, website and externalId."
    )
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Exact name, case-insensitive.")
    domain: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Exact domain or website, case-insensitive; example.com also matches https://example.com.",
    )
    external_id: str | None = strawberry.field(default=strawberry.UNSET, description="Exact externalId.")
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class CreateAccountInput:
    name: str
    external_id: str | None = strawberry.field(default=strawberry.UNSET, description="Unique per workspace.")
    domain: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    company_size: str | None = strawberry.UNSET
    lifecycle_stage: LifecycleStage | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input(
    description="Contacts are not accepted here: use createContact, updateContact, deleteContact."
)
class UpdateAccountInput:
    name: str | None = strawberry.UNSET
    external_id: str | None = strawberry.field(default=strawberry.UNSET, description="null clears it.")
    domain: str | None = strawberry.UNSET
    website: str | None = strawberry.UNSET
    industry: str | None = strawberry.UNSET
    company_size: str | None = strawberry.UNSET
    lifecycle_stage: LifecycleStage | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET


@strawberry.input
class CreateContactInput:
    name: str
    role: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    is_primary: bool | None = strawberry.field(
        default=strawberry.UNSET, description="true makes this the account's only primary contact."
    )


@strawberry.input
class UpdateContactInput:
    name: str | None = strawberry.UNSET
    role: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    is_primary: bool | None = strawberry.field(
        default=strawberry.UNSET, description="true makes this the account's only primary contact."
    )


@strawberry.type
class AccountQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def account(self, info: Info, id: strawberry.ID) -> Account | None:
        return await resolvers.get_account(info.context, id)

    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def accounts(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        offset: int | None = None,
        filter: AccountFilter | None = None,
    ) -> Connection[Account]:
        w = window(first, after, offset)
        page = await resolvers.list_accounts(info.context, limit=w.limit, offset=w.offset, **provided(filter))
        return Connection.from_page(page)

    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def contacts(self, info: Info, account_id: strawberry.ID) -> list[Contact]:
        return await resolvers.list_contacts(info.context, account_id)


@strawberry.type
class AccountMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_WRITE)])
    async def create_account(self, info: Info, input: CreateAccountInput) -> Account:
        return await resolvers.create_account(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_WRITE)])
    async def update_account(self, info: Info, id: strawberry.ID, input: UpdateAccountInput) -> Account:
        return await resolvers.update_account(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_DELETE)])
    async def delete_account(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_account(info.context, id))

    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_WRITE)])
    async def create_contact(
        self, info: Info, account_id: strawberry.ID, input: CreateContactInput
    ) -> Contact:
        return await resolvers.create_contact(info.context, account_id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_WRITE)])
    async def update_contact(
        self, info: Info, account_id: strawberry.ID, id: strawberry.ID, input: UpdateContactInput
    ) -> Contact:
        return await resolvers.update_contact(info.context, account_id, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_WRITE)])
    async def delete_contact(self, info: Info, account_id: strawberry.ID, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_contact(info.context, account_id, id))
