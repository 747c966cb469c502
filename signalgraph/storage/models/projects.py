"""Projects: delivery work that key results link to; they travel with the OKR scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from .base import created_field, id_field, updated_field, workspace_field


class Project(SQLModel, table=True):
    __tablename__ = "projects"

    id: str = id_field()
    workspace_id: str = workspace_field()
    name: str = Field(sa_type=String(500))
    description: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="planned", sa_type=String(20))
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
