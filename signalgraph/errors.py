"""Typed domain errors. Each carries its GraphQL code and HTTP status; each edge maps them once."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, *, field: str | None = None, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    @property
    def extensions(self) -> dict[str, Any]:
        """Read by graphql-core when it wraps this error: becomes `errors[].extensions`."""
        ext: dict[str, Any] = {"code": self.code}
        if self.field:
            ext["field"] = self.field
        if self.details:
            ext["details"] = self.details
        return ext


class InvalidInput(DomainError):
    code = "BAD_USER_INPUT"
    http_status = 400


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"
    http_status = 401


class Forbidden(DomainError):
    code = "FORBIDDEN"
    http_status = 403


class NotFound(DomainError):
    code = "NOT_FOUND"
    http_status = 404


class Conflict(DomainError):
    code = "CONFLICT"
    http_status = 409


class TooLarge(DomainError):
    code = "PAYLOAD_TOO_LARGE"
    http_status = 413


class RateLimited(DomainError):
    """The API key has spent its requests for now (ratelimit.py); the response says when to retry."""

    code = "RATE_LIMITED"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after

    @property
    def extensions(self) -> dict[str, Any]:
        return {**super().extensions, "retryAfter": self.retry_after}


class Unavailable(DomainError):
    """The server is out of a shared resource for now (every database connection busy): retry shortly."""

    code = "SERVICE_UNAVAILABLE"
    http_status = 503
    retry_after_seconds: ClassVar[int] = 2


class UpstreamFailed(DomainError):
    """A service the server depends on (the configured LLM endpoint) failed to answer usefully."""

    code = "UPSTREAM_FAILED"
    http_status = 502
