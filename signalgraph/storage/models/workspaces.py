"""Workspaces, their API keys, and per-workspace counters (signal public ids)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from .base import JSONType, WorkspaceRow, created_field, id_field, time_field


class Workspace(SQLModel, table=True):
    __tablename__ = "workspaces"

    id: str = id_field()
    name: str = Field(sa_type=String(200), unique=True)
    created_at: datetime = created_field()


class ApiKey(WorkspaceRow, table=True):
    """Only a hash of the secret is kept; `prefix` identifies a key without revealing it.

    `last_used_at` is written at most once a minute per key (auth.KeyUsage), not on every request."""

    __tablename__ = "api_keys"

    name: str = Field(sa_type=String(200))
    prefix: str = Field(sa_type=String(32), unique=True)
    key_hash: str = Field(sa_type=String(128))
    scopes: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = created_field()
    last_used_at: datetime | None = time_field()
    revoked_at: datetime | None = time_field()
    # Past it the key is refused like a revoked one; None: it never expires.
    expires_at: datetime | None = time_field()


class WorkspaceCounter(SQLModel, table=True):
    """A gap-free sequence per workspace: incremented inside the creating transaction."""

    __tablename__ = "workspace_counters"

    workspace_id: str = Field(
        foreign_key="workspaces.id", ondelete="CASCADE", primary_key=True, sa_type=String(36)
    )
    name: str = Field(primary_key=True, sa_type=String(64))
    value: int = 0
