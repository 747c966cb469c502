"""Signal processing: the signal's text through the extractor, then one transaction that reconciles its
insights, links the people and companies it names, and settles it `processed` with its context.

Only the signal's latest run (its `last_job_id`) writes: a superseded run stops. The extraction runs
outside any transaction, and a failure writes nothing but the failure: the signal stays `processing`
with its `lastError` while the job retries, and ends `failed` after the last try.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from ..processing.extract import ExtractionRequest, create_extractor
from ..processing.findings import reconcile_insights
from ..processing.participants import resolve_participants
from ..processing.signal_derivation import raw_text
from ..storage.models import Job, Signal
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import jobs as jobs_repo
from ..storage.repositories import links
from ..storage.repositories import signal_runs as runs_repo
from ..vocabulary import SIGNAL_TYPE_PROFILES
from .queue import PROCESS_SIGNAL
from .runner import JobRun, PermanentJobError, job


def extraction_request(signal: Signal, stored_text: str | None) -> ExtractionRequest | None:
    """What to extract from: the stored text of a typed signal, or the evidence in a raw one's payloads
    (its turns as `Speaker: words` lines when it is read as a conversation); None when there is none."""
    additional_context = (signal.data or {}).get("additionalContext")
    evidence_kind = signal.evidence_kind if signal.evidence_kind in SIGNAL_TYPE_PROFILES else None
    request = ExtractionRequest(
        text=stored_text or "",
        signal_type=signal.signal_type or evidence_kind,
        analysis_profile=signal.analysis_profile,
        additional_context=additional_context if isinstance(additional_context, str) else None,
    )
    if stored_text is not None:
        return request
    text = raw_text(signal.source, signal.data, speakers=request.is_conversation)
    return None if text is None else replace(request, text=text)


async def _current(session: AsyncSession, job_id: str, workspace_id: str, signal_id: str) -> Signal | None:
    """The signal, locked, if the job is still its latest run."""
    signal = await jobs_repo.lock_target(session, Signal, workspace_id, signal_id)
    return signal if signal is not None and signal.last_job_id == job_id else None


async def _retrying(session: AsyncSession, row: Job, error: str) -> None:
    signal = await _current(session, row.id, row.workspace_id, row.target_id)
    if signal is not None:
        signal.last_error = error


async def _failed(session: AsyncSession, row: Job, error: str) -> None:
    signal = await _current(session, row.id, row.workspace_id, row.target_id)
    if signal is not None:
        now = utcnow()
        signal.status, signal.failed_at, signal.last_error, signal.updated_at = "failed", now, error, now


@job(PROCESS_SIGNAL, on_failure=_failed, on_retry=_retrying)
async def process_signal(run: JobRun) -> None:
    ws, db = run.workspace_id, run.services.db
    # What to extract is only read: outside the writer's turn (SQLite), without row locks, and without a
    # snapshot shared by its two statements (no BEGIN and ROLLBACK on PostgreSQL). The transaction that
    # writes the results checks again that this run is still the signal's latest.
    async with db.read_autocommit() as session:
        inputs = await runs_repo.processing_inputs(session, ws, run.target_id)
    if inputs is None or inputs[0].last_job_id != run.job_id:
        return  # deleted, or a newer run was asked for
    read, text, product_ids, account_ids = inputs
    request = extraction_request(read, text)
    if request is None:
        raise PermanentJobError(f"SIGNAL-{read.public_number} has no text to process")
    if read.status == "pending":  # its job had to wait for the sweeper: it is being processed now
        async with db.write() as session:
            pending = await _current(session, run.job_id, ws, run.target_id)
            if pending is None:
                return
            pending.status = "processing"

    extractor = run.services.extractor_pool or create_extractor(run.services.settings, run.usage)
    extraction = await extractor.extract(request)

    async with db.write() as session:
        await run.succeed(session)  # committed with the results, or not at all
        signal = await runs_repo.settle_processed(session, ws, run.target_id, run.job_id, extraction.context, utcnow())
        if signal is None:
            return
        named = await resolve_participants(
            session,
            ws,
            extraction,
            policy=signal.participant_policy,
            create_missing_accounts=signal.create_missing_accounts,
            fallback_account_id=account_ids[0] if account_ids else None,
        )
        await repo.add_links(session, links.SIGNAL_ACCOUNTS, ws, signal.id, named)
        # Last: the drafts it locks are shared with other signals' jobs, which wait for this commit.
        await reconcile_insights(
            session,
            signal,
            request,
            extraction,
            product_id=product_ids[0] if product_ids else None,
            account_ids=list(dict.fromkeys([*account_ids, *named])),
        )
