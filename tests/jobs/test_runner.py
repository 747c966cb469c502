"""The job wrapper and the in-process runner: retries with backoff, final failure, deduplication,
at-least-once delivery, timeouts, and the sweeper picking up what fell through."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import orjson
import pytest

from signalgraph.jobs.queue import MAX_JOBS, InProcessQueue, JobRef
from signalgraph.jobs.runner import WORKER_LOST, backoff
from signalgraph.jobs.sweeper import sweep_jobs
from signalgraph.logs import JsonFormatter
from signalgraph.storage.models.base import utcnow
from signalgraph.storage.repositories import jobs as jobs_repo
from tests.jobs.conftest import ALL_FUNCTIONS, job_settings
from tests.jobs.sample_jobs import SETTLED
from tests.test_logs import captured


async def run(harness, job) -> None:
    assert await harness.queue.enqueue(job) is True
    await harness.queue.drain()


async def test_a_failing_try_is_retried_with_backoff_until_it_succeeds(make_harness):
    harness = await make_harness(job_max_tries=5, job_retry_delay_seconds=0.01)
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    harness.services.queue = InProcessQueue(harness.services.settings, ALL_FUNCTIONS, {"services": harness.services},
                                            sleep=record)
    job = await harness.schedule("flaky")

    await run(harness, job)

    row = await harness.row(job.id)
    assert (row.status, row.attempts, row.last_error) == ("succeeded", 3, None)
    assert row.finished_at is not None and row.started_at is not None
    assert delays == [0.01, 0.02]  # Retry(defer=…) doubled per try, and honoured by the runner


def test_backoff_doubles_and_is_capped():
    settings = job_settings("sqlite+aiosqlite://", job_retry_delay_seconds=5)
    assert [backoff(settings, attempt) for attempt in (1, 2, 3, 10)] == [5, 10, 20, 300]


@pytest.mark.parametrize(
    ("kind", "max_tries", "attempts", "error"),
    [
        ("failing", 3, 3, "boom"),  # retried until the last try
        ("permanent", 5, 1, "nothing to process"),  # a permanent error fails at once
    ],
)
async def test_a_job_that_cannot_succeed_fails_with_its_error_and_settles_its_target(
    make_harness, kind, max_tries, attempts, error
):
    harness = await make_harness(job_max_tries=max_tries)
    job = await harness.schedule(kind)

    await run(harness, job)

    row = await harness.row(job.id)
    assert (row.status, row.attempts, row.last_error) == ("failed", attempts, error)
    assert (job.id, error) in SETTLED


async def test_a_try_over_the_time_limit_is_retried(make_harness):
    harness = await make_harness(job_timeout_seconds=1, job_max_tries=3)
    job = await harness.schedule("sleepy")

    await run(harness, job)

    row = await harness.row(job.id)
    assert (row.status, row.attempts) == ("succeeded", 2)


async def test_the_same_job_enqueued_twice_runs_once(make_harness):
    harness = await make_harness()
    job = await harness.schedule("flaky")

    await harness.queue.enqueue(job)
    await harness.queue.enqueue(job)
    await harness.queue.drain()

    assert (await harness.row(job.id)).attempts == 3


async def test_a_finished_job_delivered_again_does_nothing(make_harness):
    harness = await make_harness()
    job = await harness.schedule("flaky")
    await run(harness, job)

    await run(harness, job)

    row = await harness.row(job.id)
    assert (row.status, row.attempts) == ("succeeded", 3)


async def test_scheduling_a_finished_job_again_queues_it_afresh(make_harness):
    harness = await make_harness()
    job = await harness.schedule("failing")
    await run(harness, job)

    again = await harness.schedule("failing", job.target_id)

    assert again == job
    row = await harness.row(job.id)
    assert (row.status, row.attempts, row.last_error) == ("queued", 0, None)


async def test_the_sweeper_queues_jobs_that_never_reached_the_queue(make_harness):
    harness = await make_harness()
    job = await harness.schedule("flaky")  # scheduled, but the enqueue after the commit never happened

    assert await sweep_jobs({"services": harness.services}) >= 1
    await harness.queue.drain()

    assert (await harness.row(job.id)).status == "succeeded"


async def test_the_sweeper_requeues_a_job_whose_heartbeat_stopped_but_not_a_running_one(make_harness):
    """Its heartbeat (updated_at) decides, not when it started: a long job that beats is left alone."""
    harness = await make_harness(processing_timeout_seconds=60)
    stale, fresh = await harness.schedule("flaky"), await harness.schedule("flaky")
    an_hour_ago = utcnow() - timedelta(hours=1)
    await harness.set_row(stale.id, status="running", attempts=1, started_at=an_hour_ago,
                          updated_at=utcnow() - timedelta(seconds=61))
    await harness.set_row(fresh.id, status="running", attempts=1, started_at=an_hour_ago, updated_at=utcnow())

    await sweep_jobs({"services": harness.services})
    await harness.queue.drain()

    assert ((await harness.row(stale.id)).status, (await harness.row(stale.id)).attempts) == ("succeeded", 3)
    assert (await harness.row(fresh.id)).status == "running"


async def test_a_job_that_keeps_losing_its_worker_fails_after_its_tries(make_harness):
    harness = await make_harness(job_max_tries=3)
    job = await harness.schedule("failing")
    await harness.set_row(job.id, status="running", attempts=3, started_at=utcnow() - timedelta(hours=1),
                          updated_at=utcnow() - timedelta(hours=1))

    await sweep_jobs({"services": harness.services})
    await harness.queue.drain()

    row = await harness.row(job.id)
    assert (row.status, row.attempts, row.last_error) == ("failed", 3, WORKER_LOST)
    assert (job.id, WORKER_LOST) in SETTLED


async def test_the_in_process_runner_sweeps_when_it_starts(make_harness):
    harness = await make_harness()
    job = await harness.schedule("flaky")
    queue = InProcessQueue(harness.services.settings, ALL_FUNCTIONS, {"services": harness.services},
                           periodic=[sweep_jobs])
    harness.services.queue = queue

    await queue.start()
    row = await harness.wait_for(job.id, "succeeded")
    await queue.close()

    assert row.status == "succeeded"


async def test_closing_the_runner_leaves_unfinished_jobs_to_the_next_sweep(make_harness):
    harness = await make_harness(job_timeout_seconds=30)
    job = await harness.schedule("sleepy")
    await harness.queue.enqueue(job)
    await harness.wait_for(job.id, "running")

    await harness.queue.close()

    assert (await harness.row(job.id)).status == "running"


async def test_job_log_lines_carry_the_job_id_and_kind(make_harness):
    harness = await make_harness(job_max_tries=3)
    failing, flaky = await harness.schedule("failing"), await harness.schedule("flaky")
    with captured(JsonFormatter(), "signalgraph.jobs") as out:
        await run(harness, failing)
        await run(harness, flaky)  # its third try succeeds
    entries = [orjson.loads(line) for line in out.getvalue().splitlines()]
    tried = [e for e in entries if e["message"] == f"job {failing.id} try 1 failed: boom"]
    assert [(e["level"], e["job_id"], e["job_kind"]) for e in tried] == [("WARNING", failing.id, "failing")]
    assert "request_id" not in tried[0]
    done = [e for e in entries if e["message"] == f"job {flaky.id} succeeded on try 3"]
    assert [(e["job_id"], e["job_kind"]) for e in done] == [(flaky.id, "flaky")]


async def test_a_running_job_heartbeats_so_the_sweeper_leaves_it_alone(make_harness):
    harness = await make_harness(processing_timeout_seconds=1, job_timeout_seconds=30)  # a beat every 0.25 s
    job = await harness.schedule("sleepy")  # its first try sleeps for a minute
    await harness.queue.enqueue(job)
    started = (await harness.wait_for(job.id, "running")).updated_at

    await asyncio.sleep(1.5)  # longer than the processing timeout
    row = await harness.row(job.id)
    async with harness.db.read() as session:
        swept = {r.id for r in await jobs_repo.sweepable(session, utcnow() - timedelta(seconds=1), 500)}

    assert row.status == "running" and row.updated_at > started
    assert job.id not in swept


async def test_the_in_process_runner_runs_at_most_max_jobs_at_once():
    """A burst of creates without Redis queues a job each: they wait their turn rather than all opening
    sessions and reading their signals at once, which starved the requests and held every job in memory."""
    running, most, finished = 0, 0, 0
    release = asyncio.Event()

    async def held(ctx, target_id):
        nonlocal running, most, finished
        running += 1
        most = max(most, running)
        await release.wait()
        running, finished = running - 1, finished + 1

    queue = InProcessQueue(job_settings("sqlite+aiosqlite://"), {"held": held}, {})
    for i in range(3 * MAX_JOBS):
        await queue.enqueue(JobRef(kind="held", target_id=str(i), id=f"job-{i}"))
    for _ in range(20):  # every task that can start has started
        await asyncio.sleep(0)
    assert (running, finished) == (MAX_JOBS, 0)

    release.set()
    await queue.drain()
    assert (most, finished) == (MAX_JOBS, 3 * MAX_JOBS)
