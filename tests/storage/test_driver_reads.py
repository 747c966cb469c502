"""The reads sent by asyncpg itself on PostgreSQL (storage/driver.py): the link look-ups and the count of a
list answer what SQLAlchemy's execution of the same statements answers, on both databases, in a read and in
a write transaction that has not committed yet."""

from __future__ import annotations

from signalgraph.storage import driver
from signalgraph.storage.models import SignalInsight
from signalgraph.storage.repositories import base, links
from signalgraph.storage.repositories.insights import INSIGHTS

from ..factories import Api, create_idea, create_insight, create_opportunity, create_signal


async def sqlalchemy_linked_ids(session, link, ws, keys):
    rows = (await session.execute(base._linked_ids_statement(link), {"workspace_id": ws, "keys": keys})).all()
    return {key: [v for k, v in rows if k == key] for key in {k for k, _ in rows}}


async def test_link_lookups_and_the_count_answer_as_sqlalchemys_execution(api: Api, services, backend):
    # given: two insights, one linked to three ideas (in an order of their own) and one opportunity
    ideas = [await create_idea(api, name=f"Idea {n}") for n in range(3)]
    linked = await create_insight(api, name="Linked", ideaIds=[i["id"] for i in reversed(ideas)])
    bare = await create_insight(api, name="Bare")
    await create_opportunity(api, insightIds=[linked["id"]])
    ws, keys = api.workspace_id, [linked["id"], bare["id"], "no-such-insight"]

    async with services.db.read() as session:
        # when
        ideas_by_insight = await base.linked_ids(session, links.INSIGHT_IDEAS, ws, keys)
        opportunities_by_insight = await base.linked_ids(session, links.INSIGHT_OPPORTUNITIES, ws, keys)
        count = await INSIGHTS.count(session, ws)
        expected_ideas = await sqlalchemy_linked_ids(session, links.INSIGHT_IDEAS, ws, keys)
        expected_opportunities = await sqlalchemy_linked_ids(session, links.INSIGHT_OPPORTUNITIES, ws, keys)
        elsewhere = await base.linked_ids(session, links.INSIGHT_IDEAS, "another-workspace", keys)

    # then
    assert driver.is_postgres(session) == backend.database_url.startswith("postgresql")
    assert dict(ideas_by_insight) == expected_ideas and len(ideas_by_insight[linked["id"]]) == 3
    assert dict(opportunities_by_insight) == expected_opportunities and len(opportunities_by_insight[linked["id"]]) == 1
    assert count == 2
    assert elsewhere == {}


async def test_in_a_write_transaction_they_see_its_own_rows_before_it_commits(api: Api, services):
    # given
    signal_insight = await create_insight(api, name="Linked to a signal")
    signal = await create_signal(api)
    ws = api.workspace_id

    async with services.db.write() as session:
        before = await INSIGHTS.count(session, ws)
        # when: a link written in this transaction, not committed
        session.add(SignalInsight(workspace_id=ws, signal_id=signal["id"], insight_id=signal_insight["id"]))
        await session.flush()
        linked = await base.linked_ids(session, links.SIGNAL_INSIGHTS.reversed(), ws, [signal_insight["id"]])
        await session.rollback()
    async with services.db.read() as session:
        after_rollback = await base.linked_ids(session, links.SIGNAL_INSIGHTS.reversed(), ws, [signal_insight["id"]])

    # then
    assert before == 1
    assert linked == {signal_insight["id"]: [signal["id"]]}
    assert after_rollback == {}
