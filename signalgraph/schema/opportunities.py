"""Opportunities in the graph: built from their declaration (resolvers/opportunities.py)."""

from __future__ import annotations

from ..resolvers.opportunities import OPPORTUNITY
from .resources import build

_schema = build(OPPORTUNITY, __name__)
Opportunity = _schema.object_type
OpportunityStatus = _schema.enums["status"]
CreateOpportunityInput, UpdateOpportunityInput = _schema.create_input, _schema.update_input
OpportunityFilter = _schema.filter
OpportunityQuery, OpportunityMutation = _schema.query, _schema.mutation
