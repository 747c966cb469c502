"""The job registry, and arq's WorkerSettings built from it: one list of functions for both runners."""

from __future__ import annotations

from .queue import JobFunction

# name → async def job(ctx, *ids). Filled by the job modules as they are written.
FUNCTIONS: dict[str, JobFunction] = {}
