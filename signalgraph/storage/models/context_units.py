"""Context units: curated Markdown guidance, indexed for retrieval."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from .base import TimestampedRow, newest_first, ref_field


class ContextUnit(TimestampedRow, table=True):
    __tablename__ = "context_units"
    __table_args__ = (newest_first("context_units"),)

    name: str = Field(sa_type=String(500))
    description: str | None = Field(default=None, sa_type=Text)
    data: str = Field(sa_type=Text)
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
    vector_file_id: str | None = Field(default=None, sa_type=String(128))
    indexing_status: str = Field(default="pending", sa_type=String(16))
