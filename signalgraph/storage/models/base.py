"""Column types and field helpers shared by every table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String, UniqueConstraint, inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# Named constraints, so that migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    return str(uuid.uuid4())


def utcnow() -> datetime:
    return datetime.now(UTC)


def modified(row: SQLModel) -> bool:
    """Whether a loaded row has a column set to a value other than the stored one. An update stamps
    `updated_at` only then (or when its links changed): setting every value to what is stored, or nothing
    at all (`PATCH {}`), changes nothing. Ask before the session flushes (any query does): a flush makes
    the new values the stored ones."""
    return any(attr.history.has_changes() for attr in inspect(row).attrs if attr.key != "updated_at")


class UTCDateTime(TypeDecorator):
    """Stored in UTC; always read back timezone-aware (SQLite keeps no offset).

    The frozen initial migration (0001) names this class by its path, so its name, module and DDL
    (`DateTime(timezone=True)`) are fixed for good: tests/storage/test_migrations.py checks them. Later
    revisions render it as plain `sa.DateTime(timezone=True)` (storage.migrate.render_item).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


def id_field() -> Any:
    return Field(default_factory=new_id, primary_key=True, sa_type=String(36))


def workspace_field() -> Any:
    return Field(foreign_key="workspaces.id", ondelete="CASCADE", index=True, sa_type=String(36))


def ref_field(target: str, *, ondelete: str = "CASCADE", nullable: bool = False, index: bool = True) -> Any:
    """A foreign key to `<table>.id`."""
    return Field(
        default=None if nullable else ...,
        foreign_key=f"{target}.id",
        ondelete=ondelete,
        index=index,
        nullable=nullable,
        sa_type=String(36),
    )


def created_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def updated_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=True)


def json_field(default_factory: Any = None, *, nullable: bool = True) -> Any:
    if default_factory is None:
        return Field(default=None, sa_type=JSONType, nullable=nullable)
    return Field(default_factory=default_factory, sa_type=JSONType, nullable=nullable)


def time_field() -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=True)


def link_field(target: str, *, index: bool = False) -> Any:
    """One side of a many-to-many link table's composite primary key."""
    return Field(foreign_key=f"{target}.id", ondelete="CASCADE", primary_key=True, index=index, sa_type=String(36))


class WorkspaceRow(SQLModel):
    """A table's first two columns: its id and the workspace the row belongs to."""

    id: str = id_field()
    workspace_id: str = workspace_field()


class LinkRow(SQLModel):
    """A link table's row: the two ids that are its primary key (`link_field`, declared by the table), and
    the workspace both rows belong to."""

    workspace_id: str = workspace_field()


class TimestampedRow(WorkspaceRow):
    """A workspace row with its creation time and the time of its last change (set on every update)."""

    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


def newest_first(table: str) -> Index:
    """The index behind a root list's default order, newest first within a workspace."""
    return Index(f"ix_{table}_workspace_created", "workspace_id", "created_at")


def unique_in_workspace(table: str, column: str) -> UniqueConstraint:
    """No two rows of one workspace share a value of `column` (an externalId, a tag name)."""
    return UniqueConstraint("workspace_id", column, name=f"uq_{table}_workspace_{column}")
