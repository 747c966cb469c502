"""Raw signal text and uploaded document bytes, addressed by key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlmodel import Field, SQLModel

from .base import created_field, workspace_field


class Blob(SQLModel, table=True):
    __tablename__ = "blobs"

    key: str = Field(primary_key=True, sa_type=String(512))
    workspace_id: str = workspace_field()
    content_type: str = Field(default="application/octet-stream", sa_type=String(255))
    size: int = 0
    content: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = created_field()
