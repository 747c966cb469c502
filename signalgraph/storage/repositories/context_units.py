"""Context unit queries."""

from __future__ import annotations

from typing import Any

from ..models import ContextUnit
from .base import Repository, equals


def is_global(value: bool, _workspace_id: str) -> Any:
    """True: only rows of no product (global); False: only product-scoped rows."""
    return ContextUnit.product_id.is_(None) if value else ContextUnit.product_id.is_not(None)


CONTEXT_UNITS = Repository(
    ContextUnit,
    filters={"product_id": equals(ContextUnit.product_id), "is_global": is_global},
    search=(ContextUnit.name, ContextUnit.description),
)
