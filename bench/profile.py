"""Where a route's time goes: py-spy samples `signalgraph serve` while wrk drives one route.

    .venv/bin/python -m bench.profile [rest1|rest100|nested] [seconds]   # SQLite unless SIGNALGRAPH_BENCH_DATABASE_URL

Prints the share of the samples spent in each library (by the innermost frame that is not the
standard library's asyncio plumbing) and the functions with the highest inclusive share, and keeps
the flame graph (speedscope JSON, open at https://www.speedscope.app) next to the log. bench/README.md
records what it showed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from . import load, servers
from .__main__ import Config, databases, seed_database
from .baseline import NESTED

ROUTES = {
    "rest1": ("GET", "/external/v1/insights?limit=1", None),
    "rest100": ("GET", "/external/v1/insights?limit=100", None),
    "nested": ("POST", "/graphql", json.dumps({"query": NESTED, "variables": {"first": 50}})),
}
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^:]*):?(?P<line>\d*)\)$")
LIBRARIES = (
    ("graphql-core", "/graphql/"),
    ("strawberry", "/strawberry/"),
    ("sqlalchemy", "/sqlalchemy/"),
    ("sqlmodel/pydantic", ("/sqlmodel/", "/pydantic")),
    ("aiosqlite/sqlite3", ("/aiosqlite/", "/sqlite3/")),
    ("asyncpg", "/asyncpg/"),
    ("starlette", "/starlette/"),
    ("uvicorn/h11", ("/uvicorn/", "/h11/")),
    ("signalgraph", "/signalgraph/"),
    ("asyncio", "/asyncio/"),
)


PLUMBING = ("asyncio", "uvicorn", "starlette", "other")


def _name(frame: re.Match) -> str:
    path = Path(frame["file"])
    return f"{frame['func']} ({path.parent.name}/{path.name}:{frame['line']})"


def library(path: str) -> str:
    for name, needles in LIBRARIES:
        if any(n in "/" + path for n in ((needles,) if isinstance(needles, str) else needles)):
            return name
    return "other (stdlib, threads)"


def summarize(raw: Path, top: int = 30) -> str:
    """Self time by library, and the functions with the most inclusive time, from py-spy's raw stacks."""
    by_library: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = [FRAME.match(f) for f in stack.split(";")[1:]]
        frames = [f for f in frames if f]
        if not frames or (frames[-1]["func"] == "_connection_worker_thread"):
            continue  # an aiosqlite thread waiting for work (py-spy does not see queue.get as idle)
        total += count
        leaf = next((f for f in reversed(frames) if "/asyncio/" not in f["file"]), frames[-1])
        by_library[library(leaf["file"])] += count
        by_function[_name(leaf)] += count
        for name in {_name(f) for f in frames if not library(f["file"]).startswith(PLUMBING)}:
            inclusive[name] += count
    lines = [f"{total} samples", "", "self time by library:"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in by_library.most_common()]
    lines += ["", f"top {top} functions by self time:"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in by_function.most_common(top)]
    lines += ["", f"top {top} functions by inclusive time (server and asyncio plumbing left out):"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in inclusive.most_common(top)]
    return "\n".join(lines)


def main() -> int:
    route = sys.argv[1] if len(sys.argv) > 1 else "rest100"
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    method, path, body = ROUTES[route]
    config = Config.from_env()
    out = Path(tempfile.mkdtemp(prefix="signalgraph-profile-"))
    with databases(config)[0]() as (label, url):
        seeded = seed_database(url)
        env = servers.environment(url, redis_url=config.redis_url, queue_name="signalgraph-bench:profile")
        server = servers.signalgraph(env, out)
        try:
            headers = {"Authorization": f"Bearer {seeded.key}", "Content-Type": "application/json"}
            load.run(server.base_url + path, seconds=8, connections=4, headers=headers, method=method, body=body)
            raw = out / f"{route}.txt"
            spy = subprocess.Popen([
                str(servers.BIN / "py-spy"), "record", "--pid", str(server.process.pid), "--rate", "200",
                "--duration", str(seconds), "--format", "raw", "--output", str(raw), "--threads",
            ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            driven = load.run(server.base_url + path, seconds=seconds, connections=4, headers=headers,
                              method=method, body=body)
            spy.wait(timeout=seconds + 60)
        finally:
            server.stop()
    print(f"{label}: {method} {path}: {driven.rate:.1f} req/s under the profiler (wrk -c4, {seconds} s)")
    print(summarize(raw))
    print(f"\nraw stacks: {raw}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
