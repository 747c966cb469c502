"""`make bench`: Signalgraph against hand-written baselines measured in the same run, on SQLite and PostgreSQL.

For each database: seed it (bench/seed.py), start `signalgraph serve` and the baseline (bench/baseline.py)
as processes, drive both with wrk in alternating rounds, and report each figure as a ratio to its
baseline. The table is printed and written to bench/results/latest.md; the exit status is 1 when a
target is missed. bench/README.md explains the rows.

    make bench                                            # SQLite, then PostgreSQL at 127.0.0.1:5432
    SIGNALGRAPH_BENCH_DATABASE_URL=sqlite+aiosqlite:////tmp/b.db make bench     # one database only
    SIGNALGRAPH_BENCH_ONLY=worker make bench              # only these rows (ROWS); results/latest.md untouched
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import redis
from sqlalchemy.engine import make_url

from signalgraph.schema.query_cost import COST_LIMIT

from . import load, report, servers, worker_rate
from .baseline import NESTED, NESTED_DEPTH
from .load import Round
from .report import Row, Section
from .seed import seed
from .wire import CountingProxy, Traffic

RESULTS = Path(__file__).resolve().parent / "results" / "latest.md"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RSS_WARMUP_REQUESTS = 1_000
# The row groups SIGNALGRAPH_BENCH_ONLY may name (comma-separated): the REST lists at limit 1 and 100, the
# nested query's latency, PostgreSQL's round trips, one worker, POST with the enqueue, and RSS.
ROWS = ("rest", "nested", "wire", "worker", "post", "rss")


@dataclass(frozen=True)
class Config:
    database_url: str | None
    redis_url: str
    rounds: int
    seconds: float
    rss_requests: int
    rss_seconds: float
    worker_signals: int
    only: frozenset[str] = frozenset(ROWS)

    @classmethod
    def from_env(cls) -> Config:
        env = os.environ.get
        only = frozenset(filter(None, (n.strip() for n in env("SIGNALGRAPH_BENCH_ONLY", "").split(","))))
        if only - set(ROWS):
            raise SystemExit(f"SIGNALGRAPH_BENCH_ONLY: unknown rows {sorted(only - set(ROWS))}; known: {', '.join(ROWS)}")
        return cls(
            database_url=env("SIGNALGRAPH_BENCH_DATABASE_URL") or None,
            redis_url=env("SIGNALGRAPH_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
            rounds=int(env("SIGNALGRAPH_BENCH_ROUNDS", "3")),
            seconds=float(env("SIGNALGRAPH_BENCH_SECONDS", "4")),
            rss_requests=int(env("SIGNALGRAPH_BENCH_RSS_REQUESTS", "100000")),
            rss_seconds=float(env("SIGNALGRAPH_BENCH_RSS_SECONDS", "60")),
            worker_signals=int(env("SIGNALGRAPH_BENCH_WORKER_SIGNALS", "100")),
            only=only or frozenset(ROWS),
        )

    @property
    def complete(self) -> bool:
        """Every row runs: only then is the table written to results/latest.md."""
        return self.only == frozenset(ROWS)

    def describe(self) -> str:
        return (
            f"wrk -t1, {self.rounds} alternating rounds of {self.seconds:g} s per figure and side (after a 2 s "
            f"warm-up each); -c4 for throughput, -c1 for latency"
        )


STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"bench [{time.monotonic() - STARTED:5.0f} s]: {message}", file=sys.stderr, flush=True)


# -- databases --------------------------------------------------------------------------------------
@contextlib.contextmanager
def sqlite_database() -> Iterator[tuple[str, str]]:
    with tempfile.TemporaryDirectory(prefix="signalgraph-bench-") as tmp:
        yield "SQLite", f"sqlite+aiosqlite:///{tmp}/bench.db"


@contextlib.contextmanager
def postgres_database() -> Iterator[tuple[str, str]]:
    """A database of its own on the local server, dropped afterwards."""
    name = f"signalgraph_bench_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        for attempt in range(20):  # a shared server can be out of connections for a while
            try:
                conn = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=5)
                break
            except asyncpg.TooManyConnectionsError:
                if attempt == 19:
                    raise
                say("PostgreSQL has too many clients; waiting")
                await asyncio.sleep(3)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield "PostgreSQL", f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.contextmanager
def given_database(url: str) -> Iterator[tuple[str, str]]:
    yield ("SQLite" if url.startswith("sqlite") else "PostgreSQL"), url


def databases(config: Config) -> list[Callable[[], contextlib.AbstractContextManager[tuple[str, str]]]]:
    if config.database_url:
        return [lambda: given_database(config.database_url)]
    return [sqlite_database, postgres_database]


# -- measuring ---------------------------------------------------------------------------------------
def alternate(config: Config, ours: Callable[[float], Round], theirs: Callable[[float], Round]):
    """Warm both up, then run `config.rounds` pairs, taking turns on who goes first."""
    ours(2), theirs(2)
    pairs = []
    for i in range(config.rounds):
        if i % 2 == 0:
            a = ours(config.seconds)
            b = theirs(config.seconds)
        else:
            b = theirs(config.seconds)
            a = ours(config.seconds)
        pairs.append((a, b))
    return pairs


def worker_round(env: dict[str, str], logs: Path, url: str, workspace_id: str, signal_ids: list[str],
                 *, extractor_first: bool) -> tuple[float, float]:
    """One round of the worker row: (the worker's rate, the extractor's) on the same queued signals."""
    extractor = worker_rate.measure_extractor(url, workspace_id, signal_ids) if extractor_first else None
    servers.worker_burst(env, logs, timeout=600)
    processed = worker_rate.measure_worker(url, workspace_id, signal_ids)
    if extractor is None:
        extractor = worker_rate.measure_extractor(url, workspace_id, signal_ids)
    return processed, extractor


def throughput_row(figure: str, pairs, baseline: str, target: str) -> Row:
    ratio = statistics.median(a.rate / b.rate for a, b in pairs)
    ours = statistics.median(a.rate for a, _ in pairs)
    theirs = statistics.median(b.rate for _, b in pairs)
    return Row(figure, f"{ours:,.1f} req/s", f"{theirs:,.1f} req/s ({baseline})", ratio, target)


class ProxyThread:
    """The counting proxy on an event loop of its own, beside the bench's blocking calls."""

    def __init__(self, host: str, port: int):
        self.proxy = CountingProxy(host, port)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> CountingProxy:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.proxy.start(), self.loop).result()
        return self.proxy

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.proxy.close(), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


