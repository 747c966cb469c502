"""The local extractor in processes of its own, for `signalgraph worker`.

The local extractor is pure-Python CPU work. Run in a thread (as the server's in-process runner runs
it), it holds the GIL that the worker's event loop needs for everything else a job does: the database
statements, arq's polling, the heartbeats. In a process pool its CPU leaves the loop's core, and the loop
works on the other jobs' writes meanwhile (bench/README.md, "One worker").

A try whose extraction fails is a failed try like any other, whatever the cause:
- the rules raise: the exception comes back from the process as it was raised;
- a process dies (killed, out of memory): `ExtractorCrashed`, for every extraction that was in the pool;
- the try is cancelled (its time limit, the worker stopping) while its extraction runs: the pool's
  processes are stopped, since a process cannot be interrupted otherwise and a runaway extraction must
  not keep one for good; other tries whose extractions were in the pool fail with `ExtractorCrashed`.
A broken pool is replaced by a new one at the next extraction.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..processing.extract.base import Extraction, ExtractionRequest
from ..processing.extract.local import extract

logger = logging.getLogger(__name__)

# Imported once by the fork server, so that every process forked from it starts warm.
PRELOAD = ["signalgraph.jobs.extractor_warmup"]
WARM_UP = ExtractionRequest(text="Customer: the export is really slow.", signal_type="transcript")


class ExtractorCrashed(Exception):
    """The process running an extraction stopped before answering (the try is retried)."""


class ExtractorPool:
    """`LocalExtractor`'s extraction in `processes` processes; an `Extractor` (processing/extract/base.py)."""

    name = "local"

    def __init__(self, processes: int, function: Callable[[ExtractionRequest], Extraction] = extract):
        """`function` is what the processes run: the local extractor's `extract` (a test gives one that
        misbehaves); it must be importable by name, as everything sent to another process."""
        if processes < 1:
            raise ValueError("an extractor pool needs at least one process")
        self.processes = processes
        self.function = function
        # Not fork: the worker has threads running (aiosqlite's, asyncio's), and a child forked from it
        # could inherit a lock one of them held. The fork server is a clean, single-threaded parent.
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.processes, mp_context=self._context)
        return self._executor

    async def start(self) -> None:
        """Start every process (and the fork server, which loads the extractor), so that the first jobs
        do not wait for that."""
        pool = self._pool()
        await asyncio.gather(*(asyncio.wrap_future(pool.submit(extract, WARM_UP)) for _ in range(self.processes)))

    async def extract(self, request: ExtractionRequest) -> Extraction:
        pool = self._pool()
        try:
            future: Future[Extraction] = pool.submit(self.function, request)
        except BrokenProcessPool as exc:  # broken since the last extraction looked
            self._discard(pool)
            raise ExtractorCrashed("the extractor's processes had stopped; the pool is started again") from exc
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            self._discard(pool)
            raise ExtractorCrashed("the extractor's process stopped before it answered") from exc
        except asyncio.CancelledError:
            if not future.cancel():  # handed to a process already: stop it, or it runs on unobserved
                logger.warning("an extraction was cancelled while it ran: the extractor's processes are restarted")
                self._discard(pool)
            raise

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Stop the pool's processes now; the next extraction starts a new pool."""
        if self._executor is pool:
            self._executor = None
        _terminate(pool)

    async def close(self) -> None:
        pool, self._executor = self._executor, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    # ProcessPoolExecutor has no public way to stop a busy process before Python 3.14 (terminate_workers).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
