"""Signals: create (typed text or raw, deduplicated by externalId), read by publicId, update, delete."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Conflict, InvalidInput
from ..processing.signal_derivation import signal_links
from ..storage.models import Account, Insight, Product, Signal
from ..storage.models.base import modified, utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import links
from ..storage.repositories import signals as signals_repo
from ..storage.repositories import workspaces as workspaces_repo
from ..storage.repositories.base import Page, Slice
from . import common
from .request_context import Context
from .signal_creation import Draft, checked_source, draft, typed_data
from .signal_runs import hand_over, processable, request_processing

PUBLIC_ID = re.compile(r"SIGNAL-([1-9][0-9]{0,17})")
MAX_PUBLIC_NUMBER = 2**31 - 1  # signals.public_number is an INTEGER: PostgreSQL refuses a larger parameter
COUNTER = "signal"
# Statuses a client may set; `processing` and `failed` belong to processing.
UPDATABLE_STATUSES = ("pending", "processed")
from ..storage.repositories.signals import SIGNALS
from .resources import list_rows


@dataclass(frozen=True)
class SignalCreation:
    signal: Signal
    created: bool
    job_id: str | None = None


def public_number(public_id: str) -> int | None:
    """`SIGNAL-42` → 42; anything else, or a number past the INTEGER column, names no signal."""
    match = PUBLIC_ID.fullmatch(public_id)
    number = int(match[1]) if match else None
    return number if number is not None and number <= MAX_PUBLIC_NUMBER else None


async def _by_public_id(
    session: AsyncSession, workspace_id: str, public_id: str, *, lock: bool = False
) -> Signal | None:
    number = public_number(public_id)
    if number is None:
        return None
    return await signals_repo.by_public_number(session, workspace_id, number, lock=lock)


async def get_signal(ctx: Context, public_id: str) -> Signal | None:
    async with ctx.read() as session:
        return await _by_public_id(session, ctx.workspace_id, public_id)


async def list_signals(ctx: Context, *, window: Slice, **filters: Any) -> Page:
    return await list_rows(ctx, SIGNALS, window=window, **filters)


async def create_signal(ctx: Context, body: dict[str, Any]) -> SignalCreation:
    """Create the signal, or return the one that already has its `externalId` (created=False)."""
    now = utcnow()
    plan = draft(body, now)
    ws = ctx.workspace_id
    try:
        async with ctx.write() as w:
            existing = plan.external_id and await signals_repo.by_external_id(w.session, ws, plan.external_id)
            if existing:
                return SignalCreation(existing, created=False)
            signal = await _insert(w.session, ws, plan, now)
            # Evidence is processed: the run is recorded with the signal and queued after the commit.
            job = await request_processing(w.session, signal, now) if processable(signal) else None
    except IntegrityError:
        # A concurrent create with the same externalId committed first: answer with its signal.
        existing = await _existing(ctx, plan.external_id)
        if existing is None:
            raise
        return SignalCreation(existing, created=False)
    if job is not None:
        await hand_over(ctx, signal, job)
    return SignalCreation(signal, created=True, job_id=job.id if job else None)


async def _existing(ctx: Context, external_id: str | None) -> Signal | None:
    if external_id is None:
        return None
    async with ctx.read() as session:
        return await signals_repo.by_external_id(session, ctx.workspace_id, external_id)


async def _insert(session: AsyncSession, ws: str, plan: Draft, now: datetime) -> Signal:
    """Check the links, take the next public number, write the row, its text and its links."""
    product_ids = await common.linkable(session, Product, ws, plan.product_ids, "productIds")
    account_ids = [
        *await common.linkable(session, Account, ws, [plan.account_id] if plan.account_id else [], "accountId"),
        *await common.linkable(session, Account, ws, plan.account_ids, "accountIds"),
    ]
    if plan.account_external_id is not None:
        matched = await signals_repo.account_id_by_external_id(session, ws, plan.account_external_id)
        account_ids += [matched] if matched else []
    account_ids = list(dict.fromkeys(account_ids))
    # The counter row stays locked until commit: take it last, so concurrent creates wait the least.
    number = await workspaces_repo.next_counter_value(session, ws, COUNTER)
    signal = Signal(id=plan.id, workspace_id=ws, public_number=number, **plan.columns)
    if plan.typed:
        key = await signals_repo.put_text(session, ws, signal.id, plan.text)
        signal.data = typed_data(plan, key, product_ids, account_ids, now)
    signal.source_links = signal_links(signal.source, signal.data, signal.provider_type, signal.evidence_kind)
    session.add(signal)
    await session.flush()
    await repo.replace_links(session, links.SIGNAL_PRODUCTS, ws, signal.id, product_ids)
    await repo.replace_links(session, links.SIGNAL_ACCOUNTS, ws, signal.id, account_ids)
    return signal


def _validate_update(changes: dict[str, Any]) -> None:
    common.not_null(changes, "name", "status", "source")
    if "name" in changes:
        common.text(changes["name"], "name", max_length=500)
    if "context" in changes:
        common.text(changes["context"], "context", max_length=64, required=False)
    if changes.get("external_id") is not None:
        common.text(changes["external_id"], "externalId", max_length=500)
    common.one_of(changes.get("status"), UPDATABLE_STATUSES, "status")
    if "source" in changes:
        checked_source(changes["source"])
    if changes.get("data") is not None and not isinstance(changes["data"], dict):
        raise InvalidInput("data must be a JSON object", field="data")


async def update_signal(ctx: Context, public_id: str, changes: dict[str, Any]) -> Signal:
    _validate_update(changes)
    ws = ctx.workspace_id
    try:
        async with ctx.write() as w:
            signal = common.found(await _by_public_id(w.session, ws, public_id, lock=True), "Signal", public_id)
            external_id = changes.get("external_id")
            if (
                external_id is not None
                and external_id != signal.external_id
                and await signals_repo.by_external_id(w.session, ws, external_id)
            ):
                raise _external_id_taken(external_id)
            for name in ("name", "status", "context", "external_id", "source", "data"):
                if name in changes:
                    setattr(signal, name, changes[name])
            if "source" in changes or "data" in changes:
                signal.source_links = signal_links(signal.source, signal.data, signal.provider_type, signal.evidence_kind)
            changed = modified(signal)  # before a query flushes it
            if "insight_ids" in changes:
                ids = await common.linkable(w.session, Insight, ws, changes["insight_ids"], "insightIds")
                changed |= await repo.replace_links(w.session, links.SIGNAL_INSIGHTS, ws, signal.id, ids)
            if changed:
                signal.updated_at = utcnow()
            w.session.add(signal)
    except IntegrityError:
        # Another update took the same externalId between our check and our commit.
        raise _external_id_taken(changes.get("external_id")) from None
    return signal


def _external_id_taken(external_id: str | None) -> Conflict:
    return Conflict(f"Another signal already has externalId {external_id}", field="externalId")


async def delete_signal(ctx: Context, public_id: str) -> str:
    """Delete the signal, its links and its raw text; returns its id."""
    ws = ctx.workspace_id
    async with ctx.write() as w:
        signal = common.found(await _by_public_id(w.session, ws, public_id, lock=True), "Signal", public_id)
        await signals_repo.remove_text(w.session, ws, signal.id)
        await SIGNALS.delete(w.session, ws, signal.id)
    return signal.id


async def process_signal(ctx: Context, public_id: str) -> tuple[str, Signal]:
    """Queue a new run of a signal's processing; returns its job id and the signal."""
    ws = ctx.workspace_id
    async with ctx.write() as w:
        number = public_number(public_id)
        signal = number and await signals_repo.by_public_number(w.session, ws, number, lock=True)
        signal = common.found(signal or None, "Signal", public_id)
        if not processable(signal):
            raise InvalidInput(f"{public_id} is a raw signal without text to process", field="publicId")
        job = await request_processing(w.session, signal, utcnow())
    await hand_over(ctx, signal, job)
    return job.id, signal
