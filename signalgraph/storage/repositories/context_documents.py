"""Context document queries (the rows; their bytes live in the blob store)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import ContextDocument
from . import base
from .base import Page


async def list_context_documents(
    session: AsyncSession,
    workspace_id: str,
    *,
    limit: int,
    offset: int,
    product_id: str | None = None,
    is_global: bool | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page:
    doc = ContextDocument
    stmt = select(doc).where(doc.workspace_id == workspace_id)
    if product_id is not None:
        stmt = stmt.where(doc.product_id == product_id)
    if is_global is not None:
        stmt = stmt.where(doc.product_id.is_(None) if is_global else doc.product_id.is_not(None))
    if search:
        stmt = stmt.where(base.search_clause(search, doc.file_name, doc.description))
    if updated_since is not None:
        stmt = stmt.where(base.updated_since_clause(doc, updated_since))
    return await base.page(
        session, stmt, limit=limit, offset=offset, order_by=(doc.created_at.desc(), doc.id.desc())
    )


async def delete_context_document(session: AsyncSession, workspace_id: str, document_id: str) -> str | None:
    """Delete the row; returns its blob key (None when there was no such document)."""
    result = await session.execute(
        delete(ContextDocument)
        .where(ContextDocument.id == document_id, ContextDocument.workspace_id == workspace_id)
        .returning(ContextDocument.blob_key)
    )
    return result.scalar_one_or_none()
