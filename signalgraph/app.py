"""create_app(settings) → Starlette: /graphql, the REST compatibility layer, health checks, lifespan."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from cross_web import HTTPException as GraphQLRequestError  # what Strawberry's view answers as a 4xx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from strawberry.asgi import GraphQL

from . import graphiql
from .auth import WWW_AUTHENTICATE
from .errors import Unauthenticated
from .jobs.queue import create_queue
from .jobs.worker import FUNCTIONS, PERIODIC
from .resolvers.request_context import Context, build_context
from .rest_compat import PREFIX as REST_PREFIX
from .rest_compat import create_rest_app, http_error
from .schema import schema
from .services import Services
from .settings import Settings
from .storage.engine import Database
from .storage.migrate import current_revision, head_revision

logger = logging.getLogger(__name__)

# What a browser script may read of a response: the REST pagination and idempotency headers.
CORS_EXPOSED_HEADERS = ("X-Total-Count", "X-Limit", "X-Offset", "X-Has-More", "Idempotent-Replayed")


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

    async def get_context(self, request: Request, response: Response | None = None) -> Context:  # type: ignore[override]
        return await build_context(self.services, request.headers.get("authorization"))

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(graphiql.page(), headers={"Content-Security-Policy": graphiql.PAGE_POLICY})

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        """A response refusing the caller's key says how to authenticate (RFC 6750), as a REST 401 does."""
        results = response_data if isinstance(response_data, list) else [response_data]
        if any(
            (error.get("extensions") or {}).get("code") == Unauthenticated.code
            for result in results
            for error in result.get("errors") or ()
        ):
            sub_response.headers["WWW-Authenticate"] = WWW_AUTHENTICATE
        return super().create_response(response_data, sub_response)

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

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        """A `map` that does not fit `operations` makes Strawberry's file placement raise: a 400, not a 500."""
        try:
            return await super().parse_multipart(request)
        except (AttributeError, TypeError, ValueError, IndexError) as exc:
            raise GraphQLRequestError(400, "The multipart map does not match the operations") from exc


def create_services(settings: Settings) -> Services:
    db = Database(settings.database_url)
    services = Services(settings=settings, db=db, queue=None)  # type: ignore[arg-type]
    services.queue = create_queue(settings, FUNCTIONS, {"services": services}, PERIODIC)
    return services


def cors_middleware(settings: Settings) -> list[Middleware]:
    """Browsers on the configured origins may call /graphql and the REST paths. The key travels in the
    Authorization header, never in a cookie, so credentials stay off (which is also what lets `*` work)."""
    if not settings.cors_origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
            expose_headers=list(CORS_EXPOSED_HEADERS),
            max_age=600,
        )
    ]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    services = create_services(settings)
    expected_revision = head_revision(settings.database_url)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            revision = await current_revision(services.db.engine)
        except Exception as exc:  # noqa: BLE001 - the database is unreachable: not ready, whatever the reason
            logger.warning("readiness check failed: %s", exc)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        if revision != expected_revision:
            return JSONResponse(
                {"status": "unavailable", "database": "not migrated", "revision": revision, "expected": expected_revision},
                status_code=503,
            )
        return JSONResponse({"status": "ok", "database": "ok", "revision": revision})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await services.queue.start()
        yield
        await services.queue.close()
        await services.key_usage.flush()
        await services.db.dispose()

    graphql = GraphQLApp(services)
    rest = create_rest_app(services)
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/api/healthz", healthz, methods=["GET"]),
        Route("/api/readyz", readyz, methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Mount(graphiql.STATIC_PATH, app=graphiql.static_files()),
        # The reference's curl examples use /api/external/v1; its operation list, /external/v1.
        Mount(REST_PREFIX, app=rest),
        Mount("/api" + REST_PREFIX, app=rest),
    ]
    # A path the mounts cannot match (one with a newline: Starlette's `{path:path}` stops at it) still
    # answers 404 in the REST error shape rather than as plain text.
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error},
        middleware=cors_middleware(settings),
    )
    app.state.services = services
    return app
