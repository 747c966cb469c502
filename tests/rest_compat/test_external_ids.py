"""An externalId names one object of its kind in a workspace, however many creates race for it: one test
body for accounts and products."""

from __future__ import annotations

import asyncio

import pytest

from tests.rest_compat.reference import url


@pytest.mark.parametrize(
    ("path", "body", "kind"),
    [
        ("/external/v1/accounts", {"name": "A"}, "An account"),
        ("/external/v1/products", {"name": "n", "description": "d"}, "A product"),
    ],
    ids=["accounts", "products"],
)
async def test_concurrent_creates_with_one_external_id_make_one_and_409s(api, path, body, kind):
    """On PostgreSQL the losers passed the check together and hit the unique index: 500s."""
    responses = await asyncio.gather(
        *(api.rest("POST", url(path), json={**body, "externalId": "ext-1"}) for _ in range(8))
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * 7, [r.text for r in responses]
    for response in responses:
        if response.status_code == 409:
            assert response.json()["message"] == f"{kind} with externalId 'ext-1' already exists"
    assert len((await api.rest("GET", url(path) + "?externalId=ext-1")).json()) == 1
