"""Issue 9, item 2: relation fan-out cannot exhaust the server. 100 signals each linked to the same 20
insights (each insight on 100 signals) asked for signals → insights → signals → insights, once and under
5 aliases, through a `signalgraph serve` process: at default page sizes the cost limit refuses it before
it runs; with small pages the answer is bounded by the pages; the server's memory stays flat."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest

from signalgraph.storage.models import Insight, Signal, SignalInsight
from tests.serving import serve_process, wait_until_ready

pytestmark = pytest.mark.processes  # started first: see pytest_collection_modifyitems

FAN_OUT = "a{i}: signals(first: 100) {{ nodes {{ insights{p} {{ nodes {{ signals{p} {{ nodes {{ insights{p} {{ nodes {{ id }} }} }} }} }} }} }} }}"
MEMORY_GROWTH_LIMIT = 100 * 2**20  # the unbounded version grew the server by 1.2 GB


def query(aliases: int, page: int | None) -> str:
    p = "" if page is None else f"(first: {page})"
    return "{ " + " ".join(FAN_OUT.format(i=i, p=p) for i in range(aliases)) + " }"


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


async def seed(services, workspace_id: str) -> None:
    async with services.db.write() as session:
        signals = [Signal(workspace_id=workspace_id, public_number=n + 1, name=f"s{n}") for n in range(100)]
        insights = [Insight(workspace_id=workspace_id, description=f"i{j}") for j in range(20)]
        session.add_all([*signals, *insights])
        await session.flush()
        session.add_all(
            SignalInsight(signal_id=s.id, insight_id=i.id, workspace_id=workspace_id) for s in signals for i in insights
        )


async def test_relation_fan_out_is_refused_by_cost_or_bounded_by_pages_with_memory_flat(database_url, api, services):
    await seed(services, api.workspace_id)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    env["SIGNALGRAPH_DATABASE_URL"] = database_url
    with serve_process(env) as (server, base):
        await asyncio.to_thread(wait_until_ready, base)
        async with httpx.AsyncClient(base_url=base, headers=api.headers, timeout=60) as http:
            warm = await http.post("/graphql", json={"query": query(1, 2)})
            assert warm.status_code == 200 and "errors" not in warm.json(), warm.text
            before = rss(server.pid)

            for aliases in (1, 5):
                refused = (await http.post("/graphql", json={"query": query(aliases, None)})).json()
                assert refused["data"] is None
                [error] = refused["errors"]
                assert error["extensions"]["code"] == "BAD_USER_INPUT" and "limit is 100,000" in error["message"]

                answer = await http.post("/graphql", json={"query": query(aliases, 4)})
                body = answer.json()
                assert answer.status_code == 200 and "errors" not in body, answer.text[:500]
                ids = answer.text.count('"id"')
                assert ids == aliases * 100 * 4 * 4 * 4  # every page full, none longer than asked
                assert len(answer.content) < aliases * 1_000_000
                assert body["extensions"]["cost"]["requested"] <= body["extensions"]["cost"]["limit"]
                assert (await http.get("/healthz")).status_code == 200

            grown = rss(server.pid) - before
            assert grown < MEMORY_GROWTH_LIMIT, f"the server grew by {grown / 2**20:.0f} MB"
