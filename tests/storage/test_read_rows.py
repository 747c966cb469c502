"""Read rows (storage/repositories/rows.py): what the loaders and lists answer with instead of ORM
instances. They must hold exactly what the ORM would load, under the model's name, and leave nothing
in the session (no instance state, no identity map): that is what they are for."""

from __future__ import annotations

from signalgraph.storage.models import Idea, Opportunity
from signalgraph.storage.repositories import base, links, rows
from signalgraph.storage.repositories.base import Related, Slice
from signalgraph.storage.repositories.ideas import IDEAS
from signalgraph.storage.repositories.rows import ReadRow, model_of

from ..factories import Api, create_idea, create_opportunity


def columns(row) -> dict:
    return {c.key: getattr(row, c.key) for c in Idea.__table__.columns}


async def test_read_rows_hold_what_the_orm_loads_and_stay_out_of_the_session(api: Api, services):
    # given
    idea = await create_idea(api, name="Scheduled exports")
    opportunity = await create_opportunity(api, ideaIds=[idea["id"]])
    ws = api.workspace_id

    async with services.db.read() as session:
        # when
        by_id = (await base.read_by_ids(session, Idea, ws, [idea["id"]]))[idea["id"]]
        linked = (await base.linked_rows(session, links.OPPORTUNITY_IDEAS, Idea, ws, [opportunity["id"]]))[opportunity["id"]]
        paged = await base.related_page(session, Related(Idea, link=links.OPPORTUNITY_IDEAS), ws, [opportunity["id"]], limit=5)
        listed = (await IDEAS.list(session, ws, window=Slice(limit=5))).rows
        left_in_session = len(session.identity_map)
        orm = (await base.by_ids(session, Idea, ws, [idea["id"]]))[idea["id"]]

    # then
    rows = [by_id, *linked, *(row for _, row in paged[opportunity["id"]]), *listed]
    assert len(rows) == 4
    for row in rows:
        assert isinstance(row, ReadRow) and type(row).__name__ == "Idea" and model_of(row) is Idea
        assert columns(row) == columns(orm)
    assert left_in_session == 0
    assert model_of(orm) is Idea and model_of(Opportunity()) is Opportunity


def test_past_the_cap_a_new_column_set_reads_every_column(monkeypatch):
    """Column sets follow what clients select: the process makes a bounded number of row classes."""
    monkeypatch.setattr(rows, "_CLASSES", {})
    monkeypatch.setattr(rows, "MAX_ROW_CLASSES", 2)
    full = rows.read_row(Idea)
    narrow = rows.read_row(Idea, frozenset({"id", "name"}))

    past = rows.read_row(Idea, frozenset({"id", "description"}))

    assert set(narrow._fields) == {"id", "name"}
    assert past is full and rows.read_row(Idea, frozenset({"id", "name"})) is narrow
