"""Bench-only builds of the server, each differing from `signalgraph serve` in one thing only.

Run with `uvicorn --factory bench.variants:<name>`; settings come from the environment as for the server.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette

from signalgraph.app import create_app
from signalgraph.jobs.queue import JobQueue, JobRef


class SwitchedOff:
    """A queue that takes every job and hands it to nobody: the create's own work, without the enqueue.
    Everything else (ping and health for /readyz, start, close, …) is the real queue's, so the variant
    keeps up with the JobQueue protocol (it broke /readyz when ping was added)."""

    def __init__(self, queue: JobQueue):
        self._queue = queue

    async def enqueue(self, job: JobRef) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._queue, name)


def without_enqueue() -> Starlette:
    """The server with its job rows written as usual but nothing sent to Redis."""
    app = create_app()
    services = app.state.services
    services.queue = SwitchedOff(services.queue)
    return app
