"""Opportunity queries."""

from __future__ import annotations

from ..models import Opportunity
from . import links
from .base import Repository, equals, is_in, through

OPPORTUNITIES = Repository(
    Opportunity,
    filters={
        "status": is_in(Opportunity.status),
        "product_id": equals(Opportunity.product_id),
        "account_id": through(links.ACCOUNT_OPPORTUNITIES, Opportunity.id),
    },
    search=(Opportunity.name, Opportunity.description),
)
