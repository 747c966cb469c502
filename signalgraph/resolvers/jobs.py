"""Job state, as the API shows it: a job is read with the read scope of what it works on."""

from __future__ import annotations

from ..jobs.queue import ANALYZE_PRODUCT, INDEX_CONTEXT_DOCUMENT, INDEX_CONTEXT_UNIT, PROCESS_SIGNAL
from ..scopes import Scope
from ..storage.models import Job
from ..storage.repositories import jobs as jobs_repo
from .request_context import Context

# Job kind → the scope that may read it (and the thing it works on).
KIND_SCOPES = {
    PROCESS_SIGNAL: Scope.SIGNALS_READ,
    ANALYZE_PRODUCT: Scope.PRODUCTS_READ,
    INDEX_CONTEXT_UNIT: Scope.CONTEXT_UNITS_READ,
    INDEX_CONTEXT_DOCUMENT: Scope.CONTEXT_DOCUMENTS_READ,
}


async def get_job(ctx: Context, job_id: str) -> Job | None:
    """The job, or None when absent or another workspace's; FORBIDDEN without its kind's read scope."""
    principal = ctx.require()
    async with ctx.read() as session:
        job = await jobs_repo.get(session, principal.workspace_id, job_id)
    if job is not None:
        ctx.require(KIND_SCOPES[job.kind])
    return job
