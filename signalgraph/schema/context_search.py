"""Context search in the graph: ranked snippets from the full-text index of context units and documents."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from ..resolvers import context_search as resolvers
from .resources import with_meanings


class ContextSearchKind(str, Enum):
    unit = "unit"
    document = "document"


with_meanings(
    strawberry.enum(ContextSearchKind, description="What a context search hit is."),
    {"unit": "A context unit.", "document": "A context document."},
)


@strawberry.type(description="A context unit or document that matches a context search.")
class ContextSearchHit:
    kind: ContextSearchKind = strawberry.field(description='Whether the hit is a context unit or a document.')
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
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="The words to find; every one must match.")],
        product_id: Annotated[
            strawberry.ID | None, strawberry.argument(description="Search this product's context and the global context.")
        ] = None,
        first: Annotated[int, strawberry.argument(description="How many hits to return, best first.")] = 10,
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
