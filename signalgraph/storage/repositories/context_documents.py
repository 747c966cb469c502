"""Context document queries (the rows; their bytes live in the blob store)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import ContextDocument
from .base import Repository, equals, is_null

CONTEXT_DOCUMENTS = Repository(
    ContextDocument,
    filters={"product_id": equals(ContextDocument.product_id), "is_global": is_null(ContextDocument.product_id)},
    search=(ContextDocument.file_name, ContextDocument.description),
)


async def delete_context_document(session: AsyncSession, workspace_id: str, document_id: str) -> str | None:
    """Delete the row; returns its blob key (None when there was no such document)."""
    result = await session.execute(
        delete(ContextDocument)
        .where(ContextDocument.id == document_id, ContextDocument.workspace_id == workspace_id)
        .returning(ContextDocument.blob_key)
    )
    return result.scalar_one_or_none()
