"""Readiness (/readyz) and waiting for the database and Redis: one line for each failure, never a traceback.

A process starts whether or not its database and Redis answer: the server serves /healthz, and /readyz
says 503 and names what failed until they do; meanwhile `wait_until_reachable` logs one line per try and
tries again with a growing delay. A worker, which can do nothing without them, waits the same way
before it starts taking jobs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from . import logs
from .services import Services
from .storage.engine import UNREACHABLE, Database, describe_database
from .storage.migrate import current_revision

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 5.0
FIRST_RETRY_SECONDS = 1.0
MAX_RETRY_SECONDS = 60.0

Probe = Callable[[], Awaitable[str | None]]  # None when the thing answers, else why not (one line)


async def database_probe(db: Database) -> str | None:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            await db.ping()
    except UNREACHABLE as exc:
        return logs.one_line(exc) or "timed out"
    return None


async def wait_until_reachable(
    what: str, probe: Probe, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep
) -> None:
    """Return once `probe` succeeds; until then one warning line per try, retried with backoff."""
    delay, failed = FIRST_RETRY_SECONDS, False
    while (why := await probe()) is not None:
        logger.warning("%s is unreachable (%s); trying again in %.0f s", what, why, delay)
        failed = True
        await sleep(delay)
        delay = min(delay * 2, MAX_RETRY_SECONDS)
    if failed:
        logger.info("%s is reachable again", what)


async def wait_for_dependencies(services: Services) -> None:
    """Wait for the database and (when configured) Redis, each logged on its own."""
    settings = services.settings
    waits = [
        wait_until_reachable(f"database {describe_database(settings.database_url)}",
                             lambda: database_probe(services.db))
    ]
    if settings.redis_url is not None:
        waits.append(wait_until_reachable("Redis", services.queue.ping))
    await asyncio.gather(*waits)


async def readiness(services: Services, expected_revision: str | None) -> tuple[bool, dict[str, Any]]:
    """(ready, body) for /readyz: the database (reachable, at the head revision) and Redis when configured."""
    body: dict[str, Any] = {}
    failed: list[str] = []
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            revision = await current_revision(services.db.engine)
    except UNREACHABLE as exc:
        logger.warning("readiness: database unreachable (%s)", logs.one_line(exc) or "timed out")
        body["database"] = "unreachable"
        failed.append("database")
    else:
        body["revision"] = revision
        if revision != expected_revision:
            body.update(database="not migrated", expected=expected_revision)
            failed.append("database")
        else:
            body["database"] = "ok"
    if services.settings.redis_url is not None:
        why = await services.queue.ping()
        body["redis"] = "ok" if why is None else "unreachable"
        if why is not None:
            logger.warning("readiness: Redis unreachable (%s)", why)
            failed.append("redis")
    # How hand-overs to the runner go (the circuit breaker's state): shown, not a condition of readiness,
    # since the sweeper queues later what a paused queue did not take.
    body["queue"] = services.queue.health()
    body = {"status": "unavailable" if failed else "ok", **({"failed": failed} if failed else {}), **body}
    return not failed, body
