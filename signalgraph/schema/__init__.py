"""The Strawberry schema: root Query and Mutation merged from the per-domain fragments, in one place."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from . import scalars
from .accounts import AccountMutation, AccountQuery
from .context_documents import ContextDocumentMutation, ContextDocumentQuery
from .context_search import ContextSearchQuery
from .context_units import ContextUnitMutation, ContextUnitQuery
from .descriptions import describe
from .document_limits import LIMITS, DocumentLimits
from .errors import ErrorCodes, log_unexpected
from .execution import MemoisedNameConverter, PlannedExecution
from .ideas import IdeaMutation, IdeaQuery
from .insight_extraction import InsightExtractionMutation
from .insights import InsightMutation, InsightQuery
from .jobs import JobQuery
from .nodes import NodeQuery
from .okrs import OkrMutation, OkrQuery
from .opportunities import OpportunityMutation, OpportunityQuery
from .partial_results import make_nullable
from .payloads import with_payloads
from .products import ProductMutation, ProductQuery
from .projects import ProjectMutation, ProjectQuery
from .query_cost import QueryCost
from .rate_limit import RateLimit
from .receipts import with_receipts
from .signals import SignalMutation, SignalQuery
from .tags import TagMutation, TagQuery
from .workspaces import WorkspaceQuery

Query = merge_types("Query", (WorkspaceQuery, NodeQuery, JobQuery, SignalQuery, InsightQuery, TagQuery, ContextUnitQuery, ContextDocumentQuery, ContextSearchQuery, ProductQuery, AccountQuery, OpportunityQuery, IdeaQuery, OkrQuery, ProjectQuery))
Mutation = with_receipts(with_payloads(merge_types("Mutation", (SignalMutation, InsightMutation, InsightExtractionMutation, TagMutation, ContextUnitMutation, ContextDocumentMutation, ProductMutation, AccountMutation, OpportunityMutation, IdeaMutation, OkrMutation, ProjectMutation))))


DOCUMENT_CACHE_SIZE = 256


class Schema(strawberry.Schema):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_nullable(self._schema)
        describe(self._schema)

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Log only the unexpected: client errors are answers, not incidents."""
        log_unexpected(errors)


schema = Schema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(
        scalar_map={datetime: scalars.DateTime, scalars.JSON: scalars.JSONScalar},
        name_converter=MemoisedNameConverter(),
    ),
    execution_context_class=PlannedExecution,
    extensions=[
        ErrorCodes,
        QueryCost,
        RateLimit,  # after QueryCost, whose cost it charges
        lambda: AddValidationRules([DocumentLimits]),
        lambda: MaxTokensLimiter(max_token_count=LIMITS["max_tokens"]),
        # A frontend sends the same few documents again and again: parse and validate each once per process
        # (bounded LRUs; the token limit is part of the parse cache's key). Cost and rate limits run per request.
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
    ],
)


def sdl() -> str:
    """The schema in SDL, as committed at the repository root in schema.graphql for client code generators."""
    return schema.as_str() + "\n"
