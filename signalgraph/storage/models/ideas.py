"""Ideas: candidate solutions (their links live with insights and opportunities)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from .base import TimestampedRow, newest_first, ref_field


class Idea(TimestampedRow, table=True):
    __tablename__ = "ideas"
    __table_args__ = (newest_first("ideas"),)

    name: str = Field(sa_type=String(500))
    description: str = Field(sa_type=Text)
    status: str = Field(default="evaluating", sa_type=String(20), index=True)
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
