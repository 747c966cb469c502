"""Context units: curated Markdown guidance, indexed for retrieval."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from .base import created_field, id_field, ref_field, updated_field, workspace_field


class ContextUnit(SQLModel, table=True):
    __tablename__ = "context_units"

    id: str = id_field()
    workspace_id: str = workspace_field()
    name: str = Field(sa_type=String(500))
    description: str | None = Field(default=None, sa_type=Text)
    data: str = Field(sa_type=Text)
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
    vector_file_id: str | None = Field(default=None, sa_type=String(128))
    indexing_status: str = Field(default="pending", sa_type=String(16))
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
