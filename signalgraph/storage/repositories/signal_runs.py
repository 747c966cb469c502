"""Queries of signal processing: run numbers, the insights a signal's earlier runs gave evidence to, the
open draft about a subject, and the contacts and accounts its evidence may name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, literal, or_, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ..models import (
    Account,
    AccountInsight,
    Blob,
    Contact,
    Insight,
    Signal,
    SignalAccount,
    SignalInsight,
    SignalProduct,
)
from .accounts import domain_clause
from .base import insert_ignoring_duplicates
from .signals import text_key


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


# Built once: a worker runs them for every signal, and building a statement costs more than running it.
_SIGNAL_AND_TEXT = (
    select(Signal, col(Blob.content))
    .outerjoin(Blob, and_(col(Blob.key) == bindparam("text_key"), col(Blob.workspace_id) == bindparam("ws")))
    .where(col(Signal.id) == bindparam("signal_id"), col(Signal.workspace_id) == bindparam("ws"))
)
_PRODUCTS_AND_ACCOUNTS: Any = union_all(
    select(
        literal("product").label("kind"), col(SignalProduct.product_id).label("other_id"), literal(0).label("position")
    ).where(col(SignalProduct.signal_id) == bindparam("signal_id"), col(SignalProduct.workspace_id) == bindparam("ws")),
    select(literal("account"), col(SignalAccount.account_id), col(SignalAccount.position)).where(
        col(SignalAccount.signal_id) == bindparam("signal_id"), col(SignalAccount.workspace_id) == bindparam("ws")
    ),
).order_by("kind", "position", "other_id")


async def processing_inputs(
    session: AsyncSession, workspace_id: str, signal_id: str
) -> tuple[Signal, str | None, list[str], list[str]] | None:
    """What processing reads of a signal, in two statements: the signal with its stored text (None for a
    raw signal), and the ids of its products and of its accounts in link order; None when it is gone."""
    params = {"signal_id": signal_id, "ws": workspace_id}
    found = (await session.execute(_SIGNAL_AND_TEXT, {**params, "text_key": text_key(workspace_id, signal_id)})).first()
    if found is None:
        return None
    signal, content = found
    linked: dict[str, list[str]] = {"product": [], "account": []}
    for kind, other_id, _ in (await session.execute(_PRODUCTS_AND_ACCOUNTS, params)).all():
        linked[kind].append(other_id)
    text = content.decode("utf-8") if content is not None else None
    return signal, text, linked["product"], linked["account"]


async def reconciled_insights(
    session: AsyncSession, workspace_id: str, signal_id: str, subject_keys: Iterable[str], *, lock: bool = True
) -> tuple[list[Insight], dict[str, Insight]]:
    """What a run of the signal reconciles, read afresh and locked until the transaction ends (PostgreSQL),
    in one statement: the insights its earlier runs may have given evidence to (created by it or linked
    to it), oldest first, and the workspace's open draft about each of these subjects (at most one: a
    unique index). Rows are locked in subject order, so concurrent runs lock shared drafts in one order;
    without `lock`, only read."""
    linked = select(col(SignalInsight.insight_id)).where(
        col(SignalInsight.signal_id) == signal_id, col(SignalInsight.workspace_id) == workspace_id
    )
    contributed = or_(col(Insight.source_signal_id) == signal_id, col(Insight.id).in_(linked))
    subject_keys = sorted(set(subject_keys))
    wanted = or_(contributed, _open_draft(subject_keys)) if subject_keys else contributed
    stmt = (
        select(Insight, contributed.label("contributed"))
        .where(col(Insight.workspace_id) == workspace_id, wanted)
        .order_by(col(Insight.subject_key), col(Insight.id))
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update()
    earlier: list[Insight] = []
    drafts: dict[str, Insight] = {}
    for insight, was_contributed in (await session.execute(stmt)).all():
        if was_contributed:
            earlier.append(insight)
        if insight.subject_key in subject_keys and insight.status == "draft" and insight.edited_at is None:
            drafts[insight.subject_key] = insight
    earlier.sort(key=lambda i: (i.created_at, i.id))
    return earlier, drafts


def _open_draft(subject_keys: list[str]) -> Any:
    return and_(
        col(Insight.subject_key).in_(subject_keys), col(Insight.status) == "draft", col(Insight.edited_at).is_(None)
    )


async def open_draft(session: AsyncSession, workspace_id: str, subject_key: str) -> Insight | None:
    """The workspace's open draft about this subject (at most one: a unique index), locked and read
    afresh, since a concurrent job may have just changed it."""
    stmt = (
        select(Insight)
        .where(col(Insight.workspace_id) == workspace_id, _open_draft([subject_key]))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalars().first()


async def unlink_insights(session: AsyncSession, workspace_id: str, signal_id: str, insight_ids: list[str]) -> None:
    if insight_ids:
        await session.execute(
            delete(SignalInsight).where(
                col(SignalInsight.workspace_id) == workspace_id,
                col(SignalInsight.signal_id) == signal_id,
                col(SignalInsight.insight_id).in_(insight_ids),
            )
        )


async def link_insights(
    session: AsyncSession, workspace_id: str, signal_id: str, insight_ids: list[str], account_ids: list[str]
) -> None:
    """Link the signal and each account to each insight, leaving the links already there (one statement
    per link table: INSERT … ON CONFLICT DO NOTHING, so a concurrent job's same link is no error)."""
    if not insight_ids:
        return
    await session.execute(
        insert_ignoring_duplicates(session, SignalInsight),
        [{"signal_id": signal_id, "insight_id": i, "workspace_id": workspace_id} for i in insight_ids],
    )
    if account_ids:
        await session.execute(
            insert_ignoring_duplicates(session, AccountInsight),
            [
                {"account_id": a, "insight_id": i, "workspace_id": workspace_id}
                for i in insight_ids
                for a in dict.fromkeys(account_ids)
            ],
        )


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
