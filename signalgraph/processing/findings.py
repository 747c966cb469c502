"""Findings as insights: the insight fields of a finding, and the reconciliation of a signal's insights.

Each finding of a signal becomes a *source* (a row of `insight_sources`) of a draft insight about its
subject (its kind and normalised noun-phrase name, `extract.subjects`, within the signal's product): the
open draft of the workspace about that subject when there is one — another signal said the same thing,
or this signal did on an earlier run — else a new one. An insight gathers its sources' quotes with their
signals in its description and is linked to every signal (and its accounts) that supports it.
Re-processing a signal withdraws its earlier sources before adding the new ones, and deletes the insights
no signal supports any more: re-processing never duplicates, and merging never crosses a workspace or
product.

An insight a person edited (`edited_at`, set by every user update) or moved on from `draft` is never
touched: it keeps its links and text, and leaves the pool, so a later finding on its subject opens a
new draft. There is one open draft per subject: a unique index (`uq_insights_open_subject`) makes the
second of two jobs that create the same subject at once fail its insert, inside a savepoint, and join
the first one's insight instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from ..storage.models import Insight, Signal
from ..storage.models.base import utcnow
from ..storage.repositories import insights as insights_repo
from ..storage.repositories import signal_runs as runs_repo
from .extract.base import KIND_LABELS, Extraction, ExtractionRequest, Finding
from .extract.subjects import subject_key

NAME_MAX = 500
DESCRIPTION_QUOTES = 10
SEVERITY_ORDER = ("low", "medium", "high", "critical")
Sources = dict[str, list[dict[str, Any]]]  # insight id → its sources, in the order it gathered them


def insight_fields(
    finding: Finding, request: ExtractionRequest, extractor: str, signal: Signal | None
) -> dict[str, Any]:
    """The insight of one finding on its own (`extractInsights`, which has no signal to merge by)."""
    first = finding.evidence[0]
    provenance: dict[str, Any] = {
        "extractor": extractor,
        "quote": first.quote,
        "start": first.start,
        "end": first.end,
        "speaker": first.speaker,
        "evidence": [e.as_json() for e in finding.evidence],
    }
    if signal is not None:
        provenance = {"signalId": signal.id, "signalPublicId": f"SIGNAL-{signal.public_number}", **provenance}
    return {
        "name": finding.name[:NAME_MAX],
        "description": finding.description,
        "type": request.insight_type,
        "classifications": {
            "kind": finding.kind,
            "sentiment": finding.sentiment,
            "severity": finding.severity,
            "mentions": len(finding.evidence),
        },
        "provenance": provenance,
        "finding_key": finding.key,
    }


def unique_keys(findings: tuple[Finding, ...]) -> list[tuple[str, Finding]]:
    """Findings with keys unique within one extraction (an LLM may name two findings alike)."""
    seen: dict[str, int] = {}
    keyed = []
    for finding in findings:
        seen[finding.key] = seen.get(finding.key, 0) + 1
        keyed.append(
            (finding.key if seen[finding.key] == 1 else f"{finding.key}#{seen[finding.key]}", finding)
        )
    return keyed


def is_protected(insight: Insight) -> bool:
    """A person's insight now: edited since it was created, or no longer a draft."""
    return insight.edited_at is not None or insight.status != "draft"


def source_of(signal: Signal, key: str, finding: Finding, request: ExtractionRequest, extractor: str) -> dict:
    return {
        "signalId": signal.id,
        "signalPublicId": f"SIGNAL-{signal.public_number}",
        "findingKey": key,
        "extractor": extractor,
        "kind": finding.kind,
        "name": finding.name[:NAME_MAX],
        "description": finding.description,
        "sentiment": finding.sentiment,
        "severity": finding.severity,
        "type": request.insight_type,
        "evidence": [e.as_json() for e in finding.evidence],
    }


def gathered_description(sources: list[dict[str, Any]]) -> str:
    """The finding's own description for one source; the quotes of all, with their signals, for several."""
    if len(sources) == 1:
        return sources[0]["description"]
    signals = list(dict.fromkeys(s["signalPublicId"] for s in sources))
    quotes = [
        f"“{e['quote']}” — " + ", ".join(x for x in (e.get("speaker"), s["signalPublicId"]) if x)
        for s in sources
        for e in s["evidence"]
    ]
    label = KIND_LABELS.get(sources[0]["kind"], "Finding")
    lines = [f"{label} raised in {len(signals)} signals ({', '.join(signals)}):", *quotes[:DESCRIPTION_QUOTES]]
    if len(quotes) > DESCRIPTION_QUOTES:
        lines.append(f"(and {len(quotes) - DESCRIPTION_QUOTES} more)")
    return "\n".join(lines)


