"""Prometheus metrics: what every process counts, and the gauges the server reads from the database.

Counters and histograms live in prometheus-client's default registry, beside its process, platform and
GC collectors, one set per process: with several `serve` and `worker` processes, each exposes its own
and Prometheus sums them (README, Metrics). Requests are labelled by route template (a documented REST
path, `/graphql` with the operation's name), never by the raw path, so the label sets stay bounded.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import re
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, make_wsgi_app
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .storage.engine import UNREACHABLE, Database
from .storage.models.base import utcnow
from .storage.repositories import stats

SCRAPE_TIMEOUT_SECONDS = 5.0
MAX_OPERATION_NAMES = 200  # distinct GraphQL operation names labelled; later ones count as "other"
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
_JOB_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600)

REQUESTS = Counter(
    "signalgraph_http_requests", "HTTP requests answered, by route template, GraphQL operation, method and status",
    ["route", "operation", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "signalgraph_http_request_duration_seconds", "Time to answer an HTTP request, by route template and operation",
    ["route", "operation", "method"], buckets=_LATENCY_BUCKETS,
)
GRAPHQL_ERRORS = Counter("signalgraph_graphql_errors", "Errors in /graphql responses, by extensions.code", ["code"])
JOBS_ENQUEUED = Counter("signalgraph_jobs_enqueued", "Jobs handed to the runner (in-process or Redis), by kind", ["kind"])
JOBS_STARTED = Counter("signalgraph_jobs_started", "Job tries started, by kind", ["kind"])
JOBS_SUCCEEDED = Counter("signalgraph_jobs_succeeded", "Jobs that succeeded, by kind", ["kind"])
JOBS_RETRIED = Counter("signalgraph_jobs_retried", "Job tries that failed and will be retried, by kind", ["kind"])
JOBS_FAILED = Counter("signalgraph_jobs_failed", "Jobs that failed for good, by kind", ["kind"])
JOB_SECONDS = Histogram(
    "signalgraph_job_duration_seconds", "Time one try of a job took, by kind and outcome (succeeded, retried, failed)",
    ["kind", "outcome"], buckets=_JOB_BUCKETS,
)
QUEUE_DEPTH = Gauge("signalgraph_jobs_queued", "Jobs waiting to run (job rows queued), read at scrape time")
QUEUE_OLDEST_SECONDS = Gauge(
    "signalgraph_jobs_oldest_queued_age_seconds", "How long the longest-waiting queued job has waited (0: none)"
)
SIGNALS = Gauge("signalgraph_signals", "Signals by status, across workspaces, read at scrape time", ["status"])
DATABASE_UP = Gauge("signalgraph_database_up", "1 when the last scrape could read the database, else 0")

_operations: set[str] = set()
_signal_statuses: set[str] = set()
_operations_lock = threading.Lock()


def operation_label(name: str | None) -> str:
    """A GraphQL operation name as a label: a valid name, among the first MAX_OPERATION_NAMES seen."""
    if not name:
        return "anonymous"
    if not _OPERATION_NAME.fullmatch(name):
        return "other"
    with _operations_lock:
        if name in _operations:
            return name
        if len(_operations) >= MAX_OPERATION_NAMES:
            return "other"
        _operations.add(name)
    return name


def observe_request(route: str, operation: str | None, method: str, status: int, seconds: float) -> None:
    label = operation_label(operation) if route == "/graphql" else ""
    REQUESTS.labels(route, label, method, str(status)).inc()
    REQUEST_SECONDS.labels(route, label, method).observe(seconds)


def count_graphql_errors(errors: Sequence[object] | None) -> None:
    """The errors of a GraphQL response body, each by its `extensions.code`."""
    for error in errors or ():
        extensions = error.get("extensions") if isinstance(error, Mapping) else None
        code = extensions.get("code") if isinstance(extensions, Mapping) else None
        GRAPHQL_ERRORS.labels(str(code or "UNKNOWN")).inc()


class _PoolCollector(Collector):
    """Connections checked out of the pools of this process's databases (the server's, a worker's)."""

    def __init__(self) -> None:
        self.databases: weakref.WeakSet[Database] = weakref.WeakSet()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("signalgraph_db_pool_in_use", "Database connections in use (checked out)")
        family.add_metric([], sum(_checked_out(db) for db in list(self.databases)))
        yield family


def _checked_out(db: Database) -> int:
    checkedout = getattr(db.engine.pool, "checkedout", None)
    return int(checkedout()) if callable(checkedout) else 0


_pools = _PoolCollector()
REGISTRY.register(_pools)


def watch_pool(db: Database) -> None:
    _pools.databases.add(db)


async def refresh(db: Database) -> None:
    """Read the gauges that live in the database: queued jobs and their age, signals by status."""
    try:
        async with asyncio.timeout(SCRAPE_TIMEOUT_SECONDS), db.read() as session:
            queued, oldest = await stats.queued_jobs(session)
            by_status = await stats.signals_by_status(session)
    except UNREACHABLE:
        DATABASE_UP.set(0)
        return
    DATABASE_UP.set(1)
    QUEUE_DEPTH.set(queued)
    QUEUE_OLDEST_SECONDS.set(max(0.0, (utcnow() - oldest).total_seconds()) if oldest else 0)
    for status in _signal_statuses - set(by_status):  # a status no signal has any more reads 0
        SIGNALS.labels(status).set(0)
    for status, count in by_status.items():
        _signal_statuses.add(status)
        SIGNALS.labels(status).set(count)


# Who may scrape: loopback without a token (a request a proxy forwarded is not loopback), anyone with it.
_FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_scrape(token: str | None, client_host: str | None, headers: Mapping[str, str]) -> bool:
    """With a token, a matching `Authorization: Bearer` header; without, a direct request from loopback."""
    if token is not None:
        scheme, _, sent = (headers.get("authorization") or "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode()):
            return True
    return is_loopback(client_host) and not any(name in headers for name in _FORWARDING_HEADERS)


REFUSAL = b"Metrics are served to loopback; elsewhere send Authorization: Bearer <SIGNALGRAPH_METRICS_TOKEN>\n"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # scrapes are not worth a line each
        return


def serve_in_thread(host: str, port: int, token: str | None) -> WSGIServer:
    """/metrics for a process without an HTTP server of its own (a worker), on a daemon thread."""
    exposition = make_wsgi_app(REGISTRY)

    def app(environ: dict, start_response):  # type: ignore[no-untyped-def]
        headers = {
            name[5:].replace("_", "-").lower(): value for name, value in environ.items() if name.startswith("HTTP_")
        }
        if not may_scrape(token, environ.get("REMOTE_ADDR"), headers):
            start_response("403 Forbidden", [("Content-Type", "text/plain; charset=utf-8")])
            return [REFUSAL]
        return exposition(environ, start_response)

    server = make_server(host, port, app, _ThreadingServer, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    return server
