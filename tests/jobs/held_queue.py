"""The in-process runner for the shared test server, except that jobs wait until a test asks for them.

With jobs running as soon as they are queued, a test that reads what a request did would race the jobs
the request queued. Here a test sees what its requests did, and what their jobs did after
`services.queue.drain()`; jobs a test never drained are abandoned when it ends: their rows are marked
failed, or the start-up sweep of any other app on this database (a test's own app, a `signalgraph serve`
process) would run every one of them, hundreds by the middle of the suite, while its test waits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from signalgraph.jobs.queue import InProcessQueue, JobRef
from signalgraph.storage.models import Job


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

    async def abandon(self) -> None:
        """Mark the jobs held and never drained failed ("left by a test"), so that no sweeper runs them."""
        held, self._held = list(self._held), {}
        if held:
            async with self._context["services"].db.write() as session:
                await session.execute(
                    update(Job).where(Job.id.in_(held), Job.status == "queued")
                    .values(status="failed", last_error="left by a test")
                )
