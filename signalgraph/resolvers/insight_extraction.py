"""`extractInsights`: the signal extractor, run synchronously on a transcript, its findings returned as
draft insights (saved only when asked)."""

from __future__ import annotations

from typing import Any

from ..errors import UpstreamFailed
from ..limits import TRANSCRIPT_CHARS
from ..processing.chat_completions import ModelError
from ..processing.extract import ExtractionRequest, create_extractor
from ..processing.findings import insight_fields
from ..storage.models import Insight, Product
from . import common
from .request_context import Context


async def extract_insights(ctx: Context, data: dict[str, Any]) -> list[Insight]:
    """A transcript's findings as draft insights: unsaved (with fresh ids) unless `create_insights`."""
    # At most TRANSCRIPT_CHARS: the extractor runs while the caller waits (in a thread, off the event loop).
    text = common.text(data.get("transcript"), "transcript", max_length=TRANSCRIPT_CHARS)
    ws = ctx.workspace_id
    async with ctx.read() as session:
        product_id = await common.linkable_one(session, Product, ws, data.get("product_id"), "productId")
    request = ExtractionRequest(text=text, signal_type="transcript")
    try:
        extraction = await create_extractor(ctx.settings).extract(request)
    except ModelError as exc:
        raise UpstreamFailed(f"The insight extractor failed: {exc}") from exc
    insights = [
        Insight(
            workspace_id=ws,
            status="draft",
            product_id=product_id,
            **insight_fields(finding, request, extraction.extractor, None),
        )
        for finding in extraction.findings
    ]
    if data.get("create_insights"):
        async with ctx.write() as w:
            await common.linkable_one(w.session, Product, ws, product_id, "productId")
            w.session.add_all(insights)
    return insights
