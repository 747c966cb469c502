"""GraphQL errors → HTTP status and the one REST error body, `{"statusCode", "message", "error"}`.

The status of a domain error is the one its class carries (signalgraph/errors.py); errors graphql-core
raises while coercing variables are the caller's fault (400) and are reworded to name the REST field
they concern. Everything else is unexpected: logged, and answered with a bare 500.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from graphql import GraphQLEnumType, GraphQLError

from ..auth import WWW_AUTHENTICATE
from ..errors import DomainError, Unavailable
from ..schema.scalars import MAX_JSON_DEPTH
from .documents import graphql_schema
from .responses import JSONBody

logger = logging.getLogger("signalgraph.rest")

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Entity",
    500: "Internal Server Error",
    502: "Bad Gateway",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


def _status_by_code() -> dict[str, int]:
    classes, stack = {}, list(DomainError.__subclasses__())
    while stack:
        cls = stack.pop()
        classes[cls.code] = cls.http_status
        stack.extend(cls.__subclasses__())
    return classes


STATUS_BY_CODE = _status_by_code()


class RestError(Exception):
    """A failed request, as the REST layer answers it."""

    def __init__(self, status: int, message: str | list[str]):
        super().__init__(message)
        self.status = status
        self.message = message

    @classmethod
    def from_domain(cls, error: DomainError) -> RestError:
        return cls(error.http_status, error.message)

    def response(self) -> JSONBody:
        return error_response(self.status, self.message)


def error_response(
    status: int, message: str | list[str], headers: Mapping[str, str] | None = None
) -> JSONBody:
    body = {"statusCode": status, "message": message, "error": REASONS.get(status, "Error")}
    if status == 401:  # how to authenticate (RFC 6750)
        headers = {**(headers or {}), "WWW-Authenticate": WWW_AUTHENTICATE}
    if status == Unavailable.http_status:  # one line for the request, whatever number of fields failed
        logger.warning("answered 503: %s", message)
        headers = {**(headers or {}), "Retry-After": str(Unavailable.retry_after_seconds)}
    return JSONBody(body, status_code=status, headers=headers)


def from_graphql(errors: list[GraphQLError], renames: Mapping[str, str]) -> RestError:
    """One RestError for a failed execution: the first error's status, with every message of that status.

    `renames` maps root-field argument names to the REST parameter bound to them (`first` → `limit`).
    """
    classified = [_classify(error, renames) for error in errors]
    if any(status == 500 for status, _ in classified):
        return RestError(500, "Internal server error")
    status = classified[0][0]
    messages = list(dict.fromkeys(message for s, message in classified if s == status))
    return RestError(status, messages[0] if len(messages) == 1 else messages)


def _classify(error: GraphQLError, renames: Mapping[str, str]) -> tuple[int, str]:
    original = error.original_error
    if isinstance(original, DomainError):
        message = original.message
        rest_name = renames.get(original.field or "")
        if rest_name:
            message = re.sub(rf"\b{re.escape(original.field)}\b", rest_name, message, count=1)
        return original.http_status, message
    if original is None or isinstance(original, GraphQLError):
        return 400, variable_error_message(error)
    logger.error("unexpected error at %s", error.path, exc_info=original)
    return 500, "Internal server error"


_VARIABLE_ERROR = re.compile(
    r"^Variable '\$(?P<var>\w+)' has invalid value(?P<path>[^:]*): (?P<reason>.*)$", re.DOTALL
)

# graphql-core's reason → how the REST layer says it; `{}` is the field name.
_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"not to be None", "{} must not be null"),
        (r"^String cannot represent", "{} must be a string"),
        (r"^ID cannot represent", "{} must be a string"),
        (r"^Int cannot represent non 32-bit", "{} must be an integer between -2147483648 and 2147483647"),
        (r"^Int cannot represent", "{} must be an integer"),
        (r"^Float cannot represent", "{} must be a number"),
        (r"^Boolean cannot represent", "{} must be a boolean"),
        (r"to be an object", "{} must be an object"),
        (r"^Expected value of type 'DateTime'", "{} must be an ISO-8601 date-time"),
        (r"^Expected value of type 'JSON'", f"{{}} must not be nested more than {MAX_JSON_DEPTH} levels deep"),
    )
)


def variable_error_message(error: GraphQLError) -> str:
    """Reword a variable-coercion error to name the REST field: `input.status` is the body's `status`."""
    match = _VARIABLE_ERROR.match(error.message)
    if match is None:
        return error.message
    var, reason = match["var"], match["reason"]
    path = match["path"].strip().removeprefix("at ").strip()  # " at .features[0].name"
    field = path.lstrip(".") if var == "input" else var + path

    def named(name: str) -> str:
        return f"{field}.{name}" if field else name

    if unknown := re.search(r"not to include unknown field '([^']*)'", reason):
        return f"property {named(unknown[1])} should not exist"
    if required := re.search(r"to include required field '(\w+)'", reason):
        return f"{named(required[1])} is required"
    if re.search(r"non-null type .* to be provided", reason):
        return f"{field or 'request body'} is required"
    if enum := re.search(r"does not exist in '(\w+)' enum", reason):
        enum_type = graphql_schema().get_type(enum[1])
        if isinstance(enum_type, GraphQLEnumType):
            return f"{field} must be one of the following values: {', '.join(enum_type.values)}"
    if reason.startswith("must "):  # already worded for the caller (schema/input_guard.py)
        return f"{field or 'request body'} {reason}"
    for pattern, text in _REASONS:
        if pattern.search(reason):
            return text.format(field or "request body")
    return f"{field}: {reason}" if field else reason
