"""Accounts and their contacts in the graph."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from ..limits import CONTACTS_PER_ACCOUNT
from ..resolvers import accounts as resolvers
from ..scopes import Scope
from .common import Node
from .permissions import HasScope
from .resources import build, child_mutation, input_types


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


class AccountFields:
    @strawberry.field(description=f"The account's contacts: a small list, at most {CONTACTS_PER_ACCOUNT:,}.")
    async def contacts(self, info: Info) -> list[Contact]:
        return await info.context.loaders.contacts_by_account_id.load(self.id)  # type: ignore[attr-defined]

    @strawberry.field(description="Ids of the account's contacts.")
    async def contact_ids(self, info: Info) -> list[strawberry.ID]:
        return [c.id for c in await info.context.loaders.contacts_by_account_id.load(self.id)]  # type: ignore[attr-defined]


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


ACCOUNT = build(
    resolvers.ACCOUNT,
    __name__,
    extra=AccountFields,
    relations=("signals", "insights", "opportunities", "ideas"),
    filter_type=AccountFilter,
    update_description="Contacts are not accepted here: use createContact, updateContact, deleteContact.",
)
Account = ACCOUNT.object_type
LifecycleStage = ACCOUNT.enums["lifecycle_stage"]
CreateAccountInput, UpdateAccountInput = ACCOUNT.create_input, ACCOUNT.update_input

CreateContactInput, UpdateContactInput = input_types("Contact", resolvers.CONTACTS.fields, __name__)


@strawberry.type
class ContactQuery:
    @strawberry.field(permission_classes=[HasScope(Scope.ACCOUNTS_READ)], description="Every contact of an account.")
    async def contacts(self, info: Info, account_id: strawberry.ID) -> list[Contact]:
        return await resolvers.CONTACTS.list(info.context, account_id)


ContactMutation = child_mutation(
    resolvers.CONTACTS, Contact, CreateContactInput, UpdateContactInput, Scope.ACCOUNTS_WRITE, __name__
)
AccountQuery = merge_types("AccountQuery", (ACCOUNT.query, ContactQuery))
AccountMutation = merge_types("AccountMutation", (ACCOUNT.mutation, ContactMutation))
