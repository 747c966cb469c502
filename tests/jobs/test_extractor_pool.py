"""The worker's local extractor in processes of its own (jobs/extractor_pool.py): it extracts what the
local extractor extracts, and a process that dies or an extraction that overruns its job's time limit is
a failed try like any other, after which the pool works again."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from signalgraph.jobs.extractor_pool import ExtractorCrashed, ExtractorPool
from signalgraph.processing.extract import ExtractionRequest, LocalExtractor
from tests.jobs.conftest import job_settings, running_app, wait_for_signal
from tests.jobs.misbehaving_extractor import extract_or_misbehave
from tests.processing.extract.test_local import TRANSCRIPT

REQUEST = ExtractionRequest(TRANSCRIPT, "transcript")
CREATE = "mutation($input: CreateSignalInput!) { createSignal(input: $input) { signal { publicId } } }"
SIGNAL = "query($p: String!) { signal(publicId: $p) { status insightIds processing { lastJobId lastError } } }"
JOB = "query($id: ID!) { job(id: $id) { status attempts lastError } }"


@pytest.fixture
async def pool():
    made = ExtractorPool(1, function=extract_or_misbehave)
    await made.start()
    yield made
    await made.close()


async def test_the_pool_extracts_what_the_local_extractor_extracts(pool):
    assert await pool.extract(REQUEST) == await LocalExtractor().extract(REQUEST)


async def test_a_process_that_dies_fails_its_extraction_and_the_next_one_gets_a_new_process(pool):
    with pytest.raises(ExtractorCrashed):
        await pool.extract(dataclasses.replace(REQUEST, text="DIE"))

    assert await pool.extract(REQUEST) == await LocalExtractor().extract(REQUEST)


async def test_an_extraction_cancelled_while_it_runs_stops_its_process(pool):
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(pool.extract(dataclasses.replace(REQUEST, text="HANG")), 0.5)

    # the one process would sleep for another minute: this answers only because it was stopped
    assert await asyncio.wait_for(pool.extract(REQUEST), 30) == await LocalExtractor().extract(REQUEST)


async def process(app, text: str) -> tuple[dict, dict]:
    api = await app.api()
    public_id = (await api.ok(CREATE, {"input": {"text": text, "signalType": "transcript"}}))["createSignal"][
        "signal"]["publicId"]
    await wait_for_signal(api, public_id, "processed", "failed")
    signal = (await api.ok(SIGNAL, {"p": public_id}))["signal"]
    return signal, (await api.ok(JOB, {"id": signal["processing"]["lastJobId"]}))["job"]


async def test_a_job_whose_extractor_process_died_is_retried_and_succeeds(jobs_database_url, pool, tmp_path):
    async with running_app(job_settings(jobs_database_url)) as app:
        app.services.extractor_pool = pool

        signal, job = await process(app, f"DIE ONCE {tmp_path / 'died'}\n{TRANSCRIPT}")

    assert signal["status"] == "processed" and signal["insightIds"]
    assert job["status"] == "succeeded" and job["attempts"] == 2


async def test_a_job_whose_extraction_overruns_its_time_limit_fails_its_tries_and_the_pool_goes_on(
    jobs_database_url, pool
):
    async with running_app(job_settings(jobs_database_url, job_timeout_seconds=2, job_max_tries=2)) as app:
        app.services.extractor_pool = pool

        hung, job = await process(app, f"HANG\n{TRANSCRIPT}")
        assert hung["status"] == "failed" and hung["processing"]["lastError"] == (
            "the job did not finish within its time limit"
        )
        assert job["status"] == "failed" and job["attempts"] == 2

        fine, job = await process(app, TRANSCRIPT)
        assert fine["status"] == "processed" and job["attempts"] == 1
