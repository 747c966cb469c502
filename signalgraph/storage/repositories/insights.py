"""Insight queries."""

from __future__ import annotations

from ..models import Insight
from . import links
from .base import Repository, is_in, triage

_TRIAGE = triage(Insight, links.ACCOUNT_INSIGHTS)
INSIGHTS = Repository(
    Insight,
    filters={"status": _TRIAGE["status"], "type": is_in(Insight.type), **_TRIAGE},
    search=(Insight.name, Insight.description),
)
