"""Job functions for the runner tests, written with the same wrapper as the real jobs.

Their behaviour depends only on the try number kept in the job row, so they act the same in this
process and in a worker subprocess.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from signalgraph.jobs.runner import JobRun, PermanentJobError, job
from signalgraph.storage.models import Job

SUCCEEDS_ON_TRY = 3
SLEEPY_SECONDS = 60
SETTLED: list[tuple[str, str]] = []  # (job id, error) passed to on_failure, in this process


async def settle(session: AsyncSession, row: Job, error: str) -> None:
    SETTLED.append((row.id, error))


@job("flaky", on_failure=settle)
async def flaky(run: JobRun) -> None:
    if run.attempt < SUCCEEDS_ON_TRY:
        raise RuntimeError(f"flaky try {run.attempt}")


@job("failing", on_failure=settle)
async def failing(run: JobRun) -> None:
    raise RuntimeError("boom")


@job("permanent", on_failure=settle)
async def permanent(run: JobRun) -> None:
    raise PermanentJobError("nothing to process")


@job("sleepy")
async def sleepy(run: JobRun) -> None:
    """The first try hangs (long enough to be killed or time out); later tries succeed."""
    if run.attempt == 1:
        await asyncio.sleep(SLEEPY_SECONDS)


TEST_FUNCTIONS = {f.kind: f for f in (flaky, failing, permanent, sleepy)}
