"""create_app(settings) → Starlette: /graphql, the REST compatibility layer, health checks, lifespan."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from strawberry.asgi import GraphQL

from .jobs.queue import create_queue
from .jobs.worker import FUNCTIONS, PERIODIC
from .resolvers.request_context import Context, Services, build_context
from .rest_compat import PREFIX as REST_PREFIX
from .rest_compat import create_rest_app
from .schema import schema
from .settings import Settings
from .storage.engine import Database
from .storage.migrate import current_revision, head_revision

logger = logging.getLogger(__name__)


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

    def encode_json(self, data: Any) -> bytes:  # type: ignore[override]
        return orjson.dumps(data)


def create_services(settings: Settings) -> Services:
    db = Database(settings.database_url)
    services = Services(settings=settings, db=db, queue=None)  # type: ignore[arg-type]
    services.queue = create_queue(settings, FUNCTIONS, {"services": services}, PERIODIC)
    return services


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    services = create_services(settings)
    expected_revision = head_revision(settings.database_url)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            revision = await current_revision(services.db.engine)
        except Exception as exc:  # the database is unreachable: not ready, whatever the reason
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
        await services.db.dispose()

    graphql = GraphQLApp(services)
    rest = create_rest_app(services)
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/api/healthz", healthz, methods=["GET"]),
        Route("/api/readyz", readyz, methods=["GET"]),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        # The reference's curl examples use /api/external/v1; its operation list, /external/v1.
        Mount(REST_PREFIX, app=rest),
        Mount("/api" + REST_PREFIX, app=rest),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.services = services
    return app
