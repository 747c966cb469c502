"""Opportunities: problems worth solving, linked to ideas (insights link from insights.py)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlmodel import Field

from .base import LinkRow, TimestampedRow, link_field, newest_first, ref_field


class Opportunity(TimestampedRow, table=True):
    __tablename__ = "opportunities"
    __table_args__ = (newest_first("opportunities"),)

    name: str = Field(sa_type=String(500))
    description: str = Field(sa_type=Text)
    score: float | None = None
    status: str = Field(default="discovery", sa_type=String(20), index=True)
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)


class OpportunityIdea(LinkRow, table=True):
    __tablename__ = "opportunity_ideas"

    opportunity_id: str = link_field("opportunities")
    idea_id: str = link_field("ideas", index=True)
