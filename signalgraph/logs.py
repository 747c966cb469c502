"""One log format for the application and the access log, as text or JSON lines.

Every line written while a request is served carries that request's fields (its id, and once the key is
known its prefix and workspace id, and the route); every line of a job carries the job's id and kind.
The fields live in context variables, set by the HTTP middleware (observer.py) and the job wrapper
(jobs/runner.py), and read by the formatter, so no call site passes them along.
"""

from __future__ import annotations

import logging
import logging.config
import re
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from .ratelimit import Allowance
    from .settings import Settings

# A request id a proxy sends is kept when it is a plain token of reasonable length; otherwise a new one.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+=/-]{1,128}")


@dataclass
class RequestInfo:
    """What is known of the request being served; filled in as it goes down the stack."""

    request_id: str
    method: str
    path: str
    route: str | None = None  # the route template: a documented REST path, /graphql, /readyz …
    operation: str | None = None  # the GraphQL operation name
    key_prefix: str | None = None
    workspace_id: str | None = None
    allowance: Allowance | None = None  # the rate limiter's answer, for the RateLimit-* headers


@dataclass(frozen=True)
class JobInfo:
    job_id: str
    kind: str


REQUEST: ContextVar[RequestInfo | None] = ContextVar("signalgraph_request", default=None)
JOB: ContextVar[JobInfo | None] = ContextVar("signalgraph_job", default=None)


def request_id(sent: str | None) -> str:
    """The id a proxy sent in X-Request-Id when it is sane, else a new one."""
    if sent is not None and _SANE_REQUEST_ID.fullmatch(sent):
        return sent
    return uuid.uuid4().hex


def one_line(exc: BaseException) -> str:
    """An error as one line for an operator: the driver's message (not SQLAlchemy's wrapping), no traceback."""
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def current_request() -> RequestInfo | None:
    return REQUEST.get()


def record_caller(key_prefix: str, workspace_id: str) -> None:
    """The authenticated key of the current request (its prefix, never the key), for its log lines."""
    info = REQUEST.get()
    if info is not None:
        info.key_prefix, info.workspace_id = key_prefix, workspace_id


def context_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The fields of a line: the request's or the job's, then what the call passed as `extra={"fields": …}`."""
    fields: dict[str, Any] = {}
    info = REQUEST.get()
    if info is not None:
        fields["request_id"] = info.request_id
        for name in ("key_prefix", "workspace_id", "route", "operation"):
            value = getattr(info, name)
            if value is not None:
                fields[name] = value
    job = JOB.get()
    if job is not None:
        fields["job_id"], fields["job_kind"] = job.job_id, job.kind
    fields.update(getattr(record, "fields", None) or {})
    return fields


def _timestamp(record: logging.LogRecord) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


def _text_value(value: Any) -> str:
    text = str(value)
    return orjson.dumps(text).decode() if not text or any(c in text for c in ' "=\n') else text


class TextFormatter(logging.Formatter):
    """`2026-01-31T12:00:00.123Z INFO signalgraph.access: message key=value …`, then any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{_timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        fields = context_fields(record)
        if fields:
            line += " " + " ".join(f"{name}={_text_value(value)}" for name, value in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the fields, and `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(context_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def config(settings: Settings) -> dict[str, Any]:
    """A logging.config.dictConfig for the process: one handler on stderr, in the configured format.

    Uvicorn gets it too (`uvicorn.run(log_config=…)`), so its own lines and those of a reloaded child
    process come out in the same format; its access log is replaced by the middleware's.
    """
    formatter = JsonFormatter if settings.log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"signalgraph": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "signalgraph", "stream": "ext://sys.stderr"}
        },
        "root": {"level": settings.log_level, "handlers": ["stderr"]},
        "loggers": {
            "uvicorn": {"level": settings.log_level, "handlers": [], "propagate": True},
            "uvicorn.error": {"level": settings.log_level, "handlers": [], "propagate": True},
            "uvicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
            "alembic": {"level": "WARNING"},
        },
    }


def configure(settings: Settings) -> None:
    logging.config.dictConfig(config(settings))
