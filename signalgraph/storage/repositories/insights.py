"""Insight queries."""

from __future__ import annotations

from ..models import Insight
from . import links
from .base import Repository, equals, is_in, through

INSIGHTS = Repository(
    Insight,
    filters={
        "status": is_in(Insight.status),
        "type": is_in(Insight.type),
        "product_id": equals(Insight.product_id),
        "account_id": through(links.ACCOUNT_INSIGHTS, Insight.id),
    },
    search=(Insight.name, Insight.description),
)