def relation_page(first: int) -> int:
    """The largest page (at most 10) for NESTED's relations that keeps the query under the cost limit: at
    `first: 100`, pages of 10 ask for 111,100 nodes and are refused. Round trips do not depend on it."""
    return max(p for p in range(1, 11) if first * (1 + p + p**2 + p**3) <= COST_LIMIT)


def wire_traffic(proxy: CountingProxy, base_url: str, key: str, first: int) -> Traffic:
    """One nested query's traffic: the median of three, after warm-ups fill each pooled connection's
    statement cache (a statement's first use on a connection costs an extra round trip to prepare it)."""
    body = {"query": NESTED, "variables": {"first": first, "page": relation_page(first)}}
    samples = []
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        for i in range(8):
            proxy.reset()
            response = client.post("/graphql", json=body)
            response.raise_for_status()
            assert "errors" not in response.json(), response.text
            time.sleep(0.3)  # whatever the server sends after answering (a ROLLBACK) belongs to this request
            if i >= 5:
                samples.append(proxy.reset())
    return sorted(samples, key=lambda t: t.round_trips)[1]


def cleanup_queue(redis_url: str, queue: str) -> None:
    """Remove the bench's queue and the jobs it still holds (no worker will run them)."""
    client = redis.Redis.from_url(redis_url)
    try:
        for job_id in client.zrange(queue, 0, -1):
            client.delete(b"arq:job:" + job_id)
        client.delete(queue)
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
    finally:
        client.close()


def rss_warm_up(server: servers.Server, auth: dict[str, str]) -> int:
    """The first RSS_WARMUP_REQUESTS requests, in the mix of reads the run makes (80 % `limit=1`, 15 %
    `limit=100`, 5 % the nested query): the RSS they leave is the process's working set for that mix, so
    what the run adds to it is growth. After `limit=1` alone, the first nested query's larger working set
    read as growth (1.19× at 7,000 requests on SQLite, where a mixed warm-up stays flat to the last MiB).
    Creates are left out: their jobs would queue ahead of the worker row's."""
    nested = json.dumps({"query": NESTED, "variables": {"first": 50}})
    parts = (("/external/v1/insights?limit=1", 0.80, "GET", None), ("/external/v1/insights?limit=100", 0.15, "GET", None),
             ("/graphql", 0.05, "POST", nested))
    served = 0
    for path, share, method, body in parts:
        headers = {**auth, "Content-Type": "application/json"} if body else auth
        served += load.requests(server.base_url + path, round(RSS_WARMUP_REQUESTS * share), budget_seconds=300,
                                connections=4, headers=headers, method=method, body=body).requests
    return served


