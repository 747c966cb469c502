"""The bench's data set, written with bulk inserts through Signalgraph's own tables in a few seconds.

One workspace with an all-scopes key; 10,000 signals, 20,000 insights, 2,000 opportunities, 1,000 ideas
and 20 tags, linked so that every level of a nested query fans out: each signal has 2 insights, each
insight 2 opportunities, 1 idea and 1 tag, each opportunity 2 ideas. Every row has its own creation
time, so every page has one order.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import SQLModel

from signalgraph import auth
from signalgraph.scopes import ALL_SCOPES
from signalgraph.storage.engine import Database, describe_database
from signalgraph.storage.migrate import upgrade_async
from signalgraph.storage.models import (
    Idea,
    Insight,
    InsightIdea,
    InsightOpportunity,
    InsightTag,
    Opportunity,
    OpportunityIdea,
    Signal,
    SignalInsight,
    Tag,
    Workspace,
    WorkspaceCounter,
)
from signalgraph.storage.models.base import new_id

SIGNALS, INSIGHTS, OPPORTUNITIES, IDEAS, TAGS = 10_000, 20_000, 2_000, 1_000, 20
CHUNK = 2_000
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
DESCRIPTION = (
    "Customers exporting large reports wait minutes for the file and often give up; "
    "several asked for a scheduled export delivered by email instead."
)


@dataclass(frozen=True)
class Seeded:
    key: str
    workspace_id: str
    seconds: float
    rows: int


def _at(n: int) -> datetime:
    return EPOCH + timedelta(seconds=n, microseconds=n % 1000 * 1000)


async def _insert(db: Database, model: type[SQLModel], rows: list[dict[str, Any]]) -> int:
    table = model.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), CHUNK):
        async with db.write() as session:
            await session.execute(insert(table), rows[start : start + CHUNK])
    return len(rows)


def _objects(model: type[SQLModel], count: int, fields) -> list[dict[str, Any]]:
    """`count` rows of `model` as plain dicts; Core's insert fills in the columns' defaults."""
    return [fields(n) for n in range(count)]


async def seed(database_url: str) -> Seeded:
    """Migrate an empty database and fill it; returns the key the bench calls with. A database that holds a
    workspace already is refused: seeded again, it would grow with every run, and so would every figure's
    cost."""
    started = time.perf_counter()
    await upgrade_async(database_url)
    db = Database(database_url)
    try:
        async with db.read() as session:
            if (await session.execute(select(Workspace.id).limit(1))).first() is not None:
                raise SystemExit(f"bench: {describe_database(database_url)} holds data already; give it an empty database")
        key = await auth.create_key(db, f"bench-{uuid.uuid4().hex[:8]}", "bench", list(ALL_SCOPES))
        ws = key.workspace_id
        ids = {name: [new_id() for _ in range(n)] for name, n in
               (("signal", SIGNALS), ("insight", INSIGHTS), ("opportunity", OPPORTUNITIES), ("idea", IDEAS),
                ("tag", TAGS))}
        common = {"workspace_id": ws}
        tables: list[tuple[type[SQLModel], list[dict[str, Any]]]] = [
            (Tag, _objects(Tag, TAGS, lambda n: {**common, "id": ids["tag"][n], "name": f"tag {n}"})),
            (Idea, _objects(Idea, IDEAS, lambda n: {
                **common, "id": ids["idea"][n], "name": f"Idea {n}", "description": DESCRIPTION,
                "created_at": _at(n), "updated_at": _at(n)})),
            (Opportunity, _objects(Opportunity, OPPORTUNITIES, lambda n: {
                **common, "id": ids["opportunity"][n], "name": f"Opportunity {n}", "description": DESCRIPTION,
                "created_at": _at(n), "updated_at": _at(n)})),
            (Signal, _objects(Signal, SIGNALS, lambda n: {
                **common, "id": ids["signal"][n], "public_number": n + 1, "name": f"Interview {n + 1}",
                "status": "processed", "signal_type": "transcript", "created_at": _at(n), "updated_at": _at(n)})),
            # Each insight came from its signal, as processing records it (source_signal_id): a column left
            # empty in all 20,000 rows made ANALYZE tell SQLite its index finds every row, and the job's
            # look-up of a signal's earlier insights scanned the table (bench/README.md, "One worker").
            (Insight, _objects(Insight, INSIGHTS, lambda n: {
                **common, "id": ids["insight"][n], "name": f"Insight {n}", "description": DESCRIPTION,
                "status": "published", "type": "user-interview", "source_signal_id": ids["signal"][n // 2],
                "created_at": _at(n), "updated_at": _at(n)})),
            (SignalInsight, [
                {**common, "signal_id": ids["signal"][n], "insight_id": ids["insight"][2 * n + i]}
                for n in range(SIGNALS) for i in (0, 1)]),
            # 7n + 1 and 3n + 1 never meet n modulo an even count: two distinct links each.
            (InsightOpportunity, [
                {**common, "insight_id": ids["insight"][n], "opportunity_id": ids["opportunity"][m % OPPORTUNITIES]}
                for n in range(INSIGHTS) for m in (n, 7 * n + 1)]),
            (OpportunityIdea, [
                {**common, "opportunity_id": ids["opportunity"][n], "idea_id": ids["idea"][m % IDEAS]}
                for n in range(OPPORTUNITIES) for m in (n, 3 * n + 1)]),
            (InsightIdea, [
                {**common, "insight_id": ids["insight"][n], "idea_id": ids["idea"][n % IDEAS]}
                for n in range(INSIGHTS)]),
            (InsightTag, [
                {**common, "insight_id": ids["insight"][n], "tag_id": ids["tag"][n % TAGS]} for n in range(INSIGHTS)]),
            # New signals continue the numbering.
            (WorkspaceCounter, [{**common, "name": "signal", "value": SIGNALS}]),
        ]
        rows = 0
        for model, values in tables:
            rows += await _insert(db, model, values)
        # Planner statistics, as a database that grew row by row would have them: without them PostgreSQL
        # plans the link joins for empty tables and a nested page takes seconds.
        async with db.engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")
    finally:
        await db.dispose()
    return Seeded(key=key.key, workspace_id=ws, seconds=time.perf_counter() - started, rows=rows)
