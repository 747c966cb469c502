"""The sweeper: hands to the queue again the work that fell through.

A job row still `queued` may never have reached the queue (Redis was down when it was asked for, or
lost its data since); a row `running` whose heartbeat is older than `settings.processing_timeout_seconds`
belongs to a worker that died: the runner is told to forget it was running, then it is queued again. Both are enqueued again under their own ids: a job the queue still holds is
not duplicated (arq and the in-process runner deduplicate by id), and the job wrapper counts tries.
Run by arq as a cron job on every worker, and periodically by the in-process runner.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from .. import logs
from ..services import Services
from ..storage.engine import UNREACHABLE, describe_database
from ..storage.models.base import utcnow
from ..storage.repositories import jobs as jobs_repo
from .queue import JobRef

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


async def sweep_jobs(ctx: dict[str, Any]) -> int:
    """Re-queue what fell through; returns how many jobs were handed over."""
    services: Services = ctx["services"]
    stale_before = utcnow() - timedelta(seconds=services.settings.processing_timeout_seconds)
    try:
        async with services.db.read() as session:
            rows = await jobs_repo.sweepable(session, stale_before, SWEEP_BATCH)
    except UNREACHABLE as exc:  # one line, not a traceback at every sweep: /readyz says the rest
        logger.warning(
            "sweep skipped: database %s unreachable (%s)",
            describe_database(services.settings.database_url), logs.one_line(exc),
        )
        return 0
    handed = 0
    for row in rows:
        ref = JobRef(kind=row.kind, target_id=row.target_id, id=row.id)
        if row.status == "running":
            await services.queue.release(ref)
        if not await services.queue.enqueue(ref):
            break  # the queue is unreachable: the next sweep tries again
        handed += 1
    if handed:
        logger.info("sweeper re-queued %d job(s)", handed)
    return handed
