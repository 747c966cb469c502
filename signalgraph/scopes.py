"""The scope catalogue: exactly the scopes of the spec's endpoints.tsv.

Tags travel with insights and projects with OKRs, so they have no scopes of their own.
"""

from __future__ import annotations

from enum import Enum


class Scope(str, Enum):
    SIGNALS_READ = "signals:read"
    SIGNALS_WRITE = "signals:write"
    SIGNALS_DELETE = "signals:delete"
    INSIGHTS_READ = "insights:read"
    INSIGHTS_WRITE = "insights:write"
    INSIGHTS_DELETE = "insights:delete"
    OPPORTUNITIES_READ = "opportunities:read"
    OPPORTUNITIES_WRITE = "opportunities:write"
    OPPORTUNITIES_DELETE = "opportunities:delete"
    IDEAS_READ = "ideas:read"
    IDEAS_WRITE = "ideas:write"
    IDEAS_DELETE = "ideas:delete"
    OKRS_READ = "okrs:read"
    OKRS_WRITE = "okrs:write"
    OKRS_DELETE = "okrs:delete"
    PRODUCTS_READ = "products:read"
    PRODUCTS_WRITE = "products:write"
    PRODUCTS_DELETE = "products:delete"
    ACCOUNTS_READ = "accounts:read"
    ACCOUNTS_WRITE = "accounts:write"
    ACCOUNTS_DELETE = "accounts:delete"
    CONTEXT_UNITS_READ = "context-units:read"
    CONTEXT_UNITS_WRITE = "context-units:write"
    CONTEXT_UNITS_DELETE = "context-units:delete"
    CONTEXT_DOCUMENTS_READ = "context-documents:read"
    CONTEXT_DOCUMENTS_WRITE = "context-documents:write"
    CONTEXT_DOCUMENTS_DELETE = "context-documents:delete"


ALL_SCOPES: tuple[Scope, ...] = tuple(Scope)


def parse_scopes(values: list[str] | tuple[str, ...]) -> list[Scope]:
    """Scope values from user input, in catalogue order; raises ValueError naming an unknown one."""
    known = {s.value: s for s in Scope}
    chosen: set[Scope] = set()
    for value in values:
        if value not in known:
            raise ValueError(f"unknown scope {value!r}; known scopes: {', '.join(known)}")
        chosen.add(known[value])
    return [s for s in Scope if s in chosen]
