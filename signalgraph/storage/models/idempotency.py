"""Idempotency records of the REST layer: the first response to a (key, API key, method, path), kept 24 h.

The primary key is a digest of that quadruple, so claiming a key is one INSERT that fails on conflict,
which serialises concurrent retries across any number of server processes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, created_field, json_field, time_field, workspace_field


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_records"

    id: str = Field(primary_key=True, sa_type=String(64))
    workspace_id: str = workspace_field()
    api_key_id: str = Field(foreign_key="api_keys.id", ondelete="CASCADE", index=True, sa_type=String(36))
    key: str = Field(sa_type=String(255))
    method: str = Field(sa_type=String(8))
    path: str = Field(sa_type=Text)
    # Digest of the request body and query, to refuse a reuse of the key for a different request.
    fingerprint: str = Field(sa_type=String(64))
    status_code: int | None = None
    headers: dict[str, Any] | None = json_field()
    body: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = created_field()
    completed_at: datetime | None = time_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)
