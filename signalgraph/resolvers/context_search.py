"""Context retrieval: the index jobs that unit and document writes ask for, and `searchContext`.

A search reads both kinds, but only those the key may read: `context-units:read` for units,
`context-documents:read` for documents, FORBIDDEN with neither. That either-scope rule cannot be one
`HasScope` on the field, so it is checked here, from the KIND_SCOPES table.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import Forbidden, InvalidInput
from ..jobs.queue import INDEX_CONTEXT_DOCUMENT, INDEX_CONTEXT_UNIT, JobRef, schedule, stamp
from ..scopes import Scope
from ..storage.models import ContextDocument, ContextUnit, Product
from ..storage.repositories import context_search
from ..storage.repositories.context_search import DOCUMENT, UNIT, SearchHit
from . import common
from .request_context import Context

KIND_SCOPES = {UNIT: Scope.CONTEXT_UNITS_READ, DOCUMENT: Scope.CONTEXT_DOCUMENTS_READ}
INDEX_JOBS = {ContextUnit: INDEX_CONTEXT_UNIT, ContextDocument: INDEX_CONTEXT_DOCUMENT}
QUERY_MAX = 1000
FIRST_MAX = 100


async def schedule_indexing(session: AsyncSession, row: ContextUnit | ContextDocument) -> JobRef:
    """In the writing transaction: (re)index the row as it is now; enqueue the ref after the commit."""
    return await schedule(session, row.workspace_id, INDEX_JOBS[type(row)], row.id, stamp(row.updated_at))


async def remove_from_index(session: AsyncSession, workspace_id: str, target_id: str) -> None:
    """In the deleting transaction: the entry goes with its row."""
    await context_search.remove(session, workspace_id, target_id)


async def search_context(ctx: Context, query: str, product_id: str | None, first: int) -> list[SearchHit]:
    principal = ctx.require()
    kinds = [kind for kind, scope in KIND_SCOPES.items() if principal.has(scope)]
    if not kinds:
        raise Forbidden(
            f"Missing scope: {Scope.CONTEXT_UNITS_READ.value} or {Scope.CONTEXT_DOCUMENTS_READ.value}"
        )
    common.text(query, "query", max_length=QUERY_MAX)
    if not 1 <= first <= FIRST_MAX:
        raise InvalidInput(f"first must be between 1 and {FIRST_MAX}", field="first")
    async with ctx.read() as session:
        await common.linkable_one(session, Product, principal.workspace_id, product_id, "productId")
        return await context_search.search(
            session, principal.workspace_id, query, kinds=kinds, product_id=product_id, limit=first
        )
