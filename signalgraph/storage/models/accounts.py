"""Accounts (companies), their contacts, and links to insights, opportunities and ideas."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text
from sqlmodel import Field

from .base import LinkRow, TimestampedRow, link_field, newest_first, ref_field, unique_in_workspace


class Account(TimestampedRow, table=True):
    __tablename__ = "accounts"
    __table_args__ = (
        newest_first("accounts"),
        unique_in_workspace("accounts", "external_id"),
    )

    name: str = Field(sa_type=String(500))
    external_id: str | None = Field(default=None, sa_type=String(500))
    domain: str | None = Field(default=None, sa_type=String(255), index=True)
    website: str | None = Field(default=None, sa_type=String(1000))
    industry: str | None = Field(default=None, sa_type=String(255))
    company_size: str | None = Field(default=None, sa_type=String(64))
    lifecycle_stage: str | None = Field(default=None, sa_type=String(16))
    notes: str | None = Field(default=None, sa_type=Text)


class Contact(TimestampedRow, table=True):
    __tablename__ = "contacts"

    account_id: str = ref_field("accounts")
    name: str = Field(sa_type=String(500))
    role: str | None = Field(default=None, sa_type=String(255))
    email: str | None = Field(default=None, sa_type=String(320), index=True)
    phone: str | None = Field(default=None, sa_type=String(64))
    notes: str | None = Field(default=None, sa_type=Text)
    is_primary: bool = Field(default=False, sa_type=Boolean)


class AccountInsight(LinkRow, table=True):
    __tablename__ = "account_insights"

    account_id: str = link_field("accounts")
    insight_id: str = link_field("insights", index=True)


class AccountOpportunity(LinkRow, table=True):
    __tablename__ = "account_opportunities"

    account_id: str = link_field("accounts")
    opportunity_id: str = link_field("opportunities", index=True)


class AccountIdea(LinkRow, table=True):
    __tablename__ = "account_ideas"

    account_id: str = link_field("accounts")
    idea_id: str = link_field("ideas", index=True)
