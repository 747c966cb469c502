"""Tags label insights; they travel with the insights scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field

from .base import WorkspaceRow, created_field, updated_field


class Tag(WorkspaceRow, table=True):
    __tablename__ = "tags"
    __table_args__ = (
        Index("ix_tags_workspace_created", "workspace_id", "created_at"),
        UniqueConstraint("workspace_id", "name", name="uq_tags_workspace_name"),
    )

    name: str = Field(sa_type=String(200))
    color: str | None = Field(default=None, sa_type=String(32))
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
