"""Context documents: files (bytes in the blob store) with metadata, global or scoped to one product.

What counts as text (the preview, and what the indexer reads) is processing/document_text.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInput, TooLarge
from ..processing.document_text import (
    GENERIC_MIME_TYPES,
    PREVIEW_MAX_CHARS,
    base_type,
    guess_mime_type,
    preview_bytes,
    preview_text,
    text_format,
)
from ..storage import blobs
from ..storage.models import ContextDocument, Product
from ..storage.models.base import modified, new_id, utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import context_documents as documents_repo
from ..storage.repositories.base import Page, Slice
from . import common
from .context_search import remove_from_index, schedule_indexing
from .context_units import DESCRIPTION_MAX, mark_pending
from .request_context import Context

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
READ_CHUNK_BYTES = 1024 * 1024
FILE_NAME_MAX = 255
DEFAULT_MIME_TYPE = "text/markdown"
MIME_TYPE_PATTERN = re.compile(r"^[\w.+-]+/[\w.+-]+(\s*;.*)?$")

@dataclass(frozen=True)
class DocumentContent:
    """The content preview of one document."""

    supported: bool
    content: str | None
    content_format: str | None
    truncated: bool
    max_chars: int
    source_url: str | None
    source_label: str | None
from ..storage.repositories.context_documents import CONTEXT_DOCUMENTS
from .resources import list_rows


# -- reads -------------------------------------------------------------------------------------
async def get_context_document(ctx: Context, document_id: str) -> ContextDocument | None:
    return await ctx.loaders.context_document_by_id.load(document_id)


async def list_context_documents(ctx: Context, *, window: Slice, **filters: Any) -> Page:
    return await list_rows(ctx, CONTEXT_DOCUMENTS, window=window, **filters)


async def get_document_content(ctx: Context, document_id: str) -> DocumentContent | None:
    document = await get_context_document(ctx, document_id)
    if document is None:
        return None
    fmt = text_format(document.mime_type, document.file_name)
    content, truncated = None, False
    if fmt is not None:  # only the bytes the preview can show are read, whatever the file's size
        async with ctx.read() as session:
            head = await blobs.head(session, ctx.workspace_id, document.blob_key, preview_bytes())
        content, truncated = preview_text(head or b"", document.size or 0)
    return DocumentContent(
        supported=fmt is not None,
        content=content,
        content_format=fmt,
        truncated=truncated,
        max_chars=PREVIEW_MAX_CHARS,
        source_url=document.source_url,
        source_label=document.source_label,
    )


# -- validation --------------------------------------------------------------------------------
def _file_name(value: Any, field: str) -> str:
    name = common.text(value, field, max_length=FILE_NAME_MAX).strip()
    if "/" in name or "\\" in name or name in (".", ".."):
        raise InvalidInput(f"{field} must be a plain file name, without path separators", field=field)
    if any(ord(char) < 32 for char in name):
        raise InvalidInput(f"{field} must not contain control characters", field=field)
    return name


def _description(value: Any) -> str | None:
    return common.text(value, "description", max_length=DESCRIPTION_MAX, required=False)


def _mime_type(value: Any) -> str:
    if value is None:
        return DEFAULT_MIME_TYPE
    mime_type = common.text(value, "mimeType", max_length=255).strip()
    if not MIME_TYPE_PATTERN.match(mime_type):
        raise InvalidInput("mimeType must look like type/subtype", field="mimeType")
    return mime_type


def _upload_mime_type(content_type: str | None, file_name: str) -> str:
    """The upload's own content type unless it is missing, malformed or generic: then the file name's."""
    sent = (content_type or "").strip()
    if len(sent) > 255 or not MIME_TYPE_PATTERN.match(sent):
        return guess_mime_type(file_name)
    if base_type(sent) in GENERIC_MIME_TYPES:
        guessed = guess_mime_type(file_name)
        return sent if guessed == "application/octet-stream" else guessed
    return sent


def _too_large(field: str) -> TooLarge:
    return TooLarge(f"{field} is larger than the maximum of {MAX_UPLOAD_BYTES} bytes", field=field)


async def _read_limited(upload: Any) -> bytes:
    """The upload's bytes, read a chunk at a time so an oversized file is refused at the limit."""
    chunks, size = [], 0
    while chunk := await upload.read(READ_CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise _too_large("file")
        chunks.append(chunk)
    return b"".join(chunks)


# -- writes ------------------------------------------------------------------------------------
async def _store(
    ctx: Context,
    *,
    file_name: str,
    content: bytes,
    mime_type: str,
    description: str | None,
    product_id: str | None,
) -> ContextDocument:
    """One transaction: the product checked, the bytes stored under the document's key, the row added."""
    ws = ctx.workspace_id
    document_id = new_id()
    async with ctx.write() as w:
        product_id = await common.linkable_one(w.session, Product, ws, product_id, "productId")
        key = f"context-documents/{ws}/{document_id}/{file_name}"
        await blobs.put(w.session, ws, key, content, mime_type)
        document = ContextDocument(
            id=document_id,
            workspace_id=ws,
            file_name=file_name,
            mime_type=mime_type,
            size=len(content),
            description=description,
            product_id=product_id,
            blob_key=key,
        )
        mark_pending(document)
        w.session.add(document)
        w.enqueue(await schedule_indexing(w.session, document))
    return document


async def create_context_document(ctx: Context, data: dict[str, Any]) -> ContextDocument:
    """Import text sent as a string: stored as its UTF-8 bytes."""
    file_name = _file_name(data.get("file_name"), "fileName")
    content = data["content"].encode("utf-8")
    if len(content) > MAX_UPLOAD_BYTES:
        raise _too_large("content")
    return await _store(
        ctx,
        file_name=file_name,
        content=content,
        mime_type=_mime_type(data.get("mime_type")),
        description=_description(data.get("description")),
        product_id=data.get("product_id"),
    )


async def upload_context_document(ctx: Context, upload: Any, data: dict[str, Any]) -> ContextDocument:
    """Store an uploaded file (anything with `filename`, `content_type` and async `read(size)`)."""
    if not callable(getattr(upload, "read", None)):
        raise InvalidInput("file must be an uploaded file (multipart/form-data)", field="file")
    # Browsers may send a path ("C:\\fakepath\\notes.md"): keep only the last part.
    file_name = _file_name(re.split(r"[/\\]", upload.filename or "")[-1], "file")
    description = _description(data.get("description"))
    content = await _read_limited(upload)
    return await _store(
        ctx,
        file_name=file_name,
        content=content,
        mime_type=_upload_mime_type(upload.content_type, file_name),
        description=description,
        product_id=data.get("product_id"),
    )


async def update_context_document(ctx: Context, document_id: str, changes: dict[str, Any]) -> ContextDocument:
    """Metadata only: the bytes keep their key, even on a rename (the key is internal, never shown).

    A new scope, or a rename that changes whether (or how) the file reads as text, needs re-indexing.
    """
    common.not_null(changes, "file_name")
    file_name = _file_name(changes["file_name"], "fileName") if "file_name" in changes else None
    description = _description(changes.get("description"))
    ws = ctx.workspace_id
    async with ctx.write() as w:
        document = common.found(
            await repo.get(w.session, ContextDocument, ws, document_id), "Context document", document_id
        )
        if "product_id" in changes:  # first: a query flushes what is set before it (see `modified`)
            product_id = await common.linkable_one(w.session, Product, ws, changes["product_id"], "productId")
        reindex = False
        if file_name is not None:
            was = text_format(document.mime_type, document.file_name)
            reindex = text_format(document.mime_type, file_name) != was
            document.file_name = file_name
        if "description" in changes:
            document.description = description
        if "product_id" in changes:
            reindex = reindex or product_id != document.product_id
            document.product_id = product_id
        if not modified(document):  # nothing changed: nothing to stamp or index again
            return document
        if reindex:
            mark_pending(document)
        document.updated_at = utcnow()
        w.session.add(document)
        # Re-indexed on every change (a new name is searchable too); only a new scope or format makes it pending.
        w.enqueue(await schedule_indexing(w.session, document))
    return document


async def delete_context_document(ctx: Context, document_id: str) -> str:
    """The row and its bytes go together, in one transaction."""
    async with ctx.write() as w:
        key = await documents_repo.delete_context_document(w.session, ctx.workspace_id, document_id)
        if key is None:
            common.found(None, "Context document", document_id)
        await blobs.remove(w.session, ctx.workspace_id, key)
        await remove_from_index(w.session, ctx.workspace_id, document_id)
    return document_id
