"""/metrics: requests by route template, GraphQL errors by code, jobs by kind, queue depth, signals by
status, the pool and the process collectors; open to loopback, elsewhere behind SIGNALGRAPH_METRICS_TOKEN;
`signalgraph worker --metrics-port` for workers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from signalgraph.app import create_app
from signalgraph.settings import Settings
from signalgraph.storage.migrate import upgrade_async
from tests.factories import Api
from tests.jobs.conftest import queue_name, shared_redis_url  # noqa: F401 - fixtures
from tests.serving import free_port, serving

SIGNAL = {"text": "Exports time out on large workspaces; please add a CSV export.", "signalType": "support_ticket"}


def parse(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample: (name, sorted labels) → value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def scrape(http: httpx.AsyncClient, **kwargs) -> dict:
    response = await http.get("/metrics", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return parse(response.text)


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(before: dict, after: dict, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


async def test_metrics_move_when_requests_and_jobs_run(http, make_http_api, services):
    api = await make_http_api()
    reader = await make_http_api(scopes=["signals:read"])
    before = await scrape(http)

    assert (await api.rest("GET", "/external/v1/signals")).status_code == 200
    assert (await api.rest("POST", "/api/external/v1/signals", json=SIGNAL)).status_code == 201
    viewer = await http.post("/graphql", headers=api.headers, json={
        "query": "query Viewer { viewer { scopes } }", "operationName": "Viewer"})
    forbidden = await http.post("/graphql", headers=reader.headers, json={"query": "{ insights { totalCount } }"})
    assert viewer.status_code == forbidden.status_code == 200
    assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    queued = await scrape(http)
    await services.queue.drain()  # the signal's job runs
    after = await scrape(http)

    requests = "signalgraph_http_requests_total"
    assert delta(before, after, requests, route="/external/v1/signals", operation="", method="GET", status="200") == 1
    assert delta(before, after, requests, route="/external/v1/signals", operation="", method="POST", status="201") == 1
    assert delta(before, after, requests, route="/graphql", operation="Viewer", method="POST", status="200") == 1
    assert delta(before, after, requests, route="/graphql", operation="anonymous", method="POST", status="200") == 1
    assert delta(before, after, "signalgraph_http_request_duration_seconds_count",
                 route="/graphql", operation="Viewer", method="POST") == 1
    assert delta(before, after, "signalgraph_graphql_errors_total", code="FORBIDDEN") == 1
    # The job: queued (a row waiting), handed over, started, succeeded, timed.
    assert value(queued, "signalgraph_jobs_queued") - value(before, "signalgraph_jobs_queued") == 1
    assert value(queued, "signalgraph_jobs_oldest_queued_age_seconds") >= 0
    for name in ("signalgraph_jobs_enqueued_total", "signalgraph_jobs_started_total", "signalgraph_jobs_succeeded_total"):
        assert delta(before, after, name, kind="process_signal") == 1, name
    assert delta(before, after, "signalgraph_job_duration_seconds_count", kind="process_signal", outcome="succeeded") == 1
    assert value(after, "signalgraph_jobs_queued") == value(before, "signalgraph_jobs_queued")
    assert delta(before, after, "signalgraph_signals", status="processed") == 1
    assert value(after, "signalgraph_database_up") == 1
    assert ("signalgraph_db_pool_in_use", ()) in after
    assert ("process_cpu_seconds_total", ()) in after and ("process_resident_memory_bytes", ()) in after


async def test_unknown_paths_are_one_label_and_operation_names_are_bounded(http, http_api):
    before = await scrape(http)
    for i in range(3):
        await http.get(f"/no/such/path/{i}")
    await http.post("/graphql", headers=http_api.headers, json={"query": "{ viewer { scopes } }",
                                                                  "operationName": "not a name!"})
    after = await scrape(http)
    assert delta(before, after, "signalgraph_http_requests_total",
                 route="unmatched", operation="", method="GET", status="404") == 3
    assert not any("/no/such/path" in str(labels) for _, labels in after)


async def test_metrics_are_open_to_loopback_and_need_the_token_elsewhere(database_url):
    app = create_app(Settings(database_url=database_url, metrics_token="s3cret-token"))
    # A scrape may take up to SCRAPE_TIMEOUT_SECONDS (5 s) reading the database: httpx's default of 5 s
    # gave up first on a busy machine.
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=60) as http:
        # Behind a proxy, uvicorn takes the client from X-Forwarded-For: the request is not from loopback.
        forwarded = {"X-Forwarded-For": "203.0.113.7"}
        loopback = await http.get("/metrics")
        refused = await http.get("/metrics", headers=forwarded)
        wrong = await http.get("/metrics", headers={**forwarded, "Authorization": "Bearer nope"})
        allowed = await http.get("/metrics", headers={**forwarded, "Authorization": "Bearer s3cret-token"})
    assert loopback.status_code == 200 and "signalgraph_http_requests_total" in loopback.text
    assert (refused.status_code, wrong.status_code, allowed.status_code) == (403, 403, 200)
    assert "SIGNALGRAPH_METRICS_TOKEN" in refused.text
    assert "process_cpu_seconds_total" in allowed.text


async def test_without_a_token_metrics_are_refused_to_anyone_but_loopback(http):
    refused = await http.get("/metrics", headers={"X-Forwarded-For": "198.51.100.4"})
    assert refused.status_code == 403


@pytest.mark.processes
@pytest.mark.redis
async def test_a_worker_serves_its_own_metrics_and_they_count_its_jobs(
    tmp_path: Path, shared_redis_url, queue_name  # noqa: F811
):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'worker.db'}"
    await upgrade_async(database_url)
    settings = Settings(database_url=database_url, redis_url=shared_redis_url, queue_name=queue_name,
                        metrics_token="w-token")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env.update(SIGNALGRAPH_DATABASE_URL=database_url, SIGNALGRAPH_REDIS_URL=shared_redis_url,
               SIGNALGRAPH_QUEUE_NAME=queue_name, SIGNALGRAPH_METRICS_TOKEN="w-token")
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "signalgraph.cli", "worker", "--metrics-port", str(port),
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    metrics_url = f"http://127.0.0.1:{port}/metrics"
    try:
        app = create_app(settings)
        async with serving(app) as base, httpx.AsyncClient(base_url=base) as http, httpx.AsyncClient() as scraper:
            api = await Api.create(app.state.services, http=http)
            created = await api.rest("POST", "/external/v1/signals", json=SIGNAL)
            assert created.status_code == 201
            deadline = time.monotonic() + 120  # a bound on waiting for the worker, not a timed assertion
            while True:
                try:
                    response = await scraper.get(metrics_url)
                    samples = parse(response.text)
                    if value(samples, "signalgraph_jobs_succeeded_total", kind="process_signal") == 1:
                        break
                except httpx.TransportError:
                    pass
                assert worker.returncode is None and time.monotonic() < deadline
                await asyncio.sleep(0.2)
            refused = await scraper.get(metrics_url, headers={"X-Forwarded-For": "203.0.113.7"})
            allowed = await scraper.get(metrics_url, headers={"X-Forwarded-For": "203.0.113.7",
                                                                  "Authorization": "Bearer w-token"})
    finally:
        worker.terminate()
        await asyncio.wait_for(worker.wait(), 30)
    assert value(samples, "signalgraph_jobs_started_total", kind="process_signal") == 1
    assert value(samples, "signalgraph_job_duration_seconds_count", kind="process_signal", outcome="succeeded") == 1
    assert ("process_cpu_seconds_total", ()) in samples and ("signalgraph_db_pool_in_use", ()) in samples
    assert (refused.status_code, allowed.status_code) == (403, 200)