def run_database(config: Config, label: str, url: str, logs: Path) -> Section:
    say(f"{label}: seeding")
    seeded = seed_database(url)
    say(f"{label}: seeded {seeded.rows:,} rows in {seeded.seconds:.0f} s")
    auth = {"Authorization": f"Bearer {seeded.key}"}
    queue = f"signalgraph-bench:{uuid.uuid4().hex[:10]}"
    env = servers.environment(url, redis_url=config.redis_url, queue_name=queue)
    rows: list[Row] = []
    notes = [f"Seeded {seeded.rows:,} rows in {seeded.seconds:.0f} s (bulk inserts through Signalgraph's tables)."]
    started: list[servers.Server] = []
    try:
        ours = servers.signalgraph(env, logs)
        started.append(ours)
        if config.only & {"rest", "nested"}:
            base = servers.uvicorn_factory("baseline", "bench.baseline:create_app", env, logs)
            started.append(base)
        served = 0

        def get(server: servers.Server, path: str, connections: int = 4):
            def go(seconds: float) -> Round:
                nonlocal served
                result = load.run(server.base_url + path, seconds=seconds, connections=connections, headers=auth)
                served += result.requests if server is ours else 0
                return result

            return go

        def post(server: servers.Server, path: str, body: str, connections: int):
            def go(seconds: float) -> Round:
                nonlocal served
                result = load.run(
                    server.base_url + path, seconds=seconds, connections=connections, method="POST", body=body,
                    headers={**auth, "Content-Type": "application/json"},
                )
                served += result.requests if server is ours else 0
                return result

            return go

        if "rss" in config.only:
            say(f"{label}: RSS after the first {RSS_WARMUP_REQUESTS:,} requests")
            served += rss_warm_up(ours, auth)
            rss_first = ours.rss_kib()

        for limit, target in ((1, "≥ 0.70"), (100, "≥ 0.50")) if "rest" in config.only else ():
            say(f"{label}: REST insights limit={limit}")
            path = f"/external/v1/insights?limit={limit}"
            pairs = alternate(config, get(ours, path), get(base, path))
            rows.append(throughput_row(f"REST `GET /external/v1/insights?limit={limit}` req/s", pairs,
                                       f"hand-written handler, limit {limit}", target))

        if "nested" in config.only:
            say(f"{label}: nested GraphQL latency")
            nested = json.dumps({"query": NESTED, "variables": {"first": 50}})
            pairs = alternate(config, post(ours, "/graphql", nested, 1), post(base, "/graphql", nested, 1))
            ratio = statistics.median(a.p50_ms / b.p50_ms for a, b in pairs)
            rows.append(Row(
                "GraphQL `signals(first: 50) { nodes { insights(first: 10) { nodes { opportunities(first: 10) { nodes { ideas(first: 10) { nodes { id name } } } } } } } }` "
                "median latency", f"{statistics.median(a.p50_ms for a, _ in pairs):.1f} ms",
                f"{statistics.median(b.p50_ms for _, b in pairs):.1f} ms (hand-written queries assembled in Python)",
                ratio, "≤ 2.0"))

        if label == "PostgreSQL" and "wire" in config.only:
            rows += round_trip_rows(url, env, seeded.key, logs, notes)

        if "worker" in config.only:
            say(f"{label}: one worker against the extractor ({config.rounds} rounds of {config.worker_signals} signals)")
            pairs = []
            for n in range(config.rounds):
                signal_ids = worker_rate.create_signals(ours.base_url, seeded.key, config.worker_signals, n)
                served += config.worker_signals
                pairs.append(worker_round(env, logs, url, seeded.workspace_id, signal_ids, extractor_first=n % 2 == 0))
            rows.append(Row(
                "signals processed per second by one worker",
                f"{statistics.median(w for w, _ in pairs):.1f} signals/s",
                f"{statistics.median(e for _, e in pairs):.1f} signals/s (local extractor in a loop, no queue)",
                statistics.median(w / e for w, e in pairs), "≥ 0.70",
            ))
            notes.append(f"Worker: {config.rounds} rounds, each of {config.worker_signals} transcript signals created "
                         "through the REST API, queued on Redis and processed by one `signalgraph worker --burst` (rate "
                         "from the job rows' first start to last finish), beside the extractor's rate on the same "
                         "signals, measured before or after the burst in turn; the ratio is the median of the rounds' "
                         "ratios (" + ", ".join(f"{w / e:.2f}" for w, e in pairs) + ").")

        if "post" in config.only:
            say(f"{label}: REST signal creates, enqueue on and off")
            switched_off = servers.uvicorn_factory("without-enqueue", "bench.variants:without_enqueue", env, logs)
            started.append(switched_off)
            create = (
                '{"text": "Customer: exporting the report is really slow. It would be great to schedule it.", '
                '"signalType": "transcript"}'
            )
            pairs = alternate(config, post(ours, "/external/v1/signals", create, 4),
                              post(switched_off, "/external/v1/signals", create, 4))
            rows.append(throughput_row("REST `POST /external/v1/signals` req/s, job enqueued on Redis", pairs,
                                       "the same create with the enqueue switched off", "≥ 0.80"))
            switched_off.stop()

        if "rss" in config.only:
            remaining = config.rss_requests - served
            say(f"{label}: RSS after up to {config.rss_requests:,} requests ({remaining:,} more, at most "
                f"{config.rss_seconds:g} s)")
            if remaining > 0:
                more = load.requests(ours.base_url + "/external/v1/insights?limit=1", remaining,
                                     budget_seconds=config.rss_seconds, connections=4, headers=auth)
                served += more.requests
            rss_last = ours.rss_kib()
            rows.append(Row(f"server RSS after {served:,} requests", f"{rss_last / 1024:.1f} MiB",
                            f"{rss_first / 1024:.1f} MiB after the first {RSS_WARMUP_REQUESTS:,}",
                            rss_last / rss_first, "≤ 1.10"))
            if served < config.rss_requests:
                notes.append(
                    f"RSS: {served:,} requests fit in the time given (SIGNALGRAPH_BENCH_RSS_SECONDS="
                    f"{config.rss_seconds:g}), not {config.rss_requests:,}: every request of the run counts (all "
                    "rows), topped up with `GET /external/v1/insights?limit=1`.")
    finally:
        for server in started:
            if not server.stopped and server.process.poll() is not None:
                say(f"{server.name} had exited with status {server.process.returncode}")
            server.stop()
        cleanup_queue(config.redis_url, queue)
    return Section(f"{label} (`{make_url(url).render_as_string(hide_password=True)}`)", rows, notes)


