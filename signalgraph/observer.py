"""The outermost middleware: every HTTP request gets an id, an access log line, its metrics and headers.

A pure ASGI middleware (no BaseHTTPMiddleware: it would run the app in another task, out of reach of the
request's context variables). It sets the request's `RequestInfo` (logs.py) for the layers below to fill
in (the route, the GraphQL operation, the caller's key), returns `X-Request-Id`, and writes one access line
when the response has been sent.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import logs, metrics

access_log = logging.getLogger("signalgraph.access")

REQUEST_ID_HEADER = "X-Request-Id"
UNMATCHED = "unmatched"  # the route of a request no route matched: unknown paths are not labels


def route_template(scope: Scope, info: logs.RequestInfo) -> str:
    """The documented path a layer below recorded, else the path of the route Starlette matched."""
    if info.route is not None:
        return info.route
    route: Any = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


class RequestObserver:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        info = logs.RequestInfo(
            request_id=logs.request_id(Headers(scope=scope).get(REQUEST_ID_HEADER)),
            method=scope["method"],
            path=scope["path"],
        )
        token = logs.REQUEST.set(info)
        started = time.perf_counter()
        status = 500  # what the client gets when the app fails before it answers (the server sends it)

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableHeaders(scope=message)
                headers[REQUEST_ID_HEADER] = info.request_id
                if info.allowance is not None:
                    headers.update(info.allowance.headers())
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            duration = time.perf_counter() - started
            info.route = route_template(scope, info)
            metrics.observe_request(info.route, info.operation, info.method, status, duration)
            access_log.info(
                "%s %s %d %.1f ms",
                info.method,
                info.path,
                status,
                duration * 1000,
                extra={"fields": {"status": status, "duration_ms": round(duration * 1000, 1)}},
            )
            logs.REQUEST.reset(token)
