"""Signal queries, and the raw text each typed signal keeps in the blob store."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import blobs
from ..models import Account, Blob, Signal

TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
from . import links
from .base import Repository, equals, is_in, through


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


SIGNALS = Repository(
    Signal,
    filters={
        "status": is_in(Signal.status),
        "signal_type": is_in(Signal.signal_type),
        "provider_type": equals(Signal.provider_type),
        "external_id": equals(Signal.external_id),
        "account_id": through(links.SIGNAL_ACCOUNTS.reversed(), Signal.id),
        "product_id": through(links.SIGNAL_PRODUCTS.reversed(), Signal.id),
    },
    search=(Signal.name,),
    order_by=(Signal.created_at.desc(), Signal.public_number.desc()),
)
