"""Signals processed per second by one `signalgraph worker`, against the local extractor alone.

The signals are created through the REST API of the running server (so their jobs are queued on
Redis exactly as in production); then one `signalgraph worker --burst` empties the queue. Its rate is
taken from the job rows (first start to last finish), so process start-up does not count. The
baseline runs the same extraction requests, built as the job builds them, through the same local
extractor in a loop: what is left between the two is the queue, the job bookkeeping and the writes.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from signalgraph.jobs.signals import extraction_request
from signalgraph.processing.extract import LocalExtractor
from signalgraph.storage.engine import Database
from signalgraph.storage.models import Job, Signal
from signalgraph.storage.repositories import signals as signals_repo

# One set of subjects and one praised screen a round, so that every round starts from no drafts: the drafts
# a round's transcripts merge into grow from one source to a hundred, as in the first round, instead of
# carrying the sources of the rounds before (a later round's merges would cost more than the first's).
SUBJECTS = (
    ("quarterly report", "CSV export", "billing page", "team invite", "Slack sync", "search filter"),
    ("audit log", "PDF invoice", "calendar view", "user import", "Jira sync", "saved views"),
    ("usage report", "Excel download", "pricing page", "role editor", "Teams alerts", "tag filter"),
)
SCREENS = ("dashboard", "home page", "sidebar")
TURNS = (
    "Interviewer: How do you use the {subject} today?",
    "Customer: Honestly the {subject} is really slow and it keeps timing out when the data gets big.",
    "Customer: It would be great if we could schedule the {subject} to run every Monday.",
    "Interviewer: What happens when it fails?",
    "Customer: We lose about an hour every week redoing the {subject} by hand, which is frustrating.",
    "Customer: I love how clean the new {screen} looks though, the team really likes it.",
    "Customer: Why does the {subject} break when I rename a project? That looks like a bug.",
    "Customer: We need a way to share the {subject} with people outside the company.",
)


def transcript(n: int, round_: int = 0) -> str:
    subjects, screen = SUBJECTS[round_ % len(SUBJECTS)], SCREENS[round_ % len(SCREENS)]
    subject = subjects[n % len(subjects)]
    turns = [TURNS[(n + i) % len(TURNS)].format(subject=subject, screen=screen) for i in range(len(TURNS))]
    return f"Call {n} with customer {n % 97}.\n" + "\n".join(turns)


def create_signals(base_url: str, key: str, count: int, round_: int = 0) -> list[str]:
    """Create `count` transcript signals of round `round_` through POST /external/v1/signals; their ids."""
    def post(n: int) -> str:
        body = {"name": f"Bench call {n}", "text": transcript(n, round_), "signalType": "transcript"}
        response = client.post("/external/v1/signals", json=body)
        response.raise_for_status()
        return response.json()["id"]

    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client, ThreadPoolExecutor(4) as pool:
        return list(pool.map(post, range(count)))


async def worker_rate(database_url: str, workspace_id: str, signal_ids: list[str]) -> float:
    """Signals per second from the first job start to the last job finish; every job must have succeeded."""
    db = Database(database_url)
    try:
        async with db.read() as session:
            jobs = (await session.execute(select(Job).where(Job.target_id.in_(signal_ids)))).scalars().all()
    finally:
        await db.dispose()
    failed = [job.id for job in jobs if job.status != "succeeded"]
    if len(jobs) != len(signal_ids) or failed:
        raise RuntimeError(f"worker: {len(jobs)} jobs for {len(signal_ids)} signals, not succeeded: {failed[:5]}")
    span = max(job.finished_at for job in jobs) - min(job.started_at for job in jobs)
    return len(jobs) / span.total_seconds()


async def extractor_rate(database_url: str, workspace_id: str, signal_ids: list[str], rounds: int = 2) -> float:
    """Signals per second through LocalExtractor alone, with the job's own requests; median of `rounds`."""
    db = Database(database_url)
    try:
        async with db.read() as session:
            rows = (await session.execute(select(Signal).where(Signal.id.in_(signal_ids)))).scalars().all()
            requests = [
                extraction_request(row, await signals_repo.get_text(session, workspace_id, row.id)) for row in rows
            ]
    finally:
        await db.dispose()
    extractor = LocalExtractor()
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for request in requests:
            assert request is not None
            await extractor.extract(request)
        rates.append(len(requests) / (time.perf_counter() - started))
    return statistics.median(rates)


def measure_extractor(database_url: str, workspace_id: str, signal_ids: list[str]) -> float:
    return asyncio.run(extractor_rate(database_url, workspace_id, signal_ids))


def measure_worker(database_url: str, workspace_id: str, signal_ids: list[str]) -> float:
    return asyncio.run(worker_rate(database_url, workspace_id, signal_ids))
