"""Idempotency-Key on POST and PATCH: replay, misuse (422, 409), release after errors, expiry, concurrency."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import update

from signalgraph.storage.models import IdempotencyRecord
from signalgraph.storage.models.base import utcnow
from tests.rest_compat import given

INSIGHTS = "/external/v1/insights"


def keyed(key: str) -> dict[str, str]:
    return {"Idempotency-Key": key}


async def count_insights(api) -> int:
    return int((await api.rest("GET", INSIGHTS)).headers["X-Total-Count"])


async def test_a_retry_replays_the_first_response_and_creates_nothing(api):
    first = await api.rest("POST", INSIGHTS, json={"description": "once"}, headers=keyed("k-1"))
    retry = await api.rest("POST", INSIGHTS, json={"description": "once"}, headers=keyed("k-1"))
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await count_insights(api) == 1


async def test_the_same_body_with_other_formatting_is_the_same_request(api):
    await api.rest(
        "POST",
        INSIGHTS,
        content=b'{"description": "x", "name": "n"}',
        headers={**keyed("k-2"), "Content-Type": "application/json"},
    )
    retry = await api.rest(
        "POST",
        INSIGHTS,
        content=b'{"name":"n","description":"x"}',
        headers={**keyed("k-2"), "Content-Type": "application/json"},
    )
    assert retry.status_code == 201 and retry.headers["Idempotent-Replayed"] == "true"


async def test_reusing_a_key_with_another_body_is_422(api):
    await api.rest("POST", INSIGHTS, json={"description": "first"}, headers=keyed("k-3"))
    reuse = await api.rest("POST", INSIGHTS, json={"description": "second"}, headers=keyed("k-3"))
    assert reuse.status_code == 422
    assert reuse.json()["error"] == "Unprocessable Entity"
    assert "Idempotency-Key" in reuse.json()["message"]
    assert await count_insights(api) == 1


async def test_keys_are_per_api_key_and_per_path(api, make_api):
    other_key = await make_api(workspace=api.workspace)
    await api.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("shared"))
    again = await other_key.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("shared"))
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    account = await api.rest("POST", "/external/v1/accounts", json={"name": "a"}, headers=keyed("shared"))
    assert account.status_code == 201 and "Idempotent-Replayed" not in account.headers
    assert await count_insights(api) == 2


async def test_both_prefixes_share_the_key(api):
    await api.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("k-4"))
    retry = await api.rest("POST", "/api" + INSIGHTS, json={"description": "a"}, headers=keyed("k-4"))
    assert retry.headers["Idempotent-Replayed"] == "true"


async def test_patch_is_idempotent_too(api):
    created = await given.insight(api, name="before")
    path = f"{INSIGHTS}/{created['id']}"
    first = await api.rest("PATCH", path, json={"name": "after"}, headers=keyed("k-5"))
    await api.rest("PATCH", path, json={"name": "meanwhile"})
    retry = await api.rest("PATCH", path, json={"name": "after"}, headers=keyed("k-5"))
    assert retry.json() == first.json() and retry.headers["Idempotent-Replayed"] == "true"
    assert (await api.rest("GET", path)).json()["name"] == "meanwhile"


async def test_a_failed_request_releases_the_key_for_a_corrected_retry(api):
    bad = await api.rest("POST", INSIGHTS, json={"status": "bogus"}, headers=keyed("k-6"))
    assert bad.status_code == 400
    fixed = await api.rest("POST", INSIGHTS, json={"description": "fixed"}, headers=keyed("k-6"))
    assert fixed.status_code == 201 and "Idempotent-Replayed" not in fixed.headers


async def test_a_key_in_use_by_a_running_request_is_409(api, services):
    first = await api.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("k-7"))
    assert first.status_code == 201
    async with services.db.write() as session:  # as if the first request were still running
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == "k-7")
            .values(completed_at=None, status_code=None)
        )
    busy = await api.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("k-7"))
    assert busy.status_code == 409
    assert busy.json()["error"] == "Conflict"


async def test_an_abandoned_claim_is_taken_over(api, services):
    await api.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("k-8"))
    async with services.db.write() as session:  # a process died mid-request long ago
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == "k-8")
            .values(completed_at=None, created_at=utcnow() - timedelta(hours=1))
        )
    retry = await api.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("k-8"))
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert await count_insights(api) == 2


async def test_after_24_hours_the_key_is_forgotten(api, services):
    await api.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("k-9"))
    async with services.db.write() as session:
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.key == "k-9")
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    reuse = await api.rest("POST", INSIGHTS, json={"description": "another"}, headers=keyed("k-9"))
    assert reuse.status_code == 201 and "Idempotent-Replayed" not in reuse.headers


async def test_concurrent_retries_create_exactly_one_object(api):
    responses = await asyncio.gather(
        *(api.rest("POST", INSIGHTS, json={"description": "race"}, headers=keyed("k-race")) for _ in range(8))
    )
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}
    fresh = [r for r in responses if r.status_code == 201 and "Idempotent-Replayed" not in r.headers]
    assert len(fresh) == 1
    assert await count_insights(api) == 1


@pytest.mark.parametrize("key", ["a b", "clé", "tab\there"])
async def test_a_key_of_other_than_visible_ascii_is_400_naming_the_header(api, key):
    """As openapi.json documents it: `^[\\x21-\\x7e]+$`; nothing is created."""
    response = await api.rest(
        "POST", INSIGHTS, json={"description": "a"}, headers={"Idempotency-Key": key.encode()}
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["message"]
    assert await count_insights(api) == 0


async def test_a_key_that_is_too_long_is_400(api):
    response = await api.rest("POST", INSIGHTS, json={"description": "a"}, headers=keyed("k" * 256))
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["message"]


async def test_get_ignores_the_header(api):
    response = await api.rest("GET", INSIGHTS, headers=keyed("k-10"))
    assert response.status_code == 200 and "Idempotent-Replayed" not in response.headers


async def test_a_retry_after_the_created_resource_was_deleted_creates_it_anew(api):
    """A replay would answer 201 naming a resource that is gone: the retry runs as a new request."""
    first = await api.rest("POST", INSIGHTS, json={"description": "once"}, headers=keyed("k-gone"))
    assert (await api.rest("DELETE", f"{INSIGHTS}/{first.json()['id']}")).status_code == 200
    retry = await api.rest("POST", INSIGHTS, json={"description": "once"}, headers=keyed("k-gone"))
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert retry.json()["id"] != first.json()["id"]
    assert (await api.rest("GET", f"{INSIGHTS}/{retry.json()['id']}")).status_code == 200
    again = await api.rest("POST", INSIGHTS, json={"description": "once"}, headers=keyed("k-gone"))
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == retry.json()


async def test_a_deleted_signal_is_created_anew_too(api):
    body = {"text": "Exports are slow.", "signalType": "review"}
    first = await api.rest("POST", "/external/v1/signals", json=body, headers=keyed("k-gone-signal"))
    public_id = first.json()["publicId"]
    assert (await api.rest("DELETE", f"/external/v1/signals/{public_id}")).status_code == 200
    retry = await api.rest("POST", "/external/v1/signals", json=body, headers=keyed("k-gone-signal"))
    assert retry.status_code == 201 and retry.json()["id"] != first.json()["id"]
