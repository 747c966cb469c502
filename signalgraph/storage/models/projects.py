"""Projects: delivery work that key results link to; they travel with the OKR scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field

from .base import WorkspaceRow, created_field, updated_field


class Project(WorkspaceRow, table=True):
    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_workspace_created", "workspace_id", "created_at"),)

    name: str = Field(sa_type=String(500))
    description: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="planned", sa_type=String(20))
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
