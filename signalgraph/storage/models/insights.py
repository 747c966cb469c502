"""Insights and their links to tags, opportunities and ideas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from .base import created_field, id_field, json_field, link_field, ref_field, updated_field, workspace_field


class Insight(SQLModel, table=True):
    __tablename__ = "insights"
    __table_args__ = (Index("ix_insights_workspace_created", "workspace_id", "created_at"),)

    id: str = id_field()
    workspace_id: str = workspace_field()
    name: str | None = Field(default=None, sa_type=String(500))
    description: str = Field(sa_type=Text)
    status: str = Field(default="draft", sa_type=String(20), index=True)
    type: str | None = Field(default=None, sa_type=String(32))
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
    suggestions: dict[str, Any] | None = json_field()
    external_links: list[dict[str, Any]] = json_field(list, nullable=False)
    classifications: dict[str, Any] | None = json_field()
    provenance: dict[str, Any] | None = json_field()
    # Set when processing extracted this insight from a signal, so re-processing reconciles it.
    source_signal_id: str | None = ref_field("signals", ondelete="SET NULL", nullable=True)
    finding_key: str | None = Field(default=None, sa_type=String(128))
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class InsightTag(SQLModel, table=True):
    __tablename__ = "insight_tags"

    insight_id: str = link_field("insights")
    tag_id: str = link_field("tags", index=True)
    workspace_id: str = workspace_field()


class InsightOpportunity(SQLModel, table=True):
    __tablename__ = "insight_opportunities"

    insight_id: str = link_field("insights")
    opportunity_id: str = link_field("opportunities", index=True)
    workspace_id: str = workspace_field()


class InsightIdea(SQLModel, table=True):
    __tablename__ = "insight_ideas"

    insight_id: str = link_field("insights")
    idea_id: str = link_field("ideas", index=True)
    workspace_id: str = workspace_field()
