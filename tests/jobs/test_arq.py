"""The same jobs on arq and a real Redis: retries, deduplication, Redis down when work is asked for.

A worker killed mid-job is tested with the real `signalgraph worker` in test_pipeline.py.

Every test uses a queue of its own on the shared Redis (127.0.0.1:6379), or a private redis-server when
it stops Redis; without Redis they skip with the reason, and fail under SIGNALGRAPH_TEST_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from arq.constants import in_progress_key_prefix
from arq.jobs import deserialize_job
from redis.asyncio import Redis

from signalgraph.jobs.queue import ArqQueue
from signalgraph.storage.models.base import utcnow
from tests.jobs.conftest import run_burst_worker

pytestmark = [
    pytest.mark.redis,
    pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning"),  # inside arq's Worker.close
]


async def test_enqueued_jobs_run_on_a_worker_with_retries(make_harness, shared_redis_url, queue_name):
    harness = await make_harness(redis_url=shared_redis_url, queue_name=queue_name, job_max_tries=5)
    flaky, failing = await harness.schedule("flaky"), await harness.schedule("failing")
    assert await harness.queue.enqueue(flaky) and await harness.queue.enqueue(failing)

    await run_burst_worker(harness.services.settings)

    flaky_row, failing_row = await harness.row(flaky.id), await harness.row(failing.id)
    assert (flaky_row.status, flaky_row.attempts) == ("succeeded", 3)  # arq ran it again on Retry
    assert (failing_row.status, failing_row.attempts, failing_row.last_error) == ("failed", 5, "boom")


async def test_a_job_id_is_queued_once_and_results_are_not_kept(make_harness, shared_redis_url, queue_name):
    harness = await make_harness(redis_url=shared_redis_url, queue_name=queue_name)
    job = await harness.schedule("flaky")
    queue = harness.queue
    assert isinstance(queue, ArqQueue)

    assert await queue.enqueue(job) and await queue.enqueue(job)

    assert await queue.redis.zrange(queue_name, 0, -1) == [job.id.encode()]
    await run_burst_worker(harness.services.settings)
    assert await queue.redis.exists(f"arq:job:{job.id}", f"arq:result:{job.id}") == 0


async def test_work_asked_for_while_redis_is_down_is_queued_by_the_sweeper(make_harness, private_redis):
    harness = await make_harness(redis_url=private_redis.url)
    await private_redis.stop()
    job = await harness.schedule("flaky")

    assert await harness.queue.enqueue(job) is False  # logged, not raised: the request still succeeds
    assert (await harness.row(job.id)).status == "queued"

    await private_redis.start()  # an empty Redis: nothing of the job is there
    client = Redis.from_url(private_redis.url)
    assert await client.exists(f"arq:job:{job.id}") == 0
    await client.aclose()
    await run_burst_worker(harness.services.settings)  # its start-up sweep queues the job, then runs it

    assert (await harness.row(job.id)).status == "succeeded"


async def test_a_job_whose_heartbeat_stopped_runs_again_at_once(make_harness, shared_redis_url, queue_name):
    """arq marks a started job in progress until the job timeout (plus 10 s) has passed; the sweeper clears
    the mark of a job whose worker stopped heartbeating, so the next worker runs it without that wait."""
    harness = await make_harness(redis_url=shared_redis_url, queue_name=queue_name, job_timeout_seconds=3600)
    job = await harness.schedule("flaky")
    queue = harness.queue
    assert isinstance(queue, ArqQueue)
    assert await queue.enqueue(job)
    await queue.redis.psetex(in_progress_key_prefix + job.id, 3_600_000, b"1")  # as a worker that died left it
    await harness.set_row(job.id, status="running", attempts=1, updated_at=utcnow() - timedelta(minutes=2))

    # Its start-up sweep releases the job, then it runs; without the release the worker would wait an hour.
    await asyncio.wait_for(run_burst_worker(harness.services.settings), 60)

    assert (await harness.row(job.id)).status == "succeeded"


async def test_a_job_is_written_as_arq_writes_it_in_one_round_trip(make_harness, shared_redis_url, queue_name):
    """ArqQueue writes the job with a script (one round trip, where arq's enqueue_job takes four); what it
    writes must be what arq's enqueue_job would, so any arq worker runs it."""
    harness = await make_harness(redis_url=shared_redis_url, queue_name=queue_name)
    queue = harness.queue
    assert isinstance(queue, ArqQueue)
    ours = await harness.schedule("flaky")
    theirs_id = ours.id + ":arq"
    assert await queue.enqueue(ours)
    assert await queue.redis.enqueue_job(ours.kind, ours.target_id, _job_id=theirs_id, _queue_name=queue_name)

    written, expected = [
        deserialize_job(await queue.redis.get(f"arq:job:{job_id}")) for job_id in (ours.id, theirs_id)
    ]
    assert (written.function, written.args, written.kwargs, written.job_try) == (
        expected.function, expected.args, expected.kwargs, expected.job_try)
    assert abs(written.enqueue_time.timestamp() - expected.enqueue_time.timestamp()) < 60
    enqueued_ms = round(written.enqueue_time.timestamp() * 1000)
    assert await queue.redis.zscore(queue_name, ours.id) == enqueued_ms  # due at once, as arq scores it
    ttls = [await queue.redis.pttl(f"arq:job:{job_id}") for job_id in (ours.id, theirs_id)]
    assert all(queue.redis.expires_extra_ms - 60_000 < ttl <= queue.redis.expires_extra_ms for ttl in ttls)

    await queue.redis.set(f"arq:result:{ours.id}", b"kept")  # a finished job whose result is still kept
    await queue.redis.zrem(queue_name, ours.id)
    assert await queue.enqueue(ours)  # is not queued again (arq answers None: success all the same)
    assert await queue.redis.zscore(queue_name, ours.id) is None
