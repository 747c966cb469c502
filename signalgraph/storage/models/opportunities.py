"""Opportunities: problems worth solving, linked to ideas (insights link from insights.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from .base import WorkspaceRow, created_field, link_field, ref_field, updated_field, workspace_field


class Opportunity(WorkspaceRow, table=True):
    __tablename__ = "opportunities"
    __table_args__ = (Index("ix_opportunities_workspace_created", "workspace_id", "created_at"),)

    name: str = Field(sa_type=String(500))
    description: str = Field(sa_type=Text)
    score: float | None = None
    status: str = Field(default="discovery", sa_type=String(20), index=True)
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class OpportunityIdea(SQLModel, table=True):
    __tablename__ = "opportunity_ideas"

    opportunity_id: str = link_field("opportunities")
    idea_id: str = link_field("ideas", index=True)
    workspace_id: str = workspace_field()
