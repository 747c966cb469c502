"""Context indexing: units and documents into the database's full-text index.

Each job reads the row as it is now and writes its index entry and `indexingStatus: indexed` in one
transaction, with the row locked, so an older job never overwrites a newer entry and running a job
twice is harmless. A row that is gone has its entry removed. Documents that are text (Markdown,
text, HTML, JSON, CSV) are indexed by their content; others by their name and description only.
"""

from __future__ import annotations

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


@job(INDEX_CONTEXT_UNIT)
async def index_context_unit(run: JobRun) -> None:
    ws = run.workspace_id
    async with run.services.db.write() as session:
        unit = await jobs_repo.lock_target(session, ContextUnit, ws, run.target_id)
        if unit is None:
            await context_search.remove(session, ws, run.target_id)
            return
        await context_search.upsert(
            session,
            ws,
            kind=UNIT,
            target_id=unit.id,
            product_id=unit.product_id,
            name=unit.name,
            body=_body(unit.description, unit.data),
        )
        unit.indexing_status, unit.vector_file_id = "indexed", vector_file_id(unit.id)
        session.add(unit)


@job(INDEX_CONTEXT_DOCUMENT)
async def index_context_document(run: JobRun) -> None:
    ws = run.workspace_id
    async with run.services.db.write() as session:
        document = await jobs_repo.lock_target(session, ContextDocument, ws, run.target_id)
        if document is None:
            await context_search.remove(session, ws, run.target_id)
            return
        content = ""
        fmt = text_format(document.mime_type, document.file_name)
        if fmt is not None:
            blob = await blobs.get(session, ws, document.blob_key)
            content = document_text(blob.content) if blob is not None else ""
            if fmt == "html":
                content = html_text(content)
        await context_search.upsert(
            session,
            ws,
            kind=DOCUMENT,
            target_id=document.id,
            product_id=document.product_id,
            name=document.file_name,
            body=_body(document.description, content),
        )
        document.indexing_status, document.vector_file_id = "indexed", vector_file_id(document.id)
        session.add(document)
