"""The in-process runner for the shared test server, except that jobs wait until a test asks for them.

With jobs running as soon as they are queued, a test that reads what a request did would race the jobs
the request queued. Here a test sees what its requests did, and what their jobs did after
`services.queue.drain()`; jobs a test never drained are forgotten when the next test starts.
"""

from __future__ import annotations

from typing import Any

from signalgraph.jobs.queue import InProcessQueue, JobRef


class HeldQueue(InProcessQueue):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: dict[str, JobRef] = {}

    async def enqueue(self, job: JobRef) -> bool:
        self._held.setdefault(job.id, job)
        return True

    async def drain(self) -> None:
        """Run the held jobs (and any they queue) to the end, retries included."""
        while self._held or self._active:
            held, self._held = list(self._held.values()), {}
            for job in held:
                await super().enqueue(job)
            await super().drain()

    def forget(self) -> None:
        self._held.clear()
