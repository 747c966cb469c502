"""Processing as the API asks for it: a run of a signal's processing (on create, or `processSignal`),
and `extractInsights`, the same extractor run synchronously on a transcript.

A run is asked for inside the caller's transaction (the signal goes `processing` and points at its
job) and handed to the queue after the commit. When the queue cannot take it (Redis down), the signal
waits as `pending` and the sweeper queues its job later.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import InvalidInput, TooLarge
from ..jobs.extract import ExtractionRequest, create_extractor
from ..jobs.findings import insight_fields
from ..jobs.queue import JobRef, schedule
from ..jobs.signals import KIND as PROCESS_SIGNAL
from ..storage.models import Insight, Product, Signal
from ..storage.models.base import utcnow
from ..storage.repositories import signal_processing as processing_repo
from ..storage.repositories import signals as signals_repo
from . import common
from .request_context import Context
from .signal_creation import MAX_TEXT_CHARS
from .signals import public_number


async def request_processing(session: AsyncSession, signal: Signal, now: datetime) -> JobRef:
    """In the caller's transaction (the signal row written): count a run, record its job, show it processing."""
    run = await processing_repo.next_run(session, signal.workspace_id, signal.id)
    job = await schedule(session, signal.workspace_id, PROCESS_SIGNAL, signal.id, run)
    signal.attempts, signal.status, signal.last_job_id, signal.started_at = run, "processing", job.id, now
    signal.processed_at = signal.failed_at = signal.last_error = None
    signal.updated_at = now
    session.add(signal)
    return job


async def hand_over(ctx: Context, signal: Signal, job: JobRef) -> None:
    """After the commit: enqueue the run; if the queue is unreachable, the signal waits as `pending`."""
    if await ctx.queue.enqueue(job):
        return
    async with ctx.db.write() as session:
        await processing_repo.mark_pending(session, signal.workspace_id, signal.id, job.id)
    signal.status = "pending"
    ctx.invalidate_loaders()


async def process_signal(ctx: Context, public_id: str) -> tuple[str, Signal]:
    """Queue a new run of a signal's processing; returns its job id and the signal."""
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        number = public_number(public_id)
        signal = number and await signals_repo.by_public_number(session, ws, number)
        signal = common.found(signal or None, "Signal", public_id)
        if signal.signal_type is None:
            raise InvalidInput(f"{public_id} is a raw signal without text to process", field="publicId")
        job = await request_processing(session, signal, utcnow())
    ctx.invalidate_loaders()
    await hand_over(ctx, signal, job)
    return job.id, signal


async def extract_insights(ctx: Context, data: dict[str, Any]) -> list[Insight]:
    """The findings of a transcript as draft insights: returned unsaved (with fresh ids) unless `create_insights`."""
    transcript = data.get("transcript")
    if isinstance(transcript, str) and len(transcript) > MAX_TEXT_CHARS:
        raise TooLarge(f"transcript must be at most {MAX_TEXT_CHARS} characters", field="transcript")
    text = common.text(transcript, "transcript", max_length=MAX_TEXT_CHARS)
    ws = ctx.workspace_id
    async with ctx.db.read() as session:
        product_id = await common.linkable_one(session, Product, ws, data.get("product_id"), "productId")
    request = ExtractionRequest(text=text, signal_type="transcript")
    extraction = await create_extractor(ctx.settings).extract(request)
    insights = [
        Insight(workspace_id=ws, status="draft", product_id=product_id,
                **insight_fields(finding, request, extraction.extractor, None))
        for finding in extraction.findings
    ]
    if data.get("create_insights"):
        async with ctx.db.write() as session:
            await common.linkable_one(session, Product, ws, product_id, "productId")
            session.add_all(insights)
        ctx.invalidate_loaders()
    return insights
