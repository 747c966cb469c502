"""Queries of signal processing: run numbers, the signal locked for reconciliation, the insights a signal's
earlier runs extracted, and the contacts and accounts its evidence may name."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Account, Contact, Insight, Signal
from .accounts import domain_clause


async def next_run(session: AsyncSession, workspace_id: str, signal_id: str) -> int:
    """Count one more processing run of the signal, atomically (concurrent requests get distinct runs)."""
    stmt = (
        update(Signal)
        .where(Signal.id == signal_id, Signal.workspace_id == workspace_id)
        .values(attempts=Signal.attempts + 1)
        .returning(Signal.attempts)
    )
    return (await session.execute(stmt)).scalar_one()


async def mark_pending(session: AsyncSession, workspace_id: str, signal_id: str, job_id: str) -> None:
    """Back to `pending` when its job could not be queued, unless that job already got further."""
    await session.execute(
        update(Signal)
        .where(
            Signal.id == signal_id,
            Signal.workspace_id == workspace_id,
            Signal.last_job_id == job_id,
            Signal.status == "processing",
        )
        .values(status="pending")
    )


async def extracted_insights(session: AsyncSession, workspace_id: str, signal_id: str) -> list[Insight]:
    stmt = (
        select(Insight)
        .where(Insight.workspace_id == workspace_id, Insight.source_signal_id == signal_id)
        .order_by(Insight.created_at, Insight.id)
    )
    return list((await session.execute(stmt)).scalars())


def _lowered(values: Iterable[str | None]) -> list[str]:
    return sorted({v.strip().lower() for v in values if v and v.strip()})


async def contacts_named(
    session: AsyncSession, workspace_id: str, emails: Iterable[str | None], names: Iterable[str | None]
) -> list[Contact]:
    """Contacts with one of these e-mail addresses or names (case-insensitive), oldest first."""
    emails, names = _lowered(emails), _lowered(names)
    if not emails and not names:
        return []
    stmt = (
        select(Contact)
        .where(
            Contact.workspace_id == workspace_id,
            or_(func.lower(Contact.email).in_(emails), func.lower(Contact.name).in_(names)),
        )
        .order_by(Contact.created_at, Contact.id)
    )
    return list((await session.execute(stmt)).scalars())


async def accounts_named(
    session: AsyncSession, workspace_id: str, domains: Iterable[str | None], names: Iterable[str | None]
) -> list[Account]:
    """Accounts with one of these domains (or websites) or names (case-insensitive), oldest first."""
    domains, names = _lowered(domains), _lowered(names)
    if not domains and not names:
        return []
    stmt = (
        select(Account)
        .where(
            Account.workspace_id == workspace_id,
            or_(func.lower(Account.name).in_(names), *(domain_clause(d) for d in domains)),
        )
        .order_by(Account.created_at, Account.id)
    )
    return list((await session.execute(stmt)).scalars())
