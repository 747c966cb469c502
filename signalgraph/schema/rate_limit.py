"""Charges a GraphQL request to its key's rate limit by its query cost, before it runs.

One request for each started 100 points of cost, at least one (ratelimit.py). It follows QueryCost, which
sets `Context.query_cost`; a query QueryCost refused already is not charged. A refusal is the whole
result: one error with `extensions.code` RATE_LIMITED and `retryAfter`, answered 429 by the HTTP view.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from graphql import GraphQLError
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from ..errors import RateLimited
from ..ratelimit import graphql_units
from ..resolvers.request_context import Context


class RateLimit(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        if execution.result is None and isinstance(context, Context):
            try:
                await context.charge_rate_limit(graphql_units(context.query_cost))
            except RateLimited as refused:
                execution.result = GraphQLExecutionResult(
                    data=None, errors=[GraphQLError(refused.message, extensions=refused.extensions)]
                )
        yield
