"""The worker's configuration: `signalgraph worker`, arq's settings built from ours, the job settings."""

from __future__ import annotations

import asyncio

import pytest
from arq.connections import RedisSettings, create_pool
from arq.constants import in_progress_key_prefix
from arq.utils import timestamp_ms

from signalgraph.jobs.queue import RUNNER_TIMEOUT_MARGIN_SECONDS, ArqQueue, InProcessQueue, create_queue
from signalgraph.jobs.worker import FUNCTIONS, Worker, new_event_loop, worker_settings
from signalgraph.settings import Settings, SettingsError
from tests.test_cli import run_cli


def test_the_worker_needs_redis(tmp_path):
    env = {"SIGNALGRAPH_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", "PATH": "/usr/bin:/bin"}
    result = run_cli(env, "worker")
    assert result.returncode == 2
    assert "the worker needs SIGNALGRAPH_REDIS_URL" in result.stderr


def test_worker_settings_register_every_job_and_a_sweeper_per_queue():
    settings = Settings(redis_url="redis://127.0.0.1:6379/3", queue_name="q1", job_timeout_seconds=30,
                        job_max_tries=4, sweep_interval_seconds=15)

    arq = worker_settings(settings)

    assert sorted(f.name for f in arq["functions"]) == sorted(FUNCTIONS) == [
        "analyze_product", "index_context_document", "index_context_unit", "process_signal"
    ]
    assert {f.timeout_s for f in arq["functions"]} == {30 + RUNNER_TIMEOUT_MARGIN_SECONDS}
    assert {f.max_tries for f in arq["functions"]} == {5}  # one more than ours: the job records its failure
    sweeper, = arq["cron_jobs"]
    assert sweeper.name == "cron:sweep_jobs:q1" and sweeper.run_at_startup and sweeper.unique
    assert sweeper.second == {0, 15, 30, 45}
    assert arq["queue_name"] == "q1" and arq["keep_result"] == 0
    assert arq["redis_settings"] == RedisSettings.from_dsn("redis://127.0.0.1:6379/3")
    with pytest.raises(ValueError, match="SIGNALGRAPH_REDIS_URL"):
        worker_settings(Settings())


def test_the_runner_follows_the_redis_setting():
    assert isinstance(create_queue(Settings(), FUNCTIONS, {}), InProcessQueue)
    assert isinstance(create_queue(Settings(redis_url="redis://127.0.0.1:1"), FUNCTIONS, {}), ArqQueue)


def test_job_settings_come_from_the_environment():
    settings = Settings.from_env({
        "SIGNALGRAPH_QUEUE_NAME": "jobs", "SIGNALGRAPH_JOB_TIMEOUT_SECONDS": "90",
        "SIGNALGRAPH_JOB_RETRY_DELAY_SECONDS": "2", "SIGNALGRAPH_SWEEP_INTERVAL_SECONDS": "30",
        "SIGNALGRAPH_LLM_BASE_URL": "http://llm.local/v1", "SIGNALGRAPH_LLM_MODEL": "m",
    })
    assert (settings.queue_name, settings.job_timeout_seconds, settings.job_retry_delay_seconds) == ("jobs", 90, 2.0)
    assert settings.sweep_interval_seconds == 30 and settings.llm_model == "m"
    with pytest.raises(SettingsError, match="SIGNALGRAPH_LLM_MODEL is required"):
        Settings.from_env({"SIGNALGRAPH_LLM_BASE_URL": "http://llm.local/v1"})
    with pytest.raises(SettingsError, match="SIGNALGRAPH_SWEEP_INTERVAL_SECONDS"):
        Settings.from_env({"SIGNALGRAPH_SWEEP_INTERVAL_SECONDS": "0"})


def test_the_worker_runs_on_uvloop_where_it_is_installed():
    uvloop = pytest.importorskip("uvloop")
    loop = new_event_loop()
    try:
        assert isinstance(loop, uvloop.Loop)
    finally:
        loop.close()


def test_a_worker_runs_the_local_extractor_in_the_processes_its_settings_ask_for():
    assert Settings().worker_extractor_processes == 1
    assert Settings.from_env({"SIGNALGRAPH_WORKER_EXTRACTOR_PROCESSES": "0"}).worker_extractor_processes == 0
    with pytest.raises(SettingsError, match="SIGNALGRAPH_WORKER_EXTRACTOR_PROCESSES"):
        Settings.from_env({"SIGNALGRAPH_WORKER_EXTRACTOR_PROCESSES": "-1"})


async def test_a_listed_job_is_claimed_only_when_no_worker_has_it_and_its_time_has_come(shared_redis_url, queue_name):
    redis = await create_pool(RedisSettings.from_dsn(shared_redis_url))
    settings = Settings(redis_url=shared_redis_url, queue_name=queue_name)
    worker = Worker(**worker_settings(settings), burst=True, handle_signals=False, redis_pool=redis)
    started: list[str] = []

    async def run_job(job_id: str, score: int) -> None:
        started.append(job_id)

    worker.run_job = run_job  # type: ignore[method-assign]
    now = timestamp_ms()
    await redis.zadd(queue_name, {"elsewhere": now, "later": now + 60_000, "free": now, "mine": now})
    await redis.psetex(in_progress_key_prefix + "elsewhere", 60_000, b"1")  # another worker runs it
    running = asyncio.get_running_loop().create_future()
    worker.tasks["mine"] = running  # type: ignore[assignment]  # this worker runs it: not even asked about
    try:
        await worker.start_jobs([b"mine", b"elsewhere", b"later", b"free", b"gone"])
        del worker.tasks["mine"]
        await asyncio.gather(*worker.tasks.values())

        assert started == ["free"] and worker.job_counter == 0
        assert await redis.exists(in_progress_key_prefix + "free")  # marked as arq marks it
        assert not await redis.exists(in_progress_key_prefix + "later", in_progress_key_prefix + "gone")
    finally:
        running.cancel()
        await redis.delete(*(in_progress_key_prefix + k for k in ("elsewhere", "free")))
        await redis.aclose()
