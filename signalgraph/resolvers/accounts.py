"""Accounts and their contacts.

An account's externalId is also how signals name it before it exists: giving an account that id links it
to every such signal, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from ..errors import Conflict, InvalidInput
from ..limits import CONTACTS_PER_ACCOUNT
from ..storage.models import Account, Contact
from ..storage.models.base import utcnow
from ..storage.repositories import accounts as accounts_repo
from ..storage.repositories import base as repo
from ..storage.repositories.base import Page, Slice
from ..vocabulary import LIFECYCLE_STAGES
from . import common
from .children import Child
from .request_context import Context, Write

ACCOUNT_FIELDS = (
    "name",
    "external_id",
    "domain",
    "website",
    "industry",
    "company_size",
    "lifecycle_stage",
    "notes",
)
CONTACT_FIELDS = ("name", "role", "email", "phone", "notes", "is_primary")
# Longest value of each optional text field, as the columns allow.
ACCOUNT_LENGTHS = {"external_id": 500, "domain": 255, "website": 1000, "industry": 255, "company_size": 64}
CONTACT_LENGTHS = {"role": 255, "email": 320, "phone": 64}
from ..storage.repositories.accounts import ACCOUNTS
from .resources import delete_row, list_rows


async def get_account(ctx: Context, account_id: str) -> Account | None:
    return await ctx.loaders.account_by_id.load(account_id)


async def list_accounts(ctx: Context, *, window: Slice, **filters: Any) -> Page:
    return await list_rows(ctx, ACCOUNTS, window=window, **filters)


def _validate_account(data: dict[str, Any]) -> None:
    if "name" in data:
        common.text(data["name"], "name", max_length=500)
    if data.get("external_id") is not None:
        common.text(data["external_id"], "externalId", max_length=500)
    for field, length in ACCOUNT_LENGTHS.items():
        if field in data:
            common.text(data[field], common.camel(field), max_length=length, required=False)
    common.one_of(data.get("lifecycle_stage"), LIFECYCLE_STAGES, "lifecycleStage")


async def _claim_external_id(session: Any, workspace_id: str, account: Account) -> None:
    """Refuse an externalId another account holds; then link the signals that were waiting for it."""
    if account.external_id is None:
        return
    taken = Conflict(f"An account with externalId {account.external_id!r} already exists", field="externalId")
    if await ACCOUNTS.first(session, workspace_id, Account.external_id == account.external_id, exclude_id=account.id):
        raise taken
    await common.flush_unique(session, taken)
    await accounts_repo.link_waiting_signals(session, workspace_id, account.id, account.external_id)


async def create_account(ctx: Context, data: dict[str, Any]) -> Account:
    _validate_account({"name": None, **data})
    ws = ctx.workspace_id
    async with ctx.write() as w:
        account = Account(workspace_id=ws, **{k: data[k] for k in ACCOUNT_FIELDS if k in data})
        w.session.add(account)
        await _claim_external_id(w.session, ws, account)
    return account


async def update_account(ctx: Context, account_id: str, changes: dict[str, Any]) -> Account:
    common.not_null(changes, "name")
    _validate_account(changes)
    ws = ctx.workspace_id
    async with ctx.write() as w:
        account = common.found(await repo.get(w.session, Account, ws, account_id), "Account", account_id)
        for field in ACCOUNT_FIELDS:
            if field in changes:
                setattr(account, field, changes[field])
        account.updated_at = utcnow()
        w.session.add(account)
        if "external_id" in changes:
            await _claim_external_id(w.session, ws, account)
    return account


async def delete_account(ctx: Context, account_id: str) -> str:
    """Its contacts and links go with it (foreign keys cascade); the insights and signals it linked stay."""
    return await delete_row(ctx, ACCOUNTS, account_id, "Account")


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


def _validate_contact(data: dict[str, Any]) -> None:
    common.not_null(data, "is_primary")
    if "name" in data:
        common.text(data["name"], "name", max_length=500)
    for field, length in CONTACT_LENGTHS.items():
        if field in data:
            common.text(data[field], common.camel(field), max_length=length, required=False)
    if "email" in data:
        _email(data["email"])


def _contact_fields(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    _validate_contact({"name": None, **data} if creating else data)
    return {k: data[k] for k in CONTACT_FIELDS if k in data}


async def _one_primary(w: Write, contact: Contact, values: dict[str, Any], before: dict[str, Any] | None) -> None:
    """A contact made primary demotes the account's other primary contact."""
    if values.get("is_primary"):
        await accounts_repo.clear_primary(w.session, w.workspace_id, contact.account_id, except_id=contact.id)


CONTACTS = Child(Account, Contact.account_id, "contacts", _contact_fields, CONTACTS_PER_ACCOUNT, after_save=_one_primary)
