"""The processes under load: `signalgraph serve`, the baseline and bench-only variants, and one worker.

Each server is one process with one uvicorn worker on a free port, logging warnings only (no access
log: neither side pays for one), started and stopped by the bench.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    base_url: str
    log: Path
    stopped: bool = False

    def rss_kib(self) -> int:
        """Resident memory of the server process now, from /proc."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError(f"no VmRSS for {self.name}")

    def stop(self) -> None:
        self.stopped = True
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def environment(database_url: str, **settings: str) -> dict[str, str]:
    """The process environment: SIGNALGRAPH_* settings, warnings-only logs, the bench importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIGNALGRAPH_")}
    # The load comes from one key: the rate limit per key is off, or it would measure the limiter.
    env.update({"SIGNALGRAPH_DATABASE_URL": database_url, "SIGNALGRAPH_LOG_LEVEL": "WARNING",
                "SIGNALGRAPH_RATE_LIMIT_PER_MINUTE": "0"})
    env.update({f"SIGNALGRAPH_{k.upper()}": v for k, v in settings.items()})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def start(name: str, argv: list[str], env: dict[str, str], port: int, logs: Path) -> Server:
    log = logs / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    server = Server(name, process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited at start-up:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=5).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"{name} did not become ready:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def signalgraph(env: dict[str, str], logs: Path, name: str = "signalgraph") -> Server:
    """`signalgraph serve`, as an operator starts it."""
    port = free_port()
    return start(name, [str(BIN / "signalgraph"), "serve", "--port", str(port)], env, port, logs)


def uvicorn_factory(name: str, factory: str, env: dict[str, str], logs: Path) -> Server:
    """An app factory under the same uvicorn, one worker, warnings only (as `signalgraph serve` runs)."""
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port), "--log-level", "warning"]
    return start(name, argv, env, port, logs)


def worker_burst(env: dict[str, str], logs: Path, timeout: float) -> None:
    """`signalgraph worker --burst`: runs until the queue is empty."""
    with (logs / "worker.log").open("w") as out:
        subprocess.run(
            [str(BIN / "signalgraph"), "worker", "--burst"], env=env, cwd=ROOT, stdout=out,
            stderr=subprocess.STDOUT, timeout=timeout, check=True,
        )
