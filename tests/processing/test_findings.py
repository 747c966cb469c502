"""Reconciling findings into insights, at the storage level: the race the unique open-draft index settles."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, text

from signalgraph.processing.extract.base import Evidence, Extraction, ExtractionRequest, Finding
from signalgraph.processing.findings import reconcile_insights
from signalgraph.storage.models import Insight, Signal
from signalgraph.storage.repositories import base as repo
from signalgraph.storage.repositories import insights as insights_repo
from signalgraph.storage.repositories import links

CREATE = "mutation($input: CreateSignalInput!) { createSignal(input: $input) { signal { id } } }"
QUOTE = "a scheduled export to S3"
REQUEST = ExtractionRequest(f"We want {QUOTE}.", "review")
EXTRACTION = Extraction(
    findings=(Finding(key="feature_request:s3", kind="feature_request", name="Scheduled export to S3",
                      description="Wants exports sent to S3.", sentiment="neutral", severity="medium",
                      evidence=(Evidence(QUOTE, 8, 8 + len(QUOTE)),)),),
    context="feature_feedback",
    extractor="test",
)


async def reconcile(db, signal_id: str) -> None:
    async with db.write() as session:
        signal = await session.get(Signal, signal_id)
        await reconcile_insights(session, signal, REQUEST, EXTRACTION, product_id=None, account_ids=[])


async def lock_waiters(db) -> int:
    async with db.read() as session:
        return (await session.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ))).scalar_one()


async def test_a_job_creating_a_subject_another_job_is_creating_waits_and_joins_its_insight(api, services):
    if services.settings.is_sqlite:
        pytest.skip("PostgreSQL: SQLite writers take turns, so this race cannot happen there")
    ids = [(await api.ok(CREATE, {"input": {"text": "Hello.", "signalType": "review"}}))["createSignal"]["signal"]["id"]
           for _ in range(2)]
    await services.queue.drain()
    db = services.db

    async with db.write() as first:
        signal = await first.get(Signal, ids[0])
        await reconcile_insights(first, signal, REQUEST, EXTRACTION, product_id=None, account_ids=[])
        second = asyncio.create_task(reconcile(db, ids[1]))
        for _ in range(600):  # until the second job's insert waits for this uncommitted one (a bound, not a timing)
            if await lock_waiters(db) or second.done():
                break
            await asyncio.sleep(0.05)
        assert not second.done() and await lock_waiters(db) == 1
    await second  # the first committed: the second's insert failed in its savepoint, and it merged instead

    async with db.read() as session:
        workspace_id = signal.workspace_id
        insights = list((await session.execute(select(Insight).where(
            Insight.workspace_id == workspace_id, Insight.name == "Scheduled export to S3"))).scalars())
        assert len(insights) == 1
        linked = await repo.linked_ids(session, links.SIGNAL_INSIGHTS.reversed(), workspace_id, [insights[0].id])
        sources = await insights_repo.sources_by_insight_id(session, workspace_id, [insights[0].id])
    assert sorted(linked[insights[0].id]) == sorted(ids)
    assert [s["signalId"] for s in sources[insights[0].id]] == ids
