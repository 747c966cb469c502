"""Context search in the graph: ranked snippets from the full-text index of context units and documents."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types import Info

from ..resolvers import context_search as resolvers


@strawberry.enum
class ContextSearchKind(str, Enum):
    unit = "unit"
    document = "document"


@strawberry.type
class ContextSearchHit:
    kind: ContextSearchKind
    id: strawberry.ID = strawberry.field(description="The context unit's or document's id.")
    name: str = strawberry.field(description="The unit's name or the document's file name.")
    snippet: str = strawberry.field(description="The best-matching passage, matched words in **bold**.")
    score: float = strawberry.field(description="Relevance (higher is better); comparable within one search.")
    product_id: strawberry.ID | None = strawberry.field(
        description="The product scope; null for global context."
    )


@strawberry.type
class ContextSearchQuery:
    @strawberry.field(
        description="Indexed context units and documents matching every word of the query, best first. With "
        "productId: that product's context and the global context. Needs context-units:read or "
        "context-documents:read, and returns only the kinds the key may read."
    )
    async def search_context(
        self, info: Info, query: str, product_id: strawberry.ID | None = None, first: int = 10
    ) -> list[ContextSearchHit]:
        hits = await resolvers.search_context(info.context, query, product_id, first)
        return [
            ContextSearchHit(
                kind=ContextSearchKind(h.kind),
                id=strawberry.ID(h.id),
                name=h.name,
                snippet=h.snippet,
                score=h.score,
                product_id=h.product_id,
            )
            for h in hits
        ]
