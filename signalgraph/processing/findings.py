"""Findings as insights: the insight fields of a finding, and the reconciliation of a signal's insights.

A signal's extracted insights carry its id (`source_signal_id`) and their finding's key (`finding_key`),
so a later run of the same signal updates the insight of each finding it finds again, adds the new
ones and deletes the ones it no longer finds: re-processing never duplicates. An insight's status is
left as the team set it; everything the extraction wrote is rewritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..storage.models import Insight, Signal
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import links
from ..storage.repositories import signal_runs as runs_repo
from .extract.base import Extraction, ExtractionRequest, Finding

NAME_MAX = 500


def insight_fields(
    finding: Finding, request: ExtractionRequest, extractor: str, signal: Signal | None
) -> dict[str, Any]:
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


async def reconcile_insights(
    session: AsyncSession,
    signal: Signal,
    request: ExtractionRequest,
    extraction: Extraction,
    *,
    product_id: str | None,
    account_ids: list[str],
) -> list[Insight]:
    """Make the signal's extracted insights exactly its findings, linked to it, its product and accounts."""
    ws = signal.workspace_id
    earlier = {i.finding_key: i for i in await runs_repo.extracted_insights(session, ws, signal.id)}
    now = utcnow()
    current = []
    for key, finding in unique_keys(extraction.findings):
        fields = {**insight_fields(finding, request, extraction.extractor, signal), "finding_key": key}
        insight = earlier.pop(key, None)
        if insight is None:
            insight = Insight(
                workspace_id=ws, status="draft", source_signal_id=signal.id, product_id=product_id, **fields
            )
        else:
            for name, value in fields.items():
                setattr(insight, name, value)
            insight.product_id = insight.product_id or product_id
            insight.updated_at = now
        session.add(insight)
        current.append(insight)
    for vanished in earlier.values():
        await session.delete(vanished)
    await session.flush()
    await repo.add_links(session, links.SIGNAL_INSIGHTS, ws, signal.id, [i.id for i in current])
    for insight in current:
        await repo.add_links(session, links.ACCOUNT_INSIGHTS.reversed(), ws, insight.id, account_ids)
    return current
