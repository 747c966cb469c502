"""The reconciliation as it was before it was batched (one locked look-up and one flush per finding), kept
as the reference that tests/processing/test_reconcile_batched.py holds `reconcile_insights` to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from signalgraph.processing.extract.base import Extraction, ExtractionRequest
from signalgraph.processing.extract.subjects import subject_key
from signalgraph.processing.findings import (
    _created,
    _gave,
    apply_sources,
    is_protected,
    replaced,
    source_of,
    unique_keys,
)
from signalgraph.storage.models import Insight, Signal, SignalInsight
from signalgraph.storage.repositories import base as repo
from signalgraph.storage.repositories import insights as insights_repo
from signalgraph.storage.repositories import links


async def contributed_insights(session: AsyncSession, workspace_id: str, signal_id: str) -> list[Insight]:
    linked = select(col(SignalInsight.insight_id)).where(
        col(SignalInsight.signal_id) == signal_id, col(SignalInsight.workspace_id) == workspace_id
    )
    stmt = (
        select(Insight)
        .where(
            col(Insight.workspace_id) == workspace_id,
            or_(col(Insight.source_signal_id) == signal_id, col(Insight.id).in_(linked)),
        )
        .order_by(col(Insight.created_at), col(Insight.id))
        .with_for_update()
    )
    return list((await session.execute(stmt)).scalars())


async def open_draft(session: AsyncSession, workspace_id: str, subject: str) -> Insight | None:
    stmt = (
        select(Insight)
        .where(
            col(Insight.workspace_id) == workspace_id,
            col(Insight.subject_key) == subject,
            col(Insight.status) == "draft",
            col(Insight.edited_at).is_(None),
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.execute(stmt)).scalars().first()


async def sources_of(session: AsyncSession, insight: Insight) -> list[dict[str, Any]]:
    found = await insights_repo.sources_by_insight_id(session, insight.workspace_id, [insight.id])
    return found.get(insight.id, [])


async def unlink_insight(session: AsyncSession, workspace_id: str, signal_id: str, insight_id: str) -> None:
    await session.execute(
        delete(SignalInsight).where(
            col(SignalInsight.workspace_id) == workspace_id,
            col(SignalInsight.signal_id) == signal_id,
            col(SignalInsight.insight_id) == insight_id,
        )
    )


async def reference_reconcile(
    session: AsyncSession,
    signal: Signal,
    request: ExtractionRequest,
    extraction: Extraction,
    *,
    product_id: str | None,
    account_ids: list[str],
) -> list[Insight]:
    ws, signal_id = signal.workspace_id, signal.id
    contributed = await contributed_insights(session, ws, signal_id)
    known = {i.id: await sources_of(session, i) for i in contributed}
    earlier = [i for i in contributed if any(s["signalId"] == signal_id for s in known[i.id])]
    kept = [i for i in earlier if is_protected(i)]
    before = {i.id: (i, known[i.id]) for i in earlier if i not in kept}
    added: dict[str, list[dict[str, Any]]] = {}
    own = {s["findingKey"]: i for i, sources in before.values() for s in sources if s["signalId"] == signal_id}
    current: dict[str, Insight] = {}
    scope = product_id or "-"
    for subject, key, finding in sorted(
        (f"{scope}:{subject_key(f.kind, f.name)}", k, f) for k, f in unique_keys(extraction.findings)
    ):
        protected = next((i for i in kept if i.subject_key == subject or _gave(i, signal_id, key, known)), None)
        if protected is not None:
            current[protected.id] = protected
            continue
        source = source_of(signal, key, finding, request, extraction.extractor)
        insight = await open_draft(session, ws, subject)
        if insight is None and key in own and own[key].subject_key is None:
            insight = own[key]
            insight.subject_key = subject
        if insight is None:
            new = Insight(workspace_id=ws, status="draft", product_id=product_id, subject_key=subject, description="")
            apply_sources(new, [source])
            if await _created(session, new):
                before[new.id], added[new.id], current[new.id] = (new, []), [source], new
                continue
            insight = await open_draft(session, ws, subject)
            if insight is None:
                raise RuntimeError(f"an insight about {finding.name!r} could neither be created nor found")
        if insight.id not in before:
            before[insight.id] = (insight, await sources_of(session, insight))
        added.setdefault(insight.id, []).append(source)
        apply_sources(insight, replaced(before[insight.id][1], signal_id, added[insight.id]))
        insight.product_id = insight.product_id or product_id
        session.add(insight)
        await session.flush()
        current[insight.id] = insight
    for insight, sources in before.values():
        if insight.id in added:
            await session.flush()
            await insights_repo.replace_sources(session, ws, {insight.id: replaced(sources, signal_id, added[insight.id])})
            continue
        others = [s for s in sources if s["signalId"] != signal_id]
        if others:
            apply_sources(insight, others)
            session.add(insight)
            await session.flush()
            await insights_repo.replace_sources(session, ws, {insight.id: others})
            await unlink_insight(session, ws, signal_id, insight.id)
        else:
            await session.delete(insight)
    await session.flush()
    await repo.add_links(session, links.SIGNAL_INSIGHTS, ws, signal_id, list(current))
    for insight_id in current:
        await repo.add_links(session, links.ACCOUNT_INSIGHTS.reversed(), ws, insight_id, account_ids)
    return list(current.values())
