"""What every response carries and which hosts are served: the HTTP edge's own safety policy.

- Security headers on every response (a response that set its own, like GraphiQL's stricter
  Content-Security-Policy, keeps it).
- Redirects are relative: Starlette's trailing-slash redirect built `Location` from the Host header, so
  `Host: evil.example` sent the client to evil.example.
- With SIGNALGRAPH_ALLOWED_HOSTS, a request for any other Host is refused (Starlette's
  TrustedHostMiddleware, 400).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .settings import Settings

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "frame-ancestors 'none'",
}


def relative(location: str) -> str:
    """`http://any.host/a/b?c` → `/a/b?c`; a relative location as it is."""
    parts = urlsplit(location)
    if not parts.scheme and not parts.netloc:
        return location
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class SecurityHeaders:
    """Adds SECURITY_HEADERS a response lacks, and makes every redirect's Location relative."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if 300 <= message["status"] < 400 and "location" in headers:
                    headers["location"] = relative(headers["location"])
            await send(message)

        await self.app(scope, receive, send_secured)


def security_middleware(settings: Settings) -> list[Middleware]:
    """Outermost first: the headers go on every answer, the host check's 400 included."""
    middleware = [Middleware(SecurityHeaders)]
    if settings.allowed_hosts:
        middleware.append(
            Middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts), www_redirect=False)
        )
    return middleware
