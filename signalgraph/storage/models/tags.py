"""Tags label insights; they travel with the insights scopes."""

from __future__ import annotations

from sqlalchemy import String
from sqlmodel import Field

from .base import TimestampedRow, newest_first, unique_in_workspace


class Tag(TimestampedRow, table=True):
    __tablename__ = "tags"
    __table_args__ = (
        newest_first("tags"),
        unique_in_workspace("tags", "name"),
    )

    name: str = Field(sa_type=String(200))
    color: str | None = Field(default=None, sa_type=String(32))
