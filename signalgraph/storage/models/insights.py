"""Insights and their links to tags, opportunities and ideas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from .base import (
    LinkRow,
    TimestampedRow,
    json_field,
    link_field,
    newest_first,
    ref_field,
    time_field,
)

OPEN_DRAFT = text("status = 'draft' AND edited_at IS NULL AND subject_key IS NOT NULL")


class Insight(TimestampedRow, table=True):
    __tablename__ = "insights"
    __table_args__ = (
        newest_first("insights"),
        # One open draft per subject and workspace: what processing merges findings into.
        Index(
            "uq_insights_open_subject",
            "workspace_id",
            "subject_key",
            unique=True,
            sqlite_where=OPEN_DRAFT,
            postgresql_where=OPEN_DRAFT,
        ),
    )

    name: str | None = Field(default=None, sa_type=String(500))
    description: str = Field(sa_type=Text)
    status: str = Field(default="draft", sa_type=String(20), index=True)
    type: str | None = Field(default=None, sa_type=String(32))
    product_id: str | None = ref_field("products", ondelete="SET NULL", nullable=True)
    suggestions: dict[str, Any] | None = json_field()
    external_links: list[dict[str, Any]] = json_field(list, nullable=False)
    classifications: dict[str, Any] | None = json_field()
    # Where an extracted insight came from: its first source's signal and evidence. Its sources (every
    # signal's finding it gathers) are rows of `insight_sources`; the API shows them as `provenance.sources`.
    provenance: dict[str, Any] | None = json_field()
    # Set when processing extracted this insight from a signal, so re-processing reconciles it.
    source_signal_id: str | None = ref_field("signals", ondelete="SET NULL", nullable=True)
    finding_key: str | None = Field(default=None, sa_type=String(128))
    # What an extracted insight is about (product, kind, normalised name): findings of other signals
    # about it are merged into it while it is an open draft. See processing/findings.py.
    subject_key: str | None = Field(default=None, sa_type=String(200))
    edited_at: datetime | None = time_field()  # set by every user update: a person's insight now


class InsightSource(SQLModel, table=True):
    """One signal's finding that an extracted insight gathers (processing/findings.py), in the order the
    insight gathered them (`id`). A row each, so that merging a finding into a draft many signals share adds
    a row instead of rewriting every source before it."""

    __tablename__ = "insight_sources"
    __table_args__ = (Index("ix_insight_sources_signal_insight", "signal_id", "insight_id"),)

    id: int | None = Field(default=None, primary_key=True, sa_type=BigInteger().with_variant(Integer(), "sqlite"))
    # No foreign key or index of its own: a source goes with its insight, which goes with its workspace, and
    # each key checked on insert cost a merge more than the rest of the row.
    workspace_id: str = Field(sa_type=String(36))
    insight_id: str = ref_field("insights")
    signal_id: str = Field(sa_type=String(36))  # no foreign key: the record outlives a deleted signal
    source: dict[str, Any] = json_field(nullable=False)


class InsightTag(LinkRow, table=True):
    __tablename__ = "insight_tags"

    insight_id: str = link_field("insights")
    tag_id: str = link_field("tags", index=True)


class InsightOpportunity(LinkRow, table=True):
    __tablename__ = "insight_opportunities"

    insight_id: str = link_field("insights")
    opportunity_id: str = link_field("opportunities", index=True)


class InsightIdea(LinkRow, table=True):
    __tablename__ = "insight_ideas"

    insight_id: str = link_field("insights")
    idea_id: str = link_field("ideas", index=True)
