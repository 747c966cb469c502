"""Projects: delivery work that key results link to; they travel with the OKR scopes."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from .base import TimestampedRow, newest_first


class Project(TimestampedRow, table=True):
    __tablename__ = "projects"
    __table_args__ = (newest_first("projects"),)

    name: str = Field(sa_type=String(500))
    description: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="planned", sa_type=String(20))
