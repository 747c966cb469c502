"""/graphql over HTTP: Strawberry's ASGI view, behind the key check and the body caps.

What a request costs before the key is checked is bounded by what the headers say: a POST (or a GET
with a query) without a valid key is answered 401 before its body is read, parsed or validated, so an
anonymous client cannot make the server do work on a document. GraphiQL's page (a GET without a query)
stays open; the editor sends the key from its header editor.

After the key, the body is read with a cap while it streams in: a JSON body at JSON_BODY_BYTES, a
multipart body (file uploads) at UPLOAD_BODY_BYTES plus its other parts; multipart requests may run
only the upload mutation. Over the cap is a 413, whatever Content-Length claims.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from cross_web import HTTPException as GraphQLRequestError  # what Strawberry's view answers as a 4xx
from graphql import FieldNode, GraphQLSyntaxError, OperationDefinitionNode, parse
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from . import graphiql, logs, metrics
from .auth import WWW_AUTHENTICATE, Principal, authenticate
from .errors import RateLimited, Unavailable
from .limits import (
    JSON_BODY_BYTES,
    MULTIPART_OVERHEAD_BYTES,
    UPLOAD_BODY_BYTES,
    BodyTooLarge,
    capped,
    too_large_message,
)
from .resolvers.request_context import Context
from .schema import document_limits, schema
from .services import Services

logger = logging.getLogger(__name__)

PRINCIPAL = "signalgraph.principal"  # where the view finds the caller the key check found
MULTIPART = "multipart/form-data"
# The mutations a multipart request may run: the ones that take an Upload.
UPLOAD_MUTATIONS = frozenset({"uploadContextDocument"})


def unauthenticated(reason: str) -> Response:
    return JSONResponse(
        {"errors": [{"message": reason, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": WWW_AUTHENTICATE},
    )


def unavailable(reason: str) -> Response:
    """Out of database connections: one log line for the request and a 503 that says when to retry."""
    logger.warning("answered 503: %s", reason)
    return JSONResponse(
        {"errors": [{"message": reason, "extensions": {"code": Unavailable.code}}]},
        status_code=Unavailable.http_status,
        headers={"Retry-After": str(Unavailable.retry_after_seconds)},
    )


def media_type(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return ""


class GraphQLApp(GraphQL):
    """Strawberry's ASGI view with our context and orjson responses; GraphiQL in the browser."""

    def __init__(self, services: Services):
        # Multipart requests (file uploads) are the classic CSRF vector, which is why Strawberry leaves them
        # off. Here they are safe: the only credential is the Authorization header, which a cross-site form
        # cannot send (no cookies, no ambient authority), so a forged request is simply unauthenticated.
        super().__init__(
            schema, graphql_ide="graphiql", allow_queries_via_get=False, multipart_uploads_enabled=True
        )
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)
        info = logs.current_request()
        if info is not None:
            info.route = "/graphql"
        request = Request(scope)
        if request.method == "GET" and "query" not in request.query_params:
            return await super().__call__(scope, receive, send)  # GraphiQL's page
        try:
            principal, reason = await authenticate(
                self.services.db, request.headers.get("authorization"), self.services.key_usage, self.services.keys
            )
        except Unavailable as exc:
            return await unavailable(exc.message)(scope, receive, send)
        if principal is None:
            metrics.count_graphql_errors([{"extensions": {"code": "UNAUTHENTICATED"}}])
            return await unauthenticated(reason or "Invalid API key")(scope, receive, send)
        limit = UPLOAD_BODY_BYTES + MULTIPART_OVERHEAD_BYTES if media_type(scope) == MULTIPART else JSON_BODY_BYTES
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            return await Response(too_large_message(limit), status_code=413, media_type="text/plain")(
                scope, receive, send
            )
        scope[PRINCIPAL] = principal
        await super().__call__(scope, capped(receive, limit), send)

    async def get_context(self, request: Request, response: Response | None = None) -> Context:  # type: ignore[override]
        """The caller the key check found (none for GraphiQL's page, which runs nothing)."""
        principal: Principal | None = request.scope.get(PRINCIPAL)
        return Context(services=self.services, principal=principal)

    async def execute_single(self, *args: Any, **kwargs: Any) -> Any:
        """The operation's name labels the request's log lines (and its metrics); its reads end with it."""
        info = logs.current_request()
        if info is not None:
            info.operation = kwargs["request_data"].operation_name or info.operation
        try:
            return await super().execute_single(*args, **kwargs)
        finally:
            await kwargs["context"].end()

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        """A result that failed for want of a database connection is a 503 with Retry-After, logged once."""
        results = response_data if isinstance(response_data, list) else [response_data]
        busy = [
            error["message"]
            for result in results
            for error in result.get("errors") or ()
            if (error.get("extensions") or {}).get("code") == Unavailable.code
        ]
        if busy:
            return unavailable(busy[0])
        if any(
            (error.get("extensions") or {}).get("code") == RateLimited.code
            for result in results
            for error in result.get("errors") or ()
        ):
            sub_response.status_code = 429  # Retry-After and RateLimit-* come from observer.py
        return super().create_response(response_data, sub_response)

    async def process_result(self, request: Request, result: Any) -> Any:
        processed = await super().process_result(request, result)
        metrics.count_graphql_errors(processed.get("errors"))
        return processed

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql.page(), headers={"Content-Security-Policy": graphiql.PAGE_POLICY})

    def encode_json(self, data: Any) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        """orjson refuses what json.loads lets through: invalid UTF-8 and lone surrogates (`"\\ud800"`)."""
        return orjson.loads(data)

    def parse_json(self, data: str | bytes) -> Any:
        """A body (or multipart `operations`/`map`) that is JSON but not an object or a batch is a 400."""
        parsed = super().parse_json(data)
        if not isinstance(parsed, (dict, list)):
            raise GraphQLRequestError(400, "The request must be a JSON object")
        return parsed

    async def parse_http_body(self, request: Any) -> Any:
        """A body that broke off (a hang-up, bad chunking) was answered 400 by the server: not our error."""
        try:
            return await super().parse_http_body(request)
        except ClientDisconnect:
            raise GraphQLRequestError(400, "The request body ended before it was complete") from None
        except BodyTooLarge as exc:
            raise GraphQLRequestError(413, str(exc)) from None

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        """A `map` that does not fit `operations` makes Strawberry's file placement raise: a 400, not a 500."""
        try:
            data = await super().parse_multipart(request)
        except (AttributeError, TypeError, ValueError, IndexError) as exc:
            raise GraphQLRequestError(400, "The multipart map does not match the operations") from exc
        if not isinstance(data, dict) or not only_uploads(data.get("query")):
            raise GraphQLRequestError(
                400, "A multipart request may only run " + ", ".join(sorted(UPLOAD_MUTATIONS))
            )
        return data


def only_uploads(query: object) -> bool:
    """Whether a document holds only mutations whose root fields are upload mutations (fragments aside:
    an upload needs none). Parsed under the token limit; the parse is repeated by execution, cheaply."""
    if not isinstance(query, str):
        return False
    try:
        document = parse(query, max_tokens=document_limits.LIMITS["max_tokens"])
    except GraphQLSyntaxError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        op.operation.value == "mutation"
        and all(isinstance(s, FieldNode) and s.name.value in UPLOAD_MUTATIONS for s in op.selection_set.selections)
        for op in operations
    )
