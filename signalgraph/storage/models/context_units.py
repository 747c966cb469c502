"""Context units: curated Markdown guidance, indexed for retrieval."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field

from .base import WorkspaceRow, created_field, ref_field, updated_field


class ContextUnit(WorkspaceRow, table=True):
    __tablename__ = "context_units"
    __table_args__ = (Index("ix_context_units_workspace_created", "workspace_id", "created_at"),)

    name: str = Field(sa_type=String(500))
    description: str | None = Field(default=None, sa_type=Text)
    data: str = Field(sa_type=Text)
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
    vector_file_id: str | None = Field(default=None, sa_type=String(128))
    indexing_status: str = Field(default="pending", sa_type=String(16))
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
