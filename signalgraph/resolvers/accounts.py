"""Accounts and their contacts.

An account's externalId is also how signals name it before it exists: giving an account that id links it
to every such signal, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInput
from ..limits import CONTACTS_PER_ACCOUNT
from ..scopes import Scope
from ..storage.models import Account, Contact, Idea, Insight, Opportunity, Signal
from ..storage.repositories import accounts as accounts_repo
from ..storage.repositories import links
from ..storage.repositories.accounts import ACCOUNTS
from ..vocabulary import LIFECYCLE_STAGES
from . import external_ids
from .children import Child
from .external_ids import ExternalId
from .request_context import Write
from .resources import Field, Links, Resource

# Longest value of each optional text field, as the columns allow.
ACCOUNT_LENGTHS = {"external_id": external_ids.MAX_LENGTH, "domain": 255, "website": 1000, "industry": 255, "company_size": 64}
CONTACT_LENGTHS = {"role": 255, "email": 320, "phone": 64}
EXTERNAL_ID = ExternalId(ACCOUNTS, "account")


async def _link_waiting_signals(w: Write, account: Account, values: dict[str, Any], creating: bool) -> None:
    """The signals that named this externalId before the account had it now link to it."""
    if account.external_id is not None and "external_id" in values:
        await accounts_repo.link_waiting_signals(w.session, w.workspace_id, account.id, account.external_id)


def _length(name: str) -> dict[str, Any]:
    return {"max_length": ACCOUNT_LENGTHS[name]}


# Deleting an account deletes its contacts and links (foreign keys cascade); the insights and signals it
# linked stay.
ACCOUNT = Resource[Account](
    ACCOUNTS,
    "Account",
    "accounts",
    clean=EXTERNAL_ID.clean,
    before_save=EXTERNAL_ID.check_free,
    after_save=_link_waiting_signals,
    conflict=EXTERNAL_ID.taken,
    description="A customer or prospect company that signals, insights, opportunities and ideas attach to.",
    fields=(
        Field("name", required=True, max_length=500, description="Account display name."),
        Field(
            "external_id",
            **_length("external_id"),
            description="Stable client-side identifier such as crm-example-account; unique per workspace, null: none.",
            update_description="null clears it.",
        ),
        Field("domain", **_length("domain"), description="Primary company domain, such as example.com; null: none."),
        Field("website", **_length("website"), description="Canonical website URL; null: none."),
        Field("industry", **_length("industry"), description="Industry or vertical label; null: none."),
        Field("company_size", **_length("company_size"), description="Company size bucket, such as 51-200; null: none."),
        Field(
            "lifecycle_stage",
            values=LIFECYCLE_STAGES,
            enum="LifecycleStage",
            description="Where the account stands as a customer; null: unknown.",
        ),
        Field("notes", max_length=None, description="Supplemental operator or CRM notes; null: none."),
        Links("insight_ids", Insight, links.ACCOUNT_INSIGHTS, Scope.INSIGHTS_READ, writable=False),
        Links("opportunity_ids", Opportunity, links.ACCOUNT_OPPORTUNITIES, Scope.OPPORTUNITIES_READ, writable=False),
        Links("idea_ids", Idea, links.ACCOUNT_IDEAS, Scope.IDEAS_READ, writable=False),
        Links("signal_ids", Signal, links.SIGNAL_ACCOUNTS.reversed(), Scope.SIGNALS_READ, writable=False, ids=False),
    ),
)


# -- contacts ----------------------------------------------------------------------------------
def _email(value: str | None) -> None:
    """A light shape check: one @, something before it, and a dotted domain after it."""
    if value is None:
        return
    local, _, domain = value.partition("@")
    labels = domain.split(".")
    if (
        value.count("@") != 1
        or not local
        or len(labels) < 2
        or not all(labels)
        or any(c.isspace() for c in value)
    ):
        raise InvalidInput(f"email is not an email address: {value!r}", field="email")


def _email_shape(values: dict[str, Any], creating: bool) -> None:
    if values.get("email") is not None:
        _email(values["email"])


async def _one_primary(w: Write, contact: Contact, values: dict[str, Any], before: dict[str, Any] | None) -> None:
    """A contact made primary demotes the account's other primary contact."""
    if values.get("is_primary"):
        await accounts_repo.clear_primary(w.session, w.workspace_id, contact.account_id, except_id=contact.id)


CONTACTS = Child(
    Account,
    Contact.account_id,
    "contacts",
    fields=(
        Field("name", required=True, max_length=500, description="Contact display name."),
        Field("role", max_length=CONTACT_LENGTHS["role"], description="Role, title, or account-specific responsibility; null: none."),
        Field("email", max_length=CONTACT_LENGTHS["email"], description="Email address; null: none."),
        Field("phone", max_length=CONTACT_LENGTHS["phone"], description="Phone number; null: none."),
        Field(
            "notes",
            max_length=None,
            description="Operator notes such as influence, interests, and outreach guidance; null: none.",
        ),
        Field("is_primary", bool, default=False, description="true makes this the account's only primary contact."),
    ),
    bound=CONTACTS_PER_ACCOUNT,
    clean=_email_shape,
    after_save=_one_primary,
)
