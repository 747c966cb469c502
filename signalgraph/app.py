"""create_app(settings) → Starlette: /graphql, the REST compatibility layer, health checks, lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from . import __version__, graphiql, metrics
from .graphql_http import GraphQLApp
from .health import readiness, wait_for_dependencies
from .http_security import security_middleware
from .jobs.queue import create_queue, describe_job_mode
from .jobs.worker import FUNCTIONS, PERIODIC
from .observer import REQUEST_ID_HEADER, RequestObserver
from .rest_compat import PREFIX as REST_PREFIX
from .rest_compat import create_rest_app, http_error
from .services import Services
from .settings import Settings
from .storage.engine import Database, describe_database
from .storage.migrate import head_revision

logger = logging.getLogger(__name__)

# What a browser script may read of a response: the REST pagination and idempotency headers, the request id.
CORS_EXPOSED_HEADERS = (
    "X-Total-Count", "X-Limit", "X-Offset", "X-Has-More", "Idempotent-Replayed", REQUEST_ID_HEADER,
    "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "Retry-After",
)


def create_services(settings: Settings) -> Services:
    db = Database(settings.database_url)
    metrics.watch_pool(db)
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

    async def metrics_endpoint(request: Request) -> Response:
        client = request.client.host if request.client else None
        if not metrics.may_scrape(settings.metrics_token, client, request.headers):
            return PlainTextResponse(metrics.REFUSAL, status_code=403)
        await metrics.refresh(services.db)
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    async def readyz(request: Request) -> Response:
        ready, body = await readiness(services, expected_revision)
        return JSONResponse(body, status_code=200 if ready else 503)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        logger.info(
            "Signalgraph %s serving: database %s, jobs %s",
            __version__, describe_database(settings.database_url), describe_job_mode(settings),
        )
        # The server starts either way; until they answer, one line per try and /readyz says 503.
        waiting = asyncio.create_task(wait_for_dependencies(services), name="wait-for-dependencies")
        await services.queue.start()
        yield
        waiting.cancel()
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
        Route("/metrics", metrics_endpoint, methods=["GET"]),
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
        middleware=[Middleware(RequestObserver), *security_middleware(settings), *cors_middleware(settings)],
    )
    app.state.services = services
    return app
