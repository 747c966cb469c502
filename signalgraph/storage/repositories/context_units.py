"""Context unit queries."""

from __future__ import annotations

from ..models import ContextUnit
from .base import Repository, equals, is_null

CONTEXT_UNITS = Repository(
    ContextUnit,
    filters={"product_id": equals(ContextUnit.product_id), "is_global": is_null(ContextUnit.product_id)},
    search=(ContextUnit.name, ContextUnit.description),
)
