"""Context units in the graph: built from their declaration (resolvers/context_units.py)."""

from __future__ import annotations

import strawberry

from ..resolvers.context_units import CONTEXT_UNIT
from .resources import UNSET, build

GLOBAL = strawberry.field(
    default=UNSET, name="global", description="true: only global units (no product); false: only product-scoped."
)

_schema = build(CONTEXT_UNIT, __name__, filters={"is_global": (bool | None, GLOBAL)})
ContextUnit, ContextUnitQuery, ContextUnitMutation = _schema
IndexingStatus = _schema.enums["indexing_status"]  # shared with context documents
