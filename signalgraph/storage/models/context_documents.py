"""Context documents: uploaded files (bytes in the blob table), indexed for retrieval when text-like."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from .base import TimestampedRow, newest_first, ref_field


class ContextDocument(TimestampedRow, table=True):
    __tablename__ = "context_documents"
    __table_args__ = (newest_first("context_documents"),)

    file_name: str = Field(sa_type=String(500))
    mime_type: str | None = Field(default=None, sa_type=String(255))
    size: int | None = None
    description: str | None = Field(default=None, sa_type=Text)
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
    blob_key: str = Field(sa_type=String(512))
    source_url: str | None = Field(default=None, sa_type=String(2000))
    source_label: str | None = Field(default=None, sa_type=String(500))
    vector_file_id: str | None = Field(default=None, sa_type=String(128))
    indexing_status: str = Field(default="pending", sa_type=String(16))
