"""Typed domain errors. Each carries its GraphQL code and HTTP status; each edge maps them once."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A subclass states its code and status where it is declared: `class Conflict(DomainError, code="CONFLICT",
    http_status=409)`; the table of them is this module."""

    code: ClassVar[str] = "INTERNAL_SERVER_ERROR"
    http_status: ClassVar[int] = 500

    def __init_subclass__(cls, *, code: str | None = None, http_status: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
        if http_status is not None:
            cls.http_status = http_status

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


class InvalidInput(DomainError, code="BAD_USER_INPUT", http_status=400):
    """The input is malformed or breaks a rule; `field` names the input field."""


class Unauthenticated(DomainError, code="UNAUTHENTICATED", http_status=401):
    """No API key, or one that is unknown, revoked or expired."""


class Forbidden(DomainError, code="FORBIDDEN", http_status=403):
    """The key lacks the scope the field needs."""


class NotFound(DomainError, code="NOT_FOUND", http_status=404):
    """No such row in the caller's workspace."""


class Conflict(DomainError, code="CONFLICT", http_status=409):
    """The write collides with a row that exists (a unique value taken)."""


class TooLarge(DomainError, code="PAYLOAD_TOO_LARGE", http_status=413):
    """A body, file or list beyond its bound (limits.py)."""


class RateLimited(DomainError, code="RATE_LIMITED", http_status=429):
    """The API key has spent its requests for now (ratelimit.py); the response says when to retry."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after

    @property
    def extensions(self) -> dict[str, Any]:
        return {**super().extensions, "retryAfter": self.retry_after}


class Unavailable(DomainError, code="SERVICE_UNAVAILABLE", http_status=503):
    """The server is out of a shared resource for now (every database connection busy): retry shortly."""

    retry_after_seconds: ClassVar[int] = 2


class UpstreamFailed(DomainError, code="UPSTREAM_FAILED", http_status=502):
    """A service the server depends on (the configured LLM endpoint) failed to answer usefully."""
