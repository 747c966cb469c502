"""Tags label insights; they travel with the insights scopes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import created_field, id_field, updated_field, workspace_field


class Tag(SQLModel, table=True):
    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("workspace_id", "name", name="uq_tags_workspace_name"),)

    id: str = id_field()
    workspace_id: str = workspace_field()
    name: str = Field(sa_type=String(200))
    color: str | None = Field(default=None, sa_type=String(32))
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
