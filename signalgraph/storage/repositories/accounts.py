"""Account and contact queries, and the deferred link from signals that named an account before it existed."""

from __future__ import annotations

from sqlalchemy import exists, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from ..models import Account, Contact, Signal, SignalAccount
from ..models.base import utcnow
from .base import Repository, equals, insert_ignoring_duplicates


def domain_clause(value: str) -> ColumnElement[bool]:
    """Exact, case-insensitive match on domain or website, where a bare host also matches its http(s) URL:
    `example.com` finds the website `https://example.com/`; `https://example.com` the domain `example.com`."""
    wanted = value.strip().lower()
    host = wanted.removeprefix("https://").removeprefix("http://").rstrip("/")
    forms = {wanted, host} | {
        f"{scheme}{host}{slash}" for scheme in ("http://", "https://") for slash in ("", "/")
    }
    return or_(func.lower(Account.domain).in_({wanted, host}), func.lower(Account.website).in_(forms))


async def link_waiting_signals(
    session: AsyncSession, workspace_id: str, account_id: str, external_id: str
) -> int:
    """Link the account to every signal that named its external id before the account had it.

    One INSERT … SELECT: each new link goes after the signal's existing ones; linked signals are skipped,
    and so is a link a concurrent transaction wrote meanwhile (ON CONFLICT DO NOTHING).
    """
    links = SignalAccount.__table__
    already = exists().where(links.c.signal_id == Signal.id, links.c.account_id == account_id)
    next_position = (
        select(func.coalesce(func.max(links.c.position) + 1, 0))
        .where(links.c.signal_id == Signal.id)
        .scalar_subquery()
    )
    waiting = select(Signal.id, literal(account_id), literal(workspace_id), next_position).where(
        Signal.workspace_id == workspace_id, Signal.account_external_id == external_id, ~already
    )
    stmt = insert_ignoring_duplicates(session, SignalAccount).from_select(
        ["signal_id", "account_id", "workspace_id", "position"], waiting
    )
    return (await session.execute(stmt)).rowcount


async def clear_primary(session: AsyncSession, workspace_id: str, account_id: str, *, except_id: str) -> None:
    """One primary contact per account: demote the others."""
    await session.execute(
        update(Contact)
        .where(
            Contact.account_id == account_id,
            Contact.workspace_id == workspace_id,
            Contact.id != except_id,
            Contact.is_primary.is_(True),
        )
        .values(is_primary=False, updated_at=utcnow())
    )


ACCOUNTS = Repository(
    Account,
    filters={
        "name": lambda value, _ws: func.lower(Account.name) == value.lower(),
        "domain": lambda value, _ws: domain_clause(value),
        "external_id": equals(Account.external_id),
    },
    search=(Account.name, Account.domain, Account.website, Account.external_id),
)
