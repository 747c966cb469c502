"""Opportunities in the graph: built from their declaration (resolvers/opportunities.py)."""

from __future__ import annotations

from ..resolvers.opportunities import OPPORTUNITY
from .resources import build

Opportunity, OpportunityQuery, OpportunityMutation = build(OPPORTUNITY, __name__)
