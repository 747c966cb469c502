"""Accounts and their contacts in the graph."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from ..limits import CONTACTS_PER_ACCOUNT
from ..resolvers import accounts as resolvers
from ..resolvers.resources import Field
from ..scopes import Scope
from ..vocabulary import LIFECYCLE_STAGES
from .common import DeleteResult, Node
from .inputs import provided
from .pagination import order_input
from .permissions import HasScope
from .resources import child_mutation, id_list, input_types, list_field, relation, value_enum

LifecycleStage = value_enum("LifecycleStage", LIFECYCLE_STAGES)


AccountOrder: Any = order_input("Account")

@strawberry.type(description="A person at an account.")
class Contact(Node):
    id: strawberry.ID
    account_id: strawberry.ID
    name: str
    role: str | None
    email: str | None
    phone: str | None
    notes: str | None
    is_primary: bool = strawberry.field(description="Whether this is the account's primary contact (at most one is).")
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def account(self, info: Info) -> Account | None:
        return await info.context.loaders.account_by_id.load(self.account_id)


@strawberry.type(description="A customer or prospect company that signals, insights, opportunities and ideas attach to.")
class Account(Node):
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

    @strawberry.field(description=f"The account's contacts: a small list, at most {CONTACTS_PER_ACCOUNT:,}.")
    async def contacts(self, info: Info) -> list[Contact]:
        return await info.context.loaders.contacts_by_account_id.load(self.id)

    @strawberry.field(description="Ids of the account's contacts.")
    async def contact_ids(self, info: Info) -> list[strawberry.ID]:
        return [c.id for c in await info.context.loaders.contacts_by_account_id.load(self.id)]

    insight_ids = id_list("insight_ids_by_account_id")
    opportunity_ids = id_list("opportunity_ids_by_account_id")
    idea_ids = id_list("idea_ids_by_account_id")
    signals = relation("signals_by_account_id", "signals.Signal", Scope.SIGNALS_READ)
    insights = relation("insights_by_account_id", "insights.Insight", Scope.INSIGHTS_READ)
    opportunities = relation("opportunities_by_account_id", "opportunities.Opportunity", Scope.OPPORTUNITIES_READ)
    ideas = relation("ideas_by_account_id", "ideas.Idea", Scope.IDEAS_READ)


@strawberry.input(description="Conditions on the list of accounts; every condition given must hold.")
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


ACCOUNT_FIELDS = (
    Field("name", required=True, description="Account display name."),
    Field(
        "external_id",
        description="Stable client-side identifier such as crm-example-account; unique per workspace, null: none.",
        update_description="null clears it.",
    ),
    Field("domain", description="Primary company domain, such as example.com; null: none."),
    Field("website", description="Canonical website URL; null: none."),
    Field("industry", description="Industry or vertical label; null: none."),
    Field("company_size", description="Company size bucket, such as 51-200; null: none."),
    Field("lifecycle_stage", description="Where the account stands as a customer; null: unknown."),
    Field("notes", description="Supplemental operator or CRM notes; null: none."),
)
CreateAccountInput, UpdateAccountInput = input_types(
    "Account",
    ACCOUNT_FIELDS,
    __name__,
    {"lifecycle_stage": LifecycleStage},
    "Contacts are not accepted here: use createContact, updateContact, deleteContact.",
)
CONTACT_FIELDS = (
    Field("name", required=True, description="Contact display name."),
    Field("role", description="Role, title, or account-specific responsibility; null: none."),
    Field("email", description="Email address; null: none."),
    Field("phone", description="Phone number; null: none."),
    Field("notes", description="Operator notes such as influence, interests, and outreach guidance; null: none."),
    Field("is_primary", bool, description="true makes this the account's only primary contact."),
)
CreateContactInput, UpdateContactInput = input_types("Contact", CONTACT_FIELDS, __name__)


@strawberry.type
class AccountQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)])
    async def account(self, info: Info, id: strawberry.ID) -> Account | None:
        return await resolvers.get_account(info.context, id)

    accounts = list_field(resolvers.list_accounts, Account, AccountFilter, AccountOrder, Scope.ACCOUNTS_READ)

    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)], description="Every contact of an account.")
    async def contacts(self, info: Info, account_id: strawberry.ID) -> list[Contact]:
        return await resolvers.CONTACTS.list(info.context, account_id)


@strawberry.type
class AccountOwnMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_WRITE)])
    async def create_account(self, info: Info, input: CreateAccountInput) -> Account:
        return await resolvers.create_account(info.context, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_WRITE)])
    async def update_account(self, info: Info, id: strawberry.ID, input: UpdateAccountInput) -> Account:
        return await resolvers.update_account(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.ACCOUNTS_DELETE)])
    async def delete_account(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_account(info.context, id))


ContactMutation = child_mutation(
    resolvers.CONTACTS, Contact, CreateContactInput, UpdateContactInput, Scope.ACCOUNTS_WRITE, __name__
)
AccountMutation = merge_types("AccountMutation", (AccountOwnMutation, ContactMutation))
