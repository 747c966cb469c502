"""Jobs: the persisted state of queued work, written in the transaction that asks for the work.

A row is the job's record whatever runs it (arq on Redis or the in-process runner): the sweeper
re-queues rows that are still `queued` or stuck `running`, so work survives a lost enqueue or worker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlmodel import Field, SQLModel

from .base import created_field, json_field, time_field, updated_field, workspace_field


class Job(SQLModel, table=True):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_updated", "status", "updated_at"),)

    # Deterministic: `<kind>:<target id>:<version>`, the id arq deduplicates enqueues by.
    id: str = Field(primary_key=True, sa_type=String(200))
    workspace_id: str = workspace_field()
    kind: str = Field(sa_type=String(64))
    target_id: str = Field(sa_type=String(36), index=True)
    status: str = Field(default="queued", sa_type=String(16))
    attempts: int = 0
    last_error: str | None = Field(default=None, sa_type=Text)
    # What the job's model calls used over all its tries (`TokenUsage.as_json()`); None when it made none.
    token_usage: dict[str, Any] | None = json_field()
    started_at: datetime | None = time_field()
    finished_at: datetime | None = time_field()
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