def apply_sources(insight: Insight, sources: list[dict[str, Any]]) -> None:
    """Rewrite what extraction writes on an insight from its sources (the sources themselves are rows the
    caller writes: `insights_repo.replace_sources`); the first one names it. An insight that already says
    exactly this is left untouched: re-applying its own sources (a draft the run has just inserted) would
    otherwise cost an UPDATE of its `updated_at` alone."""
    first = sources[0]
    evidence = first["evidence"][0] if first["evidence"] else {}
    sentiments = {s["sentiment"] for s in sources}
    values = {
        "name": first["name"],
        "type": first["type"],
        "description": gathered_description(sources),
        "classifications": {
            "kind": first["kind"],
            "sentiment": first["sentiment"] if len(sentiments) == 1 else "mixed",
            "severity": max((s["severity"] for s in sources), key=SEVERITY_ORDER.index),
            "mentions": sum(len(s["evidence"]) for s in sources),
        },
        "provenance": {
            "signalId": first["signalId"],
            "signalPublicId": first["signalPublicId"],
            "extractor": first["extractor"],
            "quote": evidence.get("quote"),
            "start": evidence.get("start"),
            "end": evidence.get("end"),
            "speaker": evidence.get("speaker"),
            "evidence": first["evidence"],
        },
        "source_signal_id": first["signalId"],
        "finding_key": first["findingKey"],
    }
    if all(getattr(insight, column) == value for column, value in values.items()):
        return
    for column, value in values.items():
        setattr(insight, column, value)
    insight.updated_at = utcnow()


async def _created(session: AsyncSession, insight: Insight) -> bool:
    """Insert the new open draft; False when a concurrent job has just created one about its subject."""
    try:
        async with session.begin_nested():
            session.add(insight)
    except IntegrityError:
        return False
    return True