def round_trip_rows(url: str, env: dict[str, str], key: str, logs: Path, notes: list[str]) -> list[Row]:
    """The nested query's round trips to PostgreSQL, through the counting proxy, at first: 1 and 100."""
    say("PostgreSQL: round trips on the wire")
    target = make_url(url)
    rows = []
    with ProxyThread(target.host or "127.0.0.1", target.port or 5432) as proxy:
        proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        counted_env = {**env, "SIGNALGRAPH_DATABASE_URL": proxied}
        ours = servers.signalgraph(counted_env, logs, name="signalgraph-counted")
        base = servers.uvicorn_factory("baseline-counted", "bench.baseline:create_app", counted_env, logs)
        try:
            for first in (1, 100):
                traffic = wire_traffic(proxy, ours.base_url, key, first)
                theirs = wire_traffic(proxy, base.base_url, key, first)
                page = relation_page(first)
                rows.append(Row(
                    f"round trips to PostgreSQL, nested query at `first: {first}`"
                    + (f" (relations `first: {page}`, under the cost limit)" if page != 10 else ""),
                    f"{traffic.round_trips} ({len(traffic.statements)} statements)",
                    f"{NESTED_DEPTH + 2} = depth {NESTED_DEPTH} + 2 (the baseline app: {theirs.round_trips})",
                    traffic.round_trips / (NESTED_DEPTH + 2), "≤ 1.00"))
                kinds = ", ".join(f"{word} {n}" for word, n in sorted(traffic.kinds().items()))
                notes.append(f"Wire at `first: {first}`: Signalgraph sent {kinds}; the baseline "
                             f"{', '.join(f'{w} {n}' for w, n in sorted(theirs.kinds().items()))}.")
        finally:
            ours.stop()
            base.stop()
    return rows


def seed_database(url: str):
    return asyncio.run(seed(url))


def main() -> int:
    config = Config.from_env()
    load.wrk_binary()
    machine = report.machine()
    sections, broken = [], False
    with tempfile.TemporaryDirectory(prefix="signalgraph-bench-logs-") as tmp:
        for n, database in enumerate(databases(config)):
            logs = Path(tmp) / str(n)
            logs.mkdir()
            try:
                with database() as (label, url):
                    sections.append(run_database(config, label, url, logs))
            except Exception as exc:  # noqa: BLE001 - the other database still runs; the run exits 2
                broken = True
                traceback.print_exc()
                for log in sorted(logs.rglob("*.log")):
                    say(f"--- {log.name} (last lines)\n{log.read_text()[-2000:]}")
                name = "SQLite" if database is sqlite_database else "PostgreSQL" if database is postgres_database else "database"
                sections.append(Section(f"{name}: the run broke", [], [f"{type(exc).__name__}: {exc}"]))
    text = report.markdown(machine, sections, config.describe())
    print(text)
    if config.complete:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(text)
        say(f"written to {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    else:
        say(f"only {', '.join(sorted(config.only))} (SIGNALGRAPH_BENCH_ONLY): {RESULTS.name} left as it was")
    if broken:
        return 2
    return 0 if all(row.met for section in sections for row in section.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
