"""The batched reconciliation writes exactly what the per-finding one wrote (tests/processing/
reference_reconcile.py): the same steps, applied to two workspaces of one database, one through each,
leave the same insights, sources, descriptions and links after every step, on both databases. The steps
go through every branch: new subjects, merging across signals, two findings on one subject, product
scopes, account links, re-processing that withdraws evidence or deletes an insight, an insight a person
edited or published, and an insight written before merging existed, which takes its subject."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select, update

from signalgraph.processing.extract.base import Evidence, Extraction, ExtractionRequest, Finding
from signalgraph.processing.findings import reconcile_insights
from signalgraph.storage.models import Insight, Signal
from signalgraph.storage.models.base import utcnow
from signalgraph.storage.repositories import base as repo
from signalgraph.storage.repositories import insights as insights_repo
from signalgraph.storage.repositories import links
from signalgraph.storage.repositories import signal_runs as runs_repo
from tests.factories import create_account, create_product, create_signal
from tests.processing.reference_reconcile import reference_reconcile

REQUEST = ExtractionRequest("Customer: words.", "transcript")


def finding(kind: str, name: str, quote: str, key: str | None = None, severity: str = "medium") -> Finding:
    return Finding(key=key or f"{kind}:{name.lower()}", kind=kind, name=name, description=f"About {name}.",
                   sentiment="negative" if kind in ("bug", "pain_point") else "neutral", severity=severity,
                   evidence=(Evidence(quote, 0, len(quote), "Customer"),))


DARK = finding("feature_request", "Dark mode", "please add a dark mode")
CRASH = finding("bug", "Map view crash", "the map view crashes", severity="high")
PRAISE = finding("praise", "Clean dashboard", "the dashboard looks clean")
SLOW = finding("pain_point", "Slow export", "the export is slow")
# (signal number, findings, with the product?, account numbers)
STEPS: list[tuple[int, tuple[Finding, ...], bool, tuple[int, ...]]] = [
    (0, (DARK, CRASH, PRAISE), False, (0,)),
    (1, (finding("feature_request", "dark mode", "a dark theme would be great"), SLOW), False, ()),
    (2, (DARK, finding("feature_request", "Dark mode!", "dark mode at night", key="feature_request:dark mode")),
     True, (0, 1)),
    (1, (DARK, SLOW, PRAISE), False, (1,)),
    ("edit crash", (), False, ()),  # type: ignore[list-item]
    (0, (finding("feature_request", "Dark mode", "dark mode, again"), CRASH), False, (0,)),
    (1, (), False, ()),
    ("publish dark mode", (), False, ()),  # type: ignore[list-item]
    (3, (DARK, finding("question", "Export formats", "which formats can I export?")), False, ()),
    ("legacy insight of signal 4", (), False, ()),  # type: ignore[list-item]
    (4, (SLOW, finding("question", "Export formats", "and PDF?")), False, (1,)),
    (4, (SLOW,), True, (0,)),
    # Signals that only add evidence to drafts others opened (on PostgreSQL, appended in SQL): two findings
    # on one subject, quotes without a speaker, other sentiments and severities, past the description's
    # ten quotes.
    (5, (finding("praise", "Clean dashboard", "clean, says five", severity="low"),
         finding("praise", "Clean dashboard", "so very\nclean", key="praise:clean dashboard, again")), False, (0, 1)),
    (6, (Finding(key="praise:clean dashboard", kind="praise", name="Clean dashboard", description="Six on it.",
                 sentiment="positive", severity="critical",
                 evidence=(Evidence("clean one", 0, 9, None), Evidence("clean two", 10, 19, ""),
                           Evidence("clean three", 20, 31, "Buyer"))), DARK, SLOW), False, (1,)),
    (7, (Finding(key="praise:clean dashboard", kind="praise", name="Clean dashboard", description="Seven.",
                 sentiment="positive", severity="high",
                 evidence=tuple(Evidence(f"clean {n}", n, n + 1, "Customer") for n in range(5))),), False, ()),
    (8, (PRAISE, CRASH), False, (0,)),
    # Quotes over two lines (above, within the first ten; here past them): descriptions are cut by lengths.
    (9, (finding("praise", "Clean dashboard", "clean,\n(and 3 more)", severity="critical"),), False, ()),
    (7, (), False, ()),
]

Reconcile = Callable[..., Awaitable[list[Insight]]]


async def test_batched_reconciliation_writes_what_the_per_finding_one_wrote(make_api, services):
    apis = [await make_api(), await make_api()]
    setups = []
    for api in apis:
        signals = [await create_signal(api, text=f"Signal {n}.", signalType="transcript") for n in range(10)]
        product = await create_product(api, name="Maps")
        accounts = [await create_account(api, name=f"Account {n}") for n in range(2)]
        setups.append((api.workspace_id, [s["id"] for s in signals], product["id"], [a["id"] for a in accounts]))
    db = services.db

    for step, (what, findings, in_product, account_numbers) in enumerate(STEPS):
        returned = []
        for (ws, signal_ids, product_id, account_ids), reconcile in zip(
            setups, (reconcile_insights, reference_reconcile), strict=True
        ):
            if isinstance(what, str):
                await edit(db, ws, what, signal_ids)
                continue
            async with db.write() as session:
                signal = await session.get(Signal, signal_ids[what])
                assert signal is not None
                supported = await reconcile(
                    session, signal, REQUEST, Extraction(findings=findings, context="general_feedback", extractor="t"),
                    product_id=product_id if in_product else None, account_ids=[account_ids[n] for n in account_numbers],
                )
                returned.append([(i.name, i.status, i.description) for i in supported])
        ours, theirs = [await state(db, *setup) for setup in setups]
        assert ours == theirs, f"after step {step}: {what}"
        assert returned[:1] == returned[1:], f"the insights step {step} returned"
    assert len(ours["insights"]) >= 6  # the steps did build something to compare


async def test_a_draft_published_after_the_run_read_it_gains_nothing_and_the_finding_opens_a_new_one(
    make_api, services, monkeypatch
):
    """PostgreSQL reads the other signals' drafts a run adds to without a lock, and appends to them last: one
    a person published in between is left as it is, and the finding goes where it would have gone had the
    run read it published (SQLite's writers take turns: nothing can come in between)."""
    if services.db.is_sqlite:
        pytest.skip("SQLite reconciles under its one writer's turn")
    api = await make_api()
    signals = [await create_signal(api, text=f"Signal {n}.", signalType="transcript") for n in range(2)]
    account = await create_account(api, name="Account")
    db, ws = services.db, api.workspace_id
    extraction = Extraction(findings=(DARK,), context="general_feedback", extractor="t")
    async with db.write() as session:
        first = await session.get(Signal, signals[0]["id"])
        [draft] = await reconcile_insights(session, first, REQUEST, extraction, product_id=None, account_ids=[])
    append_sources = runs_repo.append_sources

    async def published_first(*args: Any, **kwargs: Any) -> Any:
        await edit(db, ws, "publish dark mode", [])
        return await append_sources(*args, **kwargs)

    monkeypatch.setattr(runs_repo, "append_sources", published_first)
    async with db.write() as session:
        second = await session.get(Signal, signals[1]["id"])
        [supported] = await reconcile_insights(
            session, second, REQUEST, extraction, product_id=None, account_ids=[account["id"]]
        )

    async with db.read() as session:
        published = await session.get(Insight, draft.id)
        new = await session.get(Insight, supported.id)
        by_signal = await repo.linked_ids(session, links.SIGNAL_INSIGHTS, ws, [s["id"] for s in signals])
        by_account = await repo.linked_ids(session, links.ACCOUNT_INSIGHTS, ws, [account["id"]])
        sources = await insights_repo.sources_by_insight_id(session, ws, [draft.id, supported.id])
    assert published is not None and new is not None and new.id != published.id
    assert (published.status, [s["signalId"] for s in sources[published.id]]) == ("published", [signals[0]["id"]])
    assert (new.status, [s["signalId"] for s in sources[new.id]]) == ("draft", [signals[1]["id"]])
    assert by_signal == {signals[0]["id"]: [published.id], signals[1]["id"]: [new.id]}
    assert by_account == {account["id"]: [new.id]}


async def edit(db, ws: str, what: str, signal_ids: list[str]) -> None:
    """A person's doing, the same in both workspaces."""
    async with db.write() as session:
        if what == "edit crash":
            await session.execute(update(Insight).where(Insight.workspace_id == ws, Insight.name == "Map view crash")
                                  .values(edited_at=utcnow()))
        elif what == "publish dark mode":
            await session.execute(update(Insight).where(Insight.workspace_id == ws, Insight.name == "Dark mode",
                                                        Insight.status == "draft").values(status="published"))
        else:  # an insight signal 4 gave before merging existed (no subject), as migration 0007 left it
            legacy = Insight(workspace_id=ws, status="draft", name="Slow export", description="About Slow export.",
                             type="interview", source_signal_id=signal_ids[4], finding_key=SLOW.key,
                             classifications={"kind": "pain_point", "sentiment": "negative", "severity": "medium",
                                              "mentions": 1},
                             provenance={"signalId": signal_ids[4], "signalPublicId": "SIGNAL-5", "extractor": "t",
                                         "evidence": [SLOW.evidence[0].as_json()]})
            session.add(legacy)
            await session.flush()
            await insights_repo.replace_sources(session, ws, {legacy.id: [{
                "signalId": signal_ids[4], "signalPublicId": "SIGNAL-5", "findingKey": SLOW.key, "extractor": "t",
                "kind": "pain_point", "name": "Slow export", "description": "About Slow export.",
                "sentiment": "negative", "severity": "medium", "type": "interview",
                "evidence": [SLOW.evidence[0].as_json()]}]})
            await repo.add_links(session, links.SIGNAL_INSIGHTS, ws, signal_ids[4], [legacy.id])


async def state(db, ws: str, signal_ids: list[str], product_id: str, account_ids: list[str]) -> dict[str, Any]:
    """The workspace's insights and links, with every id written as what it stands for."""
    async with db.read() as session:
        insights = list((await session.execute(
            select(Insight).where(Insight.workspace_id == ws).order_by(Insight.created_at, Insight.id)
        )).scalars())
        ids = [i.id for i in insights]
        by_signal = await repo.linked_ids(session, links.SIGNAL_INSIGHTS, ws, signal_ids)
        by_account = await repo.linked_ids(session, links.ACCOUNT_INSIGHTS, ws, account_ids)
        sources = await insights_repo.sources_by_insight_id(session, ws, ids)
    names = {i: f"insight {n}" for n, i in enumerate(ids)}
    names.update({s: f"signal {n}" for n, s in enumerate(signal_ids)})
    names.update({a: f"account {n}" for n, a in enumerate(account_ids)})
    names[product_id] = "product"

    def named(value: Any) -> Any:
        if isinstance(value, dict):
            return {named(k): named(v) for k, v in value.items()}
        if isinstance(value, list):
            return [named(v) for v in value]
        if not isinstance(value, str):
            return value
        return names.get(value) or value.replace(product_id, "product")  # a subject is scoped by its product

    columns = ("name", "description", "status", "type", "product_id", "classifications", "provenance",
               "source_signal_id", "finding_key", "subject_key")
    return {
        "insights": [named({c: getattr(i, c) for c in columns}
                           | {"edited": i.edited_at is not None, "sources": sources.get(i.id, [])})
                     for i in insights],
        "signal links": sorted(named([[k, sorted(v, key=ids.index)] for k, v in by_signal.items()])),
        "account links": sorted(named([[k, sorted(v, key=ids.index)] for k, v in by_account.items()])),
    }