async def reconcile_insights(
    session: AsyncSession,
    signal: Signal,
    request: ExtractionRequest,
    extraction: Extraction,
    *,
    product_id: str | None,
    account_ids: list[str],
) -> list[Insight]:
    """Make the signal's findings the sources it gives, linked to it, its product and accounts; returns
    the insights it supports now.

    A fixed number of statements whatever the number of findings: one read (and lock) of the insights the
    signal gave to before and of the open drafts about its subjects and one of their sources, the changed
    insights written in one flush and their sources in two statements, the links in one insert per table;
    only an insight about a new subject takes a statement (in a savepoint) of its own."""
    ws, signal_id = signal.workspace_id, signal.id
    scope = product_id or "-"
    keyed = sorted((f"{scope}:{subject_key(f.kind, f.name)}", k, f) for k, f in unique_keys(extraction.findings))
    subjects = [s for s, _, _ in keyed]
    bind: Any = session.bind
    appendable: dict[str, Insight] = {}
    locked_subjects, gave_before = subjects, True
    if bind.dialect.name != "sqlite":
        # The drafts about new subjects first, in subject order, and only then the shared ones locked (in
        # that order too): a job that held drafts while it waited on another job's insert of a new subject,
        # while that one waited on one of those drafts, would deadlock. Other signals' open drafts that the
        # run only adds sources to are not locked here: their sources are appended in SQL as the last
        # statement before the commit (`runs_repo.append_sources`). SQLite's writers take turns.
        appendable, gave_before = await _create_new_drafts(session, signal, request, extraction, keyed, product_id)
        locked_subjects = [s for s in subjects if s not in appendable]
    # With nothing of this signal's to reconcile (only its own runs write its sources, and they take turns on
    # its row) and every finding appended, there is nothing to read or lock: one round trip fewer.
    contributed, drafts = (
        await runs_repo.reconciled_insights(session, ws, signal_id, locked_subjects)
        if gave_before or locked_subjects
        else ([], {})
    )
    known = await insights_repo.sources_by_insight_id(session, ws, [i.id for i in (*contributed, *drafts.values())])
    kept, open_, own = _earlier_insights(contributed, signal_id, known)
    # each open insight this run touches: its sources before the run, and the run's new ones
    before = {i.id: (i, known.get(i.id, [])) for i in open_}
    added: dict[str, list[dict[str, Any]]] = {}
    appends: dict[str, list[dict[str, Any]]] = {}  # another signal's open draft → the run's sources it gains
    current: dict[str, Insight] = {}
    for subject, key, finding in keyed:
        protected = next((i for i in kept if i.subject_key == subject or _gave(i, signal_id, key, known)), None)
        if protected is not None:
            current[protected.id] = protected
            continue
        source = source_of(signal, key, finding, request, extraction.extractor)
        if subject in appendable:
            appends.setdefault(appendable[subject].id, []).append(source)
            current[appendable[subject].id] = appendable[subject]
            continue
        insight = drafts.get(subject)
        if insight is None and key in own and own[key].subject_key is None:
            insight = own[key]  # written before merging existed: it takes its subject now
            insight.subject_key, drafts[subject] = subject, insight
        if insight is None:
            new = Insight(workspace_id=ws, status="draft", product_id=product_id, subject_key=subject, description="")
            apply_sources(new, [source])
            if await _created(session, new):
                before[new.id], added[new.id], current[new.id] = (new, []), [source], new
                drafts[subject] = new
                continue
            insight = await runs_repo.open_draft(session, ws, subject)  # the concurrent job's, committed now
            if insight is None:
                raise RuntimeError(f"an insight about {finding.name!r} could neither be created nor found")
            drafts[subject] = insight
            known |= await insights_repo.sources_by_insight_id(session, ws, [insight.id])
        before.setdefault(insight.id, (insight, known.get(insight.id, [])))
        added.setdefault(insight.id, []).append(source)
        apply_sources(insight, replaced(before[insight.id][1], signal_id, added[insight.id]))
        insight.product_id = insight.product_id or product_id
        session.add(insight)
        current[insight.id] = insight
    withdrawn, written = [], {}
    for insight, sources in before.values():
        if insight.id in added:
            now = replaced(sources, signal_id, added[insight.id])
        else:
            now = [s for s in sources if s["signalId"] != signal_id]
            if not now:
                await session.delete(insight)
                continue
            apply_sources(insight, now)  # other signals still say it: only this signal's evidence leaves
            session.add(insight)
            withdrawn.append(insight.id)
        if now != sources:
            written[insight.id] = now
    await session.flush()
    await insights_repo.replace_sources(session, ws, written)
    await runs_repo.unlink_insights(session, ws, signal_id, withdrawn)
    await runs_repo.link_insights(session, ws, signal_id, [i for i in current if i not in appends], account_ids)
    if appends:
        current = await _append(session, signal, current, appends, product_id, account_ids)
    return list(current.values())


async def _append(
    session: AsyncSession,
    signal: Signal,
    current: dict[str, Insight],
    appends: dict[str, list[dict[str, Any]]],
    product_id: str | None,
    account_ids: list[str],
) -> dict[str, Insight]:
    """Append the run's sources to other signals' open drafts, linked to the signal and its accounts, as
    the last statement of the reconciliation; `current` with each draft as it is now. A draft that was
    closed (edited, published) or deleted since it was read gets nothing: its findings go where a
    reconciliation that read it closed would put them, the subject's open draft now or a new one (merged
    in Python, as is a draft whose text the statement cannot grow)."""
    now = utcnow()
    appended = await runs_repo.append_sources(
        session, signal.workspace_id, signal.id, appends, product_id=product_id, account_ids=account_ids, now=now,
        labels=KIND_LABELS, severities=SEVERITY_ORDER, quotes=DESCRIPTION_QUOTES,
    )
    homes: dict[str, Insight] = {}
    written: Sources = {}
    for insight_id, sources in appends.items():
        draft = current[insight_id]
        values = appended.get(insight_id)
        if values is None:
            home, written_sources = await _merge_into_open_draft(session, signal, draft.subject_key, sources, product_id)
            homes[insight_id], written[home.id] = home, written_sources
            continue
        for column in ("description", "classifications", "product_id"):
            set_committed_value(draft, column, values[column])
        set_committed_value(draft, "updated_at", now)
    if not homes:
        return current
    await session.flush()
    await insights_repo.replace_sources(session, signal.workspace_id, written)
    await runs_repo.link_insights(session, signal.workspace_id, signal.id, [i.id for i in homes.values()], account_ids)
    return {(homes[i].id if i in homes else i): homes.get(i, insight) for i, insight in current.items()}


