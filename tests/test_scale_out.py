"""Several `signalgraph serve` processes over one database, as a scaled-out deployment runs them:
public ids stay unique and gap-free, and an externalId still names one signal."""

from __future__ import annotations

import asyncio
import os
from contextlib import ExitStack

import httpx
import pytest

from tests.serving import serve_process, wait_until_ready

pytestmark = pytest.mark.processes  # started first: see pytest_collection_modifyitems

SERVERS = 2
CREATES = 40


async def test_concurrent_creates_on_several_processes_get_gap_free_ids_and_one_signal_per_external_id(
    database_url, api
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env["SIGNALGRAPH_DATABASE_URL"] = database_url
    with ExitStack() as stack:
        bases = [stack.enter_context(serve_process(env))[1] for _ in range(SERVERS)]
        for base in bases:
            await asyncio.to_thread(wait_until_ready, base)
        # Connections idle past a second are not reused: `serve` closes them after 5 s, and a request sent
        # on one just as it closes fails (httpx.ReadError).
        limits = httpx.Limits(keepalive_expiry=1)
        async with httpx.AsyncClient(headers=api.headers, timeout=60, limits=limits) as http:

            async def create(i: int, **fields):
                body = {"text": f"Exports are slow ({i}).", "signalType": "review", **fields}
                return await http.post(f"{bases[i % SERVERS]}/external/v1/signals", json=body)

            created = await asyncio.gather(*(create(i) for i in range(CREATES)))
            assert [r.status_code for r in created] == [201] * CREATES
            numbers = sorted(int(r.json()["publicId"].removeprefix("SIGNAL-")) for r in created)
            assert numbers == list(range(1, CREATES + 1))

            same = await asyncio.gather(*(create(i, externalId="crm-7") for i in range(10)))
            assert sorted(r.status_code for r in same) == [200] * 9 + [201]
            assert len({r.json()["id"] for r in same}) == 1
            listed = await http.get(f"{bases[0]}/external/v1/signals", params={"limit": 1})
            assert listed.headers["X-Total-Count"] == str(CREATES + 1)
