"""Nested GraphQL queries against a flat baseline measured in the same run.

Prints, for each query, the median time and its ratio to the baseline (`viewer`, which costs one key
lookup), so the numbers compare across machines: a nested page of 100 signals → 300 insights →
opportunities → ideas should cost a small multiple of the baseline, not hundreds of round trips.

    make bench                                   # embedded SQLite in a temporary directory
    SIGNALGRAPH_BENCH_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1/bench make bench
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time

from httpx import ASGITransport, AsyncClient

from signalgraph import auth
from signalgraph.app import create_app
from signalgraph.scopes import ALL_SCOPES
from signalgraph.settings import Settings
from signalgraph.storage.migrate import upgrade_async
from signalgraph.storage.models import (
    Idea,
    Insight,
    InsightOpportunity,
    Opportunity,
    OpportunityIdea,
    Signal,
    SignalInsight,
)

ROUNDS = 30
QUERIES = {
    "baseline: viewer": ("{ viewer { scopes } }", {}),
    "signals(first: 10), flat": ("query($n: Int!) { signals(first: $n) { nodes { publicId name } } }", {"n": 10}),
    "signals(first: 100), flat": ("query($n: Int!) { signals(first: $n) { nodes { publicId name } } }", {"n": 100}),
    "signals(first: 100) → insights → opportunities → ideas": (
        "query($n: Int!) { signals(first: $n) { nodes { publicId insights { id opportunities { id ideas { id } } } } } }",
        {"n": 100},
    ),
}


async def seed(services, workspace_id: str, signals: int = 100) -> None:
    async with services.db.write() as session:
        for n in range(1, signals + 1):
            signal = Signal(workspace_id=workspace_id, public_number=n, name=f"signal {n}")
            session.add(signal)
            for i in range(3):
                insight = Insight(workspace_id=workspace_id, description=f"insight {n}.{i}")
                opportunity = Opportunity(workspace_id=workspace_id, name=f"opp {n}.{i}", description="d")
                idea = Idea(workspace_id=workspace_id, name=f"idea {n}.{i}", description="d")
                session.add_all([insight, opportunity, idea])
                await session.flush()
                session.add_all([
                    SignalInsight(signal_id=signal.id, insight_id=insight.id, workspace_id=workspace_id),
                    InsightOpportunity(insight_id=insight.id, opportunity_id=opportunity.id, workspace_id=workspace_id),
                    OpportunityIdea(opportunity_id=opportunity.id, idea_id=idea.id, workspace_id=workspace_id),
                ])


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("SIGNALGRAPH_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp}/bench.db"
        await upgrade_async(url)
        app = create_app(Settings(database_url=url))
        services = app.state.services
        key = await auth.create_key(services.db, f"bench-{time.time_ns()}", "bench", list(ALL_SCOPES))
        await seed(services, key.workspace_id)
        headers = {"Authorization": f"Bearer {key.key}"}
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://bench", headers=headers) as client:
            medians = {}
            for label, (query, variables) in QUERIES.items():
                timings = []
                for _ in range(ROUNDS):
                    start = time.perf_counter()
                    response = await client.post("/graphql", json={"query": query, "variables": variables})
                    timings.append(time.perf_counter() - start)
                    assert not response.json().get("errors"), response.text
                medians[label] = statistics.median(timings)
        await services.db.dispose()
    baseline = medians["baseline: viewer"]
    print(f"{'query':60} {'median ms':>10} {'× baseline':>11}")
    for label, median in medians.items():
        print(f"{label:60} {median * 1000:10.2f} {median / baseline:11.1f}")


if __name__ == "__main__":
    asyncio.run(main())
