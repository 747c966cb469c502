"""The pipeline end to end through /graphql on both runners: a `signalgraph worker` on Redis processes,
indexes and analyses; Redis down at create time loses nothing; a worker killed mid-job duplicates
nothing; an extractor that keeps failing leaves the signal `failed` with its error and nothing partial."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from tests.factories import create_context_unit, create_product
from tests.jobs.conftest import (
    SIGNALGRAPH_WORKER_ARGV,
    WorkerProcess,
    job_settings,
    run_burst_worker,
    running_app,
    wait_for_signal,
)
from tests.jobs.fake_llm import Answer, serve_fake_llm
from tests.processing.extract.test_llm import GOOD, TEXT
from tests.processing.extract.test_local import TRANSCRIPT

pytestmark = [
    pytest.mark.processes,
    pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning"),
]

CREATE = """
mutation($input: CreateSignalInput!) {
  createSignal(input: $input) { jobId signal { publicId status processing { lastJobId startedAt } } }
}
"""
SIGNAL = """
query($publicId: String!) { signal(publicId: $publicId) {
  status context insightIds insights { nodes { id name type } }
  processing { lastJobId startedAt processedAt failedAt lastError }
} }
"""
PROCESS = "mutation($publicId: String!) { processSignal(publicId: $publicId) { jobId } }"
JOB = "query($id: ID!) { job(id: $id) { status attempts lastError } }"
SEARCH = "query($q: String!) { searchContext(query: $q) { id } }"
QUESTIONS = "query($id: ID!) { product(id: $id) { questions { topic } } }"
EXTRACT = "mutation($input: ExtractInsightsInput!) { extractInsights(input: $input) { insights { id } } }"


async def create(api, **fields):
    return (await api.ok(CREATE, {"input": fields}))["createSignal"]


async def read(api, public_id):
    return (await api.ok(SIGNAL, {"publicId": public_id}))["signal"]


@pytest.mark.redis
async def test_a_signalgraph_worker_on_redis_runs_the_whole_pipeline(
    jobs_database_url, shared_redis_url, queue_name, worker_processes
):
    settings = job_settings(jobs_database_url, redis_url=shared_redis_url, queue_name=queue_name)
    async with running_app(settings) as app:
        api = await app.api()
        response = await api.rest("POST", "/external/v1/signals", json={"text": TRANSCRIPT, "signalType": "transcript"})
        created = response.json()
        unit = await create_context_unit(api, name="Route rules", data="Drivers must confirm every delivery.")
        product = await create_product(api, name="Fleetline", description="A tool.")
        assert response.status_code == 201 and created["status"] == "processing"
        assert created["jobId"] == created["processing"]["lastJobId"]

        worker_processes.append(WorkerProcess(settings, SIGNALGRAPH_WORKER_ARGV))
        public_id = created["publicId"]
        assert await wait_for_signal(api, public_id, "processed", "failed") == "processed"
        first = await read(api, public_id)
        rerun = await api.rest("POST", f"/external/v1/signals/{public_id}/process")
        assert rerun.status_code == 201
        rerun = rerun.json()
        assert await wait_for_signal(api, public_id, "processed", "failed") == "processed"
        second = await read(api, public_id)

        assert first["context"] == "user_interview" and len(first["insights"]["nodes"]) == 5
        assert {i["type"] for i in first["insights"]["nodes"]} == {"user-interview"}
        assert sorted(second["insightIds"]) == sorted(first["insightIds"])
        assert second["processing"]["lastJobId"] == rerun["jobId"]
        assert (await api.ok(JOB, {"id": rerun["jobId"]}))["job"] == {"status": "succeeded", "attempts": 1,
                                                                        "lastError": None}
        assert [h["id"] for h in (await api.ok(SEARCH, {"q": "confirm delivery"}))["searchContext"]] == [unit["id"]]
        topics = {q["topic"] for q in (await api.ok(QUESTIONS, {"id": product["id"]}))["product"]["questions"]}
        assert topics == {"features", "kpis", "mission", "personas"}


@pytest.mark.redis
async def test_a_signal_created_while_redis_is_down_waits_as_pending_and_is_processed_later(
    jobs_database_url, private_redis
):
    settings = job_settings(jobs_database_url, redis_url=private_redis.url)
    async with running_app(settings) as app:
        api = await app.api()
        await private_redis.stop()

        created = await create(api, text=TRANSCRIPT, signalType="transcript")

        # the request succeeded; the signal waits, its job recorded
        assert created["signal"]["status"] == "pending"
        assert created["jobId"] == created["signal"]["processing"]["lastJobId"]
        assert (await api.ok(JOB, {"id": created["jobId"]}))["job"]["status"] == "queued"
        await private_redis.start()
        await run_burst_worker(settings)  # its start-up sweep queues the job
        signal = await read(api, created["signal"]["publicId"])
        assert signal["status"] == "processed" and len(signal["insights"]["nodes"]) == 5
        assert (await api.ok(JOB, {"id": created["jobId"]}))["job"]["attempts"] == 1


@pytest.mark.redis
async def test_a_worker_killed_mid_processing_loses_and_duplicates_nothing(
    jobs_database_url, shared_redis_url, queue_name, worker_processes
):
    async with serve_fake_llm() as llm:
        llm.answer = Answer(content=GOOD, delay=120)  # the first try hangs inside the extraction
        settings = job_settings(jobs_database_url, redis_url=shared_redis_url, queue_name=queue_name,
                                job_timeout_seconds=10, llm_base_url=llm.base_url, llm_model="fake",
                                llm_timeout_seconds=60)
        async with running_app(settings) as app:
            api = await app.api()
            created = await create(api, text=TEXT, signalType="transcript")
            first = WorkerProcess(settings, SIGNALGRAPH_WORKER_ARGV)
            worker_processes.append(first)
            deadline = asyncio.get_running_loop().time() + 90  # a bound on waiting, not a timed assertion
            while not llm.requests:  # wait for the worker's first try to reach the extractor
                assert first.process.poll() is None, "the worker exited"
                assert asyncio.get_running_loop().time() < deadline, "the worker never reached the extractor"
                await asyncio.sleep(0.05)
            first.kill()
            llm.answer = Answer(content=GOOD)
            worker_processes.append(WorkerProcess(settings, SIGNALGRAPH_WORKER_ARGV))

            public_id = created["signal"]["publicId"]
            assert await wait_for_signal(api, public_id, "processed", "failed", timeout=90) == "processed"
            signal = await read(api, public_id)
            assert sorted(i["name"] for i in signal["insights"]["nodes"]) == ["Scheduled exports", "Slow CSV export"]
            job = (await api.ok(JOB, {"id": created["jobId"]}))["job"]
            assert (job["status"], job["attempts"]) == ("succeeded", 2)
            assert len(llm.requests) == 2


async def test_an_extractor_that_keeps_failing_leaves_the_signal_failed_with_nothing_written(jobs_database_url):
    async with serve_fake_llm() as llm:
        llm.answer = Answer(status=500)
        settings = dataclasses.replace(
            job_settings(jobs_database_url, job_max_tries=2, job_retry_delay_seconds=0),
            llm_base_url=llm.base_url, llm_model="fake", llm_max_retries=0,  # job retries only
        )
        async with running_app(settings) as app:
            api = await app.api()
            created = await create(api, text=TEXT, signalType="transcript")
            await app.services.queue.drain()

            signal = await read(api, created["signal"]["publicId"])
            assert signal["status"] == "failed" and signal["insights"]["nodes"] == []
            assert signal["processing"]["failedAt"] and signal["processing"]["processedAt"] is None
            assert signal["processing"]["lastError"].startswith("LLM endpoint answered HTTP 500")
            job = (await api.ok(JOB, {"id": created["jobId"]}))["job"]
            assert (job["status"], job["attempts"]) == ("failed", 2)
            assert job["lastError"] == signal["processing"]["lastError"]
            assert len(llm.requests) == 2

            llm.answer = Answer(content=GOOD)  # a manual retry once the provider is back
            await api.ok(PROCESS, {"publicId": created["signal"]["publicId"]})
            await app.services.queue.drain()
            signal = await read(api, created["signal"]["publicId"])
            assert signal["status"] == "processed" and len(signal["insights"]["nodes"]) == 2
            assert signal["processing"]["failedAt"] is None and signal["processing"]["lastError"] is None


async def test_synchronous_extraction_with_a_failing_llm_is_a_502_that_saves_nothing(jobs_database_url):
    async with serve_fake_llm() as llm:
        llm.answer = Answer(content="this is not JSON")
        settings = dataclasses.replace(job_settings(jobs_database_url), llm_base_url=llm.base_url, llm_model="fake")
        async with running_app(settings) as app:
            api = await app.api()
            response = await api.rest("POST", "/external/v1/insights/process-transcript/insights",
                                      json={"transcript": TEXT, "createInsights": True})
            assert response.status_code == 502
            assert response.json() == {
                "statusCode": 502, "error": "Bad Gateway",
                "message": "The insight extractor failed: LLM answer is not valid JSON",
            }
            error = await api.error(EXTRACT, {"input": {"transcript": TEXT, "createInsights": True}})
            assert error["extensions"] == {"code": "UPSTREAM_FAILED"}
            assert (await api.ok("{ insights { totalCount } }"))["insights"]["totalCount"] == 0
