"""Context indexing: units and documents into the database's full-text index.

Each job reads the row as it is now and writes its index entry and `indexingStatus: indexed` in one
transaction, with the row locked, so an older job never overwrites a newer entry and running a job
twice is harmless. A row that is gone has its entry removed. Documents that are text (Markdown,
text, HTML, JSON, CSV) are indexed by their content; others by their name and description only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ..processing.document_text import document_text, html_text, text_format
from ..storage import blobs
from ..storage.models import ContextDocument, ContextUnit
from ..storage.repositories import context_search
from ..storage.repositories import jobs as jobs_repo
from ..storage.repositories.context_search import DOCUMENT, UNIT
from .queue import INDEX_CONTEXT_DOCUMENT, INDEX_CONTEXT_UNIT
from .runner import JobRun, job


def vector_file_id(target_id: str) -> str:
    """The id reported as `vectorFileId`: the index entry is the row's own."""
    return f"fts-{target_id}"


def _body(*parts: str | None) -> str:
    return "\n\n".join(part for part in parts if part)


async def _index(
    run: JobRun,
    model: type[ContextUnit | ContextDocument],
    kind: str,
    entry: Callable[[AsyncSession, Any], Awaitable[tuple[str, str]]],
) -> None:
    """Write the row's index entry, (name, body) = `entry(session, row)`, and mark the row indexed."""
    ws = run.workspace_id
    async with run.services.db.write() as session:
        row: Any = await jobs_repo.lock_target(session, model, ws, run.target_id)
        if row is None:
            await context_search.remove(session, ws, run.target_id)
            return
        name, body = await entry(session, row)
        await context_search.upsert(
            session, ws, kind=kind, target_id=row.id, product_id=row.product_id, name=name, body=body
        )
        row.indexing_status, row.vector_file_id = "indexed", vector_file_id(row.id)
        session.add(row)


@job(INDEX_CONTEXT_UNIT)
async def index_context_unit(run: JobRun) -> None:
    async def entry(session: AsyncSession, unit: ContextUnit) -> tuple[str, str]:
        return unit.name, _body(unit.description, unit.data)

    await _index(run, ContextUnit, UNIT, entry)


@job(INDEX_CONTEXT_DOCUMENT)
async def index_context_document(run: JobRun) -> None:
    async def entry(session: AsyncSession, document: ContextDocument) -> tuple[str, str]:
        content = ""
        fmt = text_format(document.mime_type, document.file_name)
        if fmt is not None:
            blob = await blobs.get(session, run.workspace_id, document.blob_key)
            content = document_text(blob.content) if blob is not None else ""
            if fmt == "html":
                content = html_text(content)
        return document.file_name, _body(document.description, content)

    await _index(run, ContextDocument, DOCUMENT, entry)
