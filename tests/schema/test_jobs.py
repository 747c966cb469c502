"""job(id:) through /graphql: the state of queued work, read with the read scope of what it works on."""

from __future__ import annotations

JOB = "query($id: ID!) { job(id: $id) { id kind targetId status attempts lastError startedAt finishedAt createdAt } }"
CREATE_SIGNAL = "mutation($input: CreateSignalInput!) { createSignal(input: $input) { jobId signal { id } } }"


async def test_a_finished_job_shows_its_state(api, services):
    created = (await api.ok(CREATE_SIGNAL, {"input": {"text": "Exports are slow.", "signalType": "review"}}))[
        "createSignal"
    ]
    await services.queue.drain()

    job = (await api.ok(JOB, {"id": created["jobId"]}))["job"]

    assert job["id"] == created["jobId"] and job["kind"] == "process_signal"
    assert job["targetId"] == created["signal"]["id"]
    assert (job["status"], job["attempts"], job["lastError"]) == ("succeeded", 1, None)
    assert job["createdAt"] <= job["startedAt"] <= job["finishedAt"]


async def test_job_needs_the_read_scope_of_its_kind_and_its_workspace(api, make_api, services):
    created = (await api.ok(CREATE_SIGNAL, {"input": {"text": "Exports are slow.", "signalType": "review"}}))[
        "createSignal"
    ]
    await services.queue.drain()
    insights_only = await make_api(scopes=["insights:read"], workspace=api.workspace)
    signals_reader = await make_api(scopes=["signals:read"], workspace=api.workspace)
    other = await make_api()

    assert await insights_only.error_code(JOB, {"id": created["jobId"]}) == "FORBIDDEN"
    assert (await signals_reader.ok(JOB, {"id": created["jobId"]}))["job"]["status"] == "succeeded"
    assert (await other.ok(JOB, {"id": created["jobId"]}))["job"] is None
    assert (await api.ok(JOB, {"id": "process_signal:nope:1"}))["job"] is None
