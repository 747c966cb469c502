"""Load from `wrk` (C, from Debian), so the client never competes with the servers' Python for the GIL.

Each run gets a generated Lua script: the method, headers and body of the request, an optional stop
after a number of responses, and a `done` hook that prints the summary as JSON for us to read.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SCRIPT = """
wrk.method = "{method}"
{headers}
wrk.body = {body}
local stop_after = {stop_after}
local answered = 0
{response_hook}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {{"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, '
    .. '"p50_us": %d, "mean_us": %.1f}}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency.mean))
end
"""
RESPONSE_HOOK = """
function response(status, headers, body)
  answered = answered + 1
  if answered >= stop_after then wrk.thread:stop() end
end
"""


class LoadError(RuntimeError):
    """wrk failed, or the server answered errors: the figure would be meaningless."""


class ServerErrors(LoadError):
    """The server answered some requests with errors (or dropped them), or none at all in time."""

    def __init__(self, message: str, *, unanswered: bool = False):
        super().__init__(message)
        self.unanswered = unanswered


@dataclass(frozen=True)
class Round:
    requests: int
    seconds: float
    p50_ms: float
    mean_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_binary() -> str:
    """`wrk`, installed from Debian the first time it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("bench: wrk is missing; installing it with apt-get", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, check=False, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, stdout=subprocess.DEVNULL, check=True)
    found = shutil.which("wrk")
    if not found:
        raise LoadError("wrk could not be installed; install it (apt-get install wrk) and run again")
    return found


def _lua_string(text: str) -> str:
    level = "=" * 4
    assert f"]{level}]" not in text
    return f"[{level}[{text}]{level}]"


def run(url: str, *, retries: int = 4, **options) -> Round:
    """One wrk run (see `once`), repeated after a pause when the server answered errors (on a shared machine, PostgreSQL
    may refuse connections for a moment): at most `retries` times, each one said on stderr."""
    for attempt in range(retries + 1):
        try:
            return once(url, **options)
        except ServerErrors as error:
            if attempt == retries:
                raise
            print(f"bench: {error}; repeating the round", file=sys.stderr, flush=True)
            if error.unanswered:  # slower than the round is long (a cold pool, a loaded machine): longer
                options["seconds"] = options["seconds"] * 2
            else:
                time.sleep(10)
    raise AssertionError("unreachable")


def requests(url: str, count: int, *, budget_seconds: float, **options) -> Round:
    """About `count` requests, or as many as `budget_seconds` allow. wrk runs for its whole duration even
    after a script stops its thread, so the count is reached in runs sized by the rate seen so far."""
    done, elapsed, rate = 0, 0.0, 0.0
    while done < count and elapsed < budget_seconds:
        # At most 10 s a run: the first second (connections opening) may be far slower than the rest.
        seconds = 2.0 if not rate else min(max(1.0, (count - done) / rate), 10.0, budget_seconds - elapsed)
        result = run(url, seconds=max(1.0, seconds), stop_after=count - done, **options)
        done, elapsed = done + result.requests, elapsed + result.seconds
        rate = result.rate or 1.0
    return Round(requests=done, seconds=elapsed, p50_ms=0.0, mean_ms=0.0)


def once(
    url: str,
    *,
    seconds: float,
    connections: int,
    headers: dict[str, str],
    method: str = "GET",
    body: str | None = None,
    stop_after: int = 0,
) -> Round:
    """One wrk run of `seconds` (or until `stop_after` responses) with `connections` open connections."""
    lines = "\n".join(f"wrk.headers[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in headers.items())
    script = SCRIPT.format(
        method=method,
        headers=lines,
        body=_lua_string(body) if body is not None else "nil",
        stop_after=stop_after,
        response_hook=RESPONSE_HOOK if stop_after else "",
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lua"
        path.write_text(script)
        argv = [
            wrk_binary(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s",
            "-s", str(path), url,
        ]
        done = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=seconds + 60)
    summary = next((line for line in done.stdout.splitlines() if line.startswith("WRK-JSON ")), None)
    if done.returncode != 0 or summary is None:
        raise LoadError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    data = json.loads(summary.removeprefix("WRK-JSON "))
    if data["requests"] == 0:
        raise ServerErrors(f"{url}: no request was answered in {seconds:g} s", unanswered=True)
    if data["status_errors"] or data["socket_errors"]:
        raise ServerErrors(
            f"{url}: {data['status_errors']} error responses and {data['socket_errors']} socket errors "
            f"in {data['requests']} requests"
        )
    return Round(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
    )