async def _merge_into_open_draft(
    session: AsyncSession, signal: Signal, subject: str | None, sources: list[dict[str, Any]], product_id: str | None
) -> tuple[Insight, list[dict[str, Any]]]:
    """The subject's open draft (locked), with the sources merged in, and its sources now; a new one when
    there is none."""
    ws = signal.workspace_id
    if subject is None:
        raise RuntimeError("a draft without a subject cannot be merged into")
    insight = await runs_repo.open_draft(session, ws, subject)
    if insight is None:
        new = Insight(workspace_id=ws, status="draft", product_id=product_id, subject_key=subject, description="")
        apply_sources(new, sources)
        if await _created(session, new):
            return new, sources
        insight = await runs_repo.open_draft(session, ws, subject)  # the concurrent job's, committed now
        if insight is None:
            raise RuntimeError(f"an insight about {sources[0]['name']!r} could neither be created nor found")
    known = await insights_repo.sources_by_insight_id(session, ws, [insight.id])
    now = replaced(known.get(insight.id, []), signal.id, sources)
    apply_sources(insight, now)
    insight.product_id = insight.product_id or product_id
    session.add(insight)
    return insight, now


async def _create_new_drafts(
    session: AsyncSession,
    signal: Signal,
    request: ExtractionRequest,
    extraction: Extraction,
    keyed: list[tuple[str, str, Finding]],
    product_id: str | None,
) -> tuple[dict[str, Insight], bool]:
    """Insert a draft for each subject that `reconcile_insights` would create one for, as it would create
    it, judged on what is committed now (unlocked): a concurrent job's committed draft makes the insert
    fail in its savepoint, and the reconciliation, on the locked rows, merges into that one instead.
    Returns, by subject, the open drafts the run would only add sources to: another signal's (none of
    this signal's sources or links in it), in the merged form (with `sources`); and whether any insight
    holds a source of this signal's earlier runs."""
    ws, signal_id = signal.workspace_id, signal.id
    contributed, drafts, can_append = await runs_repo.appendable_drafts(session, ws, signal_id, [s for s, _, _ in keyed])
    known = await insights_repo.sources_by_insight_id(session, ws, [i.id for i in contributed])
    kept, _, own = _earlier_insights(contributed, signal_id, known)
    appendable = {subject: draft for subject, draft in drafts.items() if draft.id in can_append}
    for subject, key, finding in keyed:
        if subject in drafts or any(i.subject_key == subject or _gave(i, signal_id, key, known) for i in kept):
            continue
        if key in own and own[key].subject_key is None:
            drafts[subject] = own[key]  # it takes this subject
            continue
        new = Insight(workspace_id=ws, status="draft", product_id=product_id, subject_key=subject, description="")
        apply_sources(new, [source_of(signal, key, finding, request, extraction.extractor)])
        drafts[subject] = new
        await _created(session, new)
    return appendable, bool(kept or own)


def _earlier_insights(
    contributed: list[Insight], signal_id: str, sources: Sources
) -> tuple[list[Insight], list[Insight], dict[str, Insight]]:
    """Of the insights a signal's earlier runs may have given evidence to, those it did: the ones a person
    protected, the open ones, and the open one of each of its finding keys."""
    earlier = [i for i in contributed if any(s["signalId"] == signal_id for s in sources.get(i.id, []))]
    kept = [i for i in earlier if is_protected(i)]
    open_ = [i for i in earlier if i not in kept]
    own = {s["findingKey"]: i for i in open_ for s in sources.get(i.id, []) if s["signalId"] == signal_id}
    return kept, open_, own


def _gave(insight: Insight, signal_id: str, finding_key: str, sources: Sources) -> bool:
    return any(s["signalId"] == signal_id and s["findingKey"] == finding_key for s in sources.get(insight.id, []))


def replaced(sources: list[dict[str, Any]], signal_id: str, new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sources with the signal's own replaced by `new`, where its first one stood (else last)."""
    at = next((n for n, s in enumerate(sources) if s["signalId"] == signal_id), len(sources))
    return [s for s in sources[:at] if s["signalId"] != signal_id] + new + [
        s for s in sources[at:] if s["signalId"] != signal_id
    ]
