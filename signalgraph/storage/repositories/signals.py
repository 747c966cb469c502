"""Signal queries, and the raw text each typed signal keeps in the blob store."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import blobs
from ..models import Account, Blob, Signal, SignalAccount, SignalProduct
from . import base
from .base import Page

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"


def text_key(workspace_id: str, signal_id: str) -> str:
    """Where a signal's raw text lives; fixed by its ids, so processing and delete never trust `data`."""
    return f"signals/manual-text/{workspace_id}/{signal_id}.txt"


async def put_text(session: AsyncSession, workspace_id: str, signal_id: str, text: str) -> str:
    key = text_key(workspace_id, signal_id)
    await blobs.put(session, workspace_id, key, text.encode("utf-8"), TEXT_CONTENT_TYPE)
    return key


async def get_text(session: AsyncSession, workspace_id: str, signal_id: str) -> str | None:
    blob = await blobs.get(session, workspace_id, text_key(workspace_id, signal_id))
    return blob.content.decode("utf-8") if blob else None


async def texts_by_signal_id(session: AsyncSession, workspace_id: str, signal_ids: Iterable[str]) -> dict[str, str]:
    """The raw text of each signal that has one, in one statement (the `text_by_signal_id` loader)."""
    keys = {text_key(workspace_id, id_): id_ for id_ in set(signal_ids)}
    if not keys:
        return {}
    stmt = select(Blob.key, Blob.content).where(Blob.key.in_(list(keys)), Blob.workspace_id == workspace_id)
    return {keys[key]: content.decode("utf-8") for key, content in (await session.execute(stmt)).all()}


async def remove_text(session: AsyncSession, workspace_id: str, signal_id: str) -> None:
    await blobs.remove(session, workspace_id, text_key(workspace_id, signal_id))


async def by_public_number(
    session: AsyncSession, workspace_id: str, number: int, *, lock: bool = False
) -> Signal | None:
    """With `lock`, for a write: the row stays until the transaction ends, as `base.get` keeps it."""
    stmt = select(Signal).where(Signal.workspace_id == workspace_id, Signal.public_number == number)
    if lock:
        stmt = stmt.with_for_update(key_share=True)
    return (await session.execute(stmt)).scalars().first()


async def by_external_id(session: AsyncSession, workspace_id: str, external_id: str) -> Signal | None:
    stmt = select(Signal).where(Signal.workspace_id == workspace_id, Signal.external_id == external_id)
    return (await session.execute(stmt)).scalars().first()


async def account_id_by_external_id(session: AsyncSession, workspace_id: str, external_id: str) -> str | None:
    """The account a signal's `accountExternalId` names, if the workspace has it yet."""
    stmt = select(Account.id).where(Account.workspace_id == workspace_id, Account.external_id == external_id)
    return (await session.execute(stmt)).scalars().first()


async def list_signals(
    session: AsyncSession,
    workspace_id: str,
    *,
    limit: int,
    offset: int,
    status: list[str] | None = None,
    signal_type: list[str] | None = None,
    provider_type: str | None = None,
    external_id: str | None = None,
    account_id: str | None = None,
    product_id: str | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page:
    stmt = select(Signal).where(Signal.workspace_id == workspace_id)
    if status:
        stmt = stmt.where(Signal.status.in_(status))
    if signal_type:
        stmt = stmt.where(Signal.signal_type.in_(signal_type))
    if provider_type is not None:
        stmt = stmt.where(Signal.provider_type == provider_type)
    if external_id is not None:
        stmt = stmt.where(Signal.external_id == external_id)
    if account_id is not None:
        linked = select(SignalAccount.signal_id).where(
            SignalAccount.account_id == account_id, SignalAccount.workspace_id == workspace_id
        )
        stmt = stmt.where(Signal.id.in_(linked))
    if product_id is not None:
        linked = select(SignalProduct.signal_id).where(
            SignalProduct.product_id == product_id, SignalProduct.workspace_id == workspace_id
        )
        stmt = stmt.where(Signal.id.in_(linked))
    if search:
        stmt = stmt.where(base.search_clause(search, Signal.name))
    if updated_since is not None:
        stmt = stmt.where(Signal.updated_at >= updated_since)
    return await base.page(
        session, stmt, limit=limit, offset=offset, order_by=(Signal.created_at.desc(), Signal.public_number.desc())
    )


async def delete_signal(session: AsyncSession, workspace_id: str, signal_id: str) -> bool:
    result = await session.execute(delete(Signal).where(Signal.id == signal_id, Signal.workspace_id == workspace_id))
    return result.rowcount > 0
