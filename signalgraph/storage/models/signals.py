"""Signals: imported evidence, with links to the insights drawn from it and to accounts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlmodel import Field

from .base import (
    LinkRow,
    TimestampedRow,
    json_field,
    link_field,
    newest_first,
    time_field,
    unique_in_workspace,
)


class Signal(TimestampedRow, table=True):
    __tablename__ = "signals"
    __table_args__ = (
        unique_in_workspace("signals", "public_number"),
        unique_in_workspace("signals", "external_id"),
        newest_first("signals"),
    )

    public_number: int
    name: str = Field(sa_type=String(500))
    status: str = Field(default="pending", sa_type=String(20), index=True)
    context: str | None = Field(default=None, sa_type=String(64))
    signal_type: str | None = Field(default=None, sa_type=String(32))
    processor_type: str = Field(default="manual-text", sa_type=String(64))
    provider_type: str = Field(default="external_api", sa_type=String(64))
    evidence_kind: str | None = Field(default=None, sa_type=String(64))
    analysis_profile: str | None = Field(default=None, sa_type=String(32))
    source: dict[str, Any] | None = json_field()
    data: dict[str, Any] | None = json_field()
    source_links: list[dict[str, Any]] = json_field(list, nullable=False)
    external_id: str | None = Field(default=None, sa_type=String(500))
    account_external_id: str | None = Field(default=None, sa_type=String(500), index=True)
    source_key: str | None = Field(default=None, sa_type=String(200))
    participant_policy: str = Field(default="link", sa_type=String(16))
    create_missing_accounts: bool = False
    # Processing state, owned by the jobs layer.
    last_job_id: str | None = Field(default=None, sa_type=String(128))
    started_at: datetime | None = time_field()
    processed_at: datetime | None = time_field()
    failed_at: datetime | None = time_field()
    last_error: str | None = Field(default=None, sa_type=Text)
    attempts: int = 0


class SignalInsight(LinkRow, table=True):
    __tablename__ = "signal_insights"

    signal_id: str = link_field("signals")
    insight_id: str = link_field("insights", index=True)


class SignalAccount(LinkRow, table=True):
    __tablename__ = "signal_accounts"

    signal_id: str = link_field("signals")
    account_id: str = link_field("accounts", index=True)
    # Order of linking: the legacy single `accountId` is the first linked account.
    position: int = 0


class SignalProduct(LinkRow, table=True):
    """Products a signal is about (`productIds` on create): narrows processing, counts in product metrics."""

    __tablename__ = "signal_products"

    signal_id: str = link_field("signals")
    product_id: str = link_field("products", index=True)
