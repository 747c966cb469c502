"""Nested queries cost a bounded number of SQL statements, whatever the page sizes (no N+1)."""

from __future__ import annotations

from signalgraph.storage.models import (
    Idea,
    Insight,
    InsightOpportunity,
    Opportunity,
    OpportunityIdea,
    Signal,
    SignalInsight,
)
from tests.sql import counting_selects

NESTED = """
query($first: Int!) {
  signals(first: $first) { totalCount nodes { publicId
    insights(first: 5) { nodes { id opportunities(first: 5) { nodes { id ideas(first: 5) { nodes { id } } } } } } } }
}
"""


async def seed_graph(services, workspace_id: str, signals: int) -> None:
    """`signals` signals of 3 insights each; each insight in one opportunity with two ideas."""
    async with services.db.write() as session:
        for n in range(1, signals + 1):
            signal = Signal(workspace_id=workspace_id, public_number=n, name=f"signal {n}")
            session.add(signal)
            for i in range(3):
                insight = Insight(workspace_id=workspace_id, description=f"insight {n}.{i}")
                opportunity = Opportunity(workspace_id=workspace_id, name=f"opp {n}.{i}", description="d")
                ideas = [Idea(workspace_id=workspace_id, name=f"idea {n}.{i}.{k}", description="d") for k in range(2)]
                session.add_all([insight, opportunity, *ideas])
                await session.flush()
                session.add_all(
                    [
                        SignalInsight(signal_id=signal.id, insight_id=insight.id, workspace_id=workspace_id),
                        InsightOpportunity(insight_id=insight.id, opportunity_id=opportunity.id, workspace_id=workspace_id),
                        *[
                            OpportunityIdea(opportunity_id=opportunity.id, idea_id=idea.id, workspace_id=workspace_id)
                            for idea in ideas
                        ],
                    ]
                )


async def test_nested_signal_graph_costs_one_statement_per_level(api, services):
    await seed_graph(services, api.workspace_id, 100)

    with counting_selects(services.db.engine) as statements:
        data = await api.ok(NESTED, {"first": 100})

    nodes = data["signals"]["nodes"]
    assert len(nodes) == 100
    assert all(len(s["insights"]["nodes"]) == 3 for s in nodes)
    assert all(len(i["opportunities"]["nodes"]) == 1 and len(i["opportunities"]["nodes"][0]["ideas"]["nodes"]) == 2
               for s in nodes for i in s["insights"]["nodes"])
    # signals count + page, then one batch per nested level: insights, opportunities, ideas.
    assert len(statements) <= 5, "\n".join(statements)


async def test_statement_count_does_not_grow_with_page_size(api, services, monkeypatch):
    await seed_graph(services, api.workspace_id, 30)
    monkeypatch.setattr(services.keys, "seconds", 0)  # the key is read by both requests, not kept by the first

    with counting_selects(services.db.engine) as small:
        await api.ok(NESTED, {"first": 3})
    with counting_selects(services.db.engine) as large:
        await api.ok(NESTED, {"first": 30})

    assert len(large) == len(small)
