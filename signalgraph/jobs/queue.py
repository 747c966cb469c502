"""Enqueueing jobs, for both runners: arq on Redis, or in-process when no Redis is configured.

Jobs take ids, never objects, and are enqueued after the transaction that made them commits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

logger = logging.getLogger(__name__)

JobFunction = Callable[..., Awaitable[Any]]


class JobQueue(Protocol):
    async def enqueue(self, function: str, *args: Any, job_id: str) -> str:
        """Queue `function(*args)` under `job_id`; returns the job id."""

    async def close(self) -> None: ...


class InProcessQueue:
    """Runs the registered job functions as tasks of the server's own event loop."""

    def __init__(self, functions: dict[str, JobFunction], job_context: dict[str, Any]):
        self._functions = functions
        self._context = job_context
        self._tasks: set[asyncio.Task] = set()

    async def enqueue(self, function: str, *args: Any, job_id: str) -> str:
        job = self._functions[function]
        task = asyncio.create_task(self._run(job, job_id, args), name=f"job:{job_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return job_id

    async def _run(self, job: JobFunction, job_id: str, args: tuple[Any, ...]) -> None:
        try:
            await job({**self._context, "job_id": job_id, "job_try": 1}, *args)
        except Exception:
            logger.exception("job %s failed", job_id)

    async def drain(self) -> None:
        """Wait for every queued job: used at shutdown and by tests."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        await self.drain()


def create_queue(redis_url: str | None, functions: dict[str, JobFunction], job_context: dict[str, Any]) -> JobQueue:
    """In-process without Redis; arq on Redis otherwise."""
    if redis_url is None:
        return InProcessQueue(functions, job_context)
    raise NotImplementedError("the arq runner arrives with the jobs layer")
