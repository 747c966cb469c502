"""Ideas: candidate solutions (their links live with insights and opportunities)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field

from .base import WorkspaceRow, created_field, ref_field, updated_field


class Idea(WorkspaceRow, table=True):
    __tablename__ = "ideas"
    __table_args__ = (Index("ix_ideas_workspace_created", "workspace_id", "created_at"),)

    name: str = Field(sa_type=String(500))
    description: str = Field(sa_type=Text)
    status: str = Field(default="evaluating", sa_type=String(20), index=True)
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
