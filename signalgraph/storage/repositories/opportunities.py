"""Opportunity queries."""

from __future__ import annotations

from ..models import Opportunity
from . import links
from .base import Repository, triage

OPPORTUNITIES = Repository(
    Opportunity, filters=triage(Opportunity, links.ACCOUNT_OPPORTUNITIES), search=(Opportunity.name, Opportunity.description)
)
