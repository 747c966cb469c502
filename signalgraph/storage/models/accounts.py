"""Accounts (companies), their contacts, and links to insights, opportunities and ideas."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from .base import WorkspaceRow, created_field, link_field, ref_field, updated_field, workspace_field


class Account(WorkspaceRow, table=True):
    __tablename__ = "accounts"
    __table_args__ = (
        Index("ix_accounts_workspace_created", "workspace_id", "created_at"),
        UniqueConstraint("workspace_id", "external_id", name="uq_accounts_workspace_external_id"),
    )

    name: str = Field(sa_type=String(500))
    external_id: str | None = Field(default=None, sa_type=String(500))
    domain: str | None = Field(default=None, sa_type=String(255), index=True)
    website: str | None = Field(default=None, sa_type=String(1000))
    industry: str | None = Field(default=None, sa_type=String(255))
    company_size: str | None = Field(default=None, sa_type=String(64))
    lifecycle_stage: str | None = Field(default=None, sa_type=String(16))
    notes: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class Contact(WorkspaceRow, table=True):
    __tablename__ = "contacts"

    account_id: str = ref_field("accounts")
    name: str = Field(sa_type=String(500))
    role: str | None = Field(default=None, sa_type=String(255))
    email: str | None = Field(default=None, sa_type=String(320), index=True)
    phone: str | None = Field(default=None, sa_type=String(64))
    notes: str | None = Field(default=None, sa_type=Text)
    is_primary: bool = Field(default=False, sa_type=Boolean)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()


class AccountInsight(SQLModel, table=True):
    __tablename__ = "account_insights"

    account_id: str = link_field("accounts")
    insight_id: str = link_field("insights", index=True)
    workspace_id: str = workspace_field()


class AccountOpportunity(SQLModel, table=True):
    __tablename__ = "account_opportunities"

    account_id: str = link_field("accounts")
    opportunity_id: str = link_field("opportunities", index=True)
    workspace_id: str = workspace_field()


class AccountIdea(SQLModel, table=True):
    __tablename__ = "account_ideas"

    account_id: str = link_field("accounts")
    idea_id: str = link_field("ideas", index=True)
    workspace_id: str = workspace_field()
