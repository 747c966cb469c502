"""`node(id:)` and `nodes(ids:)`: any id any field returns, back to its object, within the caller's
workspace and scopes.

NODE_SCOPES is the table: each node model and the scope that reads it (a job: the read scope of what it
works on, as `job(id:)`). The lookup itself is storage's (repositories/nodes.py): one UNION ALL finds the
tables, one statement per table found reads the rows. A row of another workspace is not found; a row the
key may not read is FORBIDDEN, as its own root field would be.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import InvalidInput
from ..scopes import Scope
from ..storage import models as m
from ..storage.repositories import nodes as nodes_repo
from ..storage.repositories.rows import model_of
from .jobs import KIND_SCOPES
from .request_context import Context

# Node model → the scope that reads it; None: a job, read with the scope of its kind.
NODE_SCOPES: dict[type, Scope | None] = {
    m.Signal: Scope.SIGNALS_READ,
    m.Insight: Scope.INSIGHTS_READ,
    m.Tag: Scope.INSIGHTS_READ,
    m.Opportunity: Scope.OPPORTUNITIES_READ,
    m.Idea: Scope.IDEAS_READ,
    m.Okr: Scope.OKRS_READ,
    m.KeyResult: Scope.OKRS_READ,
    m.Project: Scope.OKRS_READ,
    m.Product: Scope.PRODUCTS_READ,
    m.ProductFeature: Scope.PRODUCTS_READ,
    m.ProductPersona: Scope.PRODUCTS_READ,
    m.ProductQuestion: Scope.PRODUCTS_READ,
    m.Account: Scope.ACCOUNTS_READ,
    m.Contact: Scope.ACCOUNTS_READ,
    m.ContextUnit: Scope.CONTEXT_UNITS_READ,
    m.ContextDocument: Scope.CONTEXT_DOCUMENTS_READ,
    m.Job: None,
}
MAX_IDS = 100


async def find(ctx: Context, ids: Iterable[str]) -> dict[str, Any]:
    """id → its row, for the ids of the caller's workspace (at most MAX_IDS ids)."""
    principal = ctx.require()
    wanted = set(ids)
    if len(wanted) > MAX_IDS:
        raise InvalidInput(f"ids must be at most {MAX_IDS}", field="ids")
    async with ctx.db.read() as session:
        return await nodes_repo.rows(session, list(NODE_SCOPES), principal.workspace_id, wanted)


def check_readable(ctx: Context, row: Any) -> None:
    """FORBIDDEN (naming the scope) unless the key may read this row."""
    scope = NODE_SCOPES[model_of(row)]
    ctx.require(scope if scope is not None else KIND_SCOPES[row.kind])
