"""CPU per request, in-process: Signalgraph's app and the baseline driven through httpx's ASGI transport.

    .venv/bin/python -m bench.cpu [rest1 rest100 nested]   # SQLite unless SIGNALGRAPH_BENCH_DATABASE_URL

No server, no load generator, no socket: each side answers the same requests one at a time in this
process, and `time.process_time` (this process and its threads, so aiosqlite's too) is divided by the
requests, alternating sides in three rounds (median). Quicker feedback than `make bench` (under a minute
after seeding) and steadier on a shared machine, but it leaves out the server (uvicorn, the event loop
implementation), which `make bench` counts; use it to compare two versions of the code, and `make bench`
for the figures of the table. bench/README.md ("CPU") records what it showed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import sys
import time

import httpx

from signalgraph.app import create_app
from signalgraph.settings import Settings

from .__main__ import Config, databases
from .baseline import NESTED
from .baseline import create_app as baseline_app
from .seed import seed

ROUTES = {
    "rest1": ("GET", "/external/v1/insights?limit=1", None),
    "rest100": ("GET", "/external/v1/insights?limit=100", None),
    "nested": ("POST", "/graphql", json.dumps({"query": NESTED, "variables": {"first": 50}})),
}
ROUNDS, REQUESTS, WARM_UP = 3, 30, 5


async def measure(url: str, routes: list[str]) -> list[str]:
    key = (await seed(url)).key
    apps = {"signalgraph": create_app(Settings(database_url=url, rate_limit_per_minute=0, log_level="WARNING")),
            "baseline": baseline_app(url)}
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    lines = []
    async with contextlib.AsyncExitStack() as stack:
        clients = {}
        for name, app in apps.items():
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app)
            clients[name] = await stack.enter_async_context(httpx.AsyncClient(transport=transport, base_url="http://bench"))
        for route in routes:
            method, path, body = ROUTES[route]
            spent: dict[str, list[float]] = {name: [] for name in clients}
            for name, client in clients.items():
                for _ in range(WARM_UP):
                    response = await client.request(method, path, headers=headers, content=body)
                    response.raise_for_status()
            for n in range(ROUNDS):
                for name in sorted(clients, reverse=n % 2 == 1):  # who goes first alternates
                    started = time.process_time()
                    for _ in range(REQUESTS):
                        await clients[name].request(method, path, headers=headers, content=body)
                    spent[name].append((time.process_time() - started) / REQUESTS * 1000)
            ours, theirs = (statistics.median(spent[name]) for name in ("signalgraph", "baseline"))
            lines.append(f"{route}: Signalgraph {ours:.1f} ms, baseline {theirs:.1f} ms of CPU a request; "
                         f"baseline/Signalgraph {theirs / ours:.2f}")
    return lines


def main() -> int:
    routes = sys.argv[1:] or list(ROUTES)
    with databases(Config.from_env())[0]() as (label, url):
        for line in asyncio.run(measure(url, routes)):
            print(f"{label}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
