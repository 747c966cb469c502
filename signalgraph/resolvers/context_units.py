"""Context units: curated Markdown guidance, global or scoped to one product, indexed for retrieval.

The retrieval index covers the body and the scope, so a change to `data` or `productId` makes the
unit `pending` again (its old index entry no longer describes it); a name or description change does not.
"""

from __future__ import annotations

from typing import Any

from ..scopes import Scope
from ..storage.models import ContextDocument, ContextUnit, Product
from ..storage.repositories.context_units import CONTEXT_UNITS
from ..vocabulary import INDEXING_STATUSES
from .context_search import remove_from_index, schedule_indexing
from .request_context import Write
from .resources import Field, Ref, Resource

NAME_MAX = 500
DESCRIPTION_MAX = 10_000
DATA_MAX = 1_000_000


def mark_pending(row: ContextUnit | ContextDocument) -> None:
    """The row must be (re)indexed: its retrieval file no longer matches it."""
    row.indexing_status = "pending"
    row.vector_file_id = None


async def _pending_if_changed(w: Write, unit: ContextUnit, changes: dict[str, Any], creating: bool) -> None:
    """Only a new body or scope makes the unit pending: its old index entry no longer describes it."""
    if (
        creating
        or ("data" in changes and changes["data"] != unit.data)
        or ("product_id" in changes and changes["product_id"] != unit.product_id)
    ):
        mark_pending(unit)


async def _index(w: Write, unit: ContextUnit, changes: dict[str, Any], creating: bool) -> None:
    """Re-indexed on every change (a new name is searchable too), after the commit."""
    w.enqueue(await schedule_indexing(w.session, unit))


async def _unindex(w: Write, unit_id: str) -> None:
    await remove_from_index(w.session, w.workspace_id, unit_id)


CONTEXT_UNIT = Resource[ContextUnit](
    CONTEXT_UNITS,
    "ContextUnit",
    "context-units",
    label="Context unit",
    description="A piece of Markdown guidance about the business, global or for one product, indexed for context search.",
    before_save=_pending_if_changed,
    after_save=_index,
    after_delete=_unindex,
    fields=(
        Field("name", required=True, max_length=NAME_MAX, strip=True, description=f"Short title (at most {NAME_MAX} characters)."),
        Field("description", max_length=DESCRIPTION_MAX, description="Human-readable summary; null: none."),
        Field(
            "data",
            required=True,
            max_length=DATA_MAX,
            description="The full Markdown body.",
            update_description="A new body makes the unit pending.",
        ),
        Ref(
            "product_id",
            Product,
            Scope.PRODUCTS_READ,
            description="The product this guidance is for; absent or null: global.",
            update_description="Null makes the unit global; a new scope makes it pending.",
        ),
        Field("vector_file_id", writable=False, description="The id of the unit's entry in the search index; null until indexed."),
        Field(
            "indexing_status", values=INDEXING_STATUSES, enum="IndexingStatus", default="pending", writable=False,
            description="Whether context search finds the current body yet; pending after every change to it.",
        ),
    ),
)
