"""Real servers for tests, on free local ports: an ASGI app behind uvicorn on the test's own event loop,
or `signalgraph serve` as a process of its own."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Literal

import httpx
import uvicorn


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Without it, Nagle's algorithm and delayed ACKs add ~40 ms to every keep-alive request.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def serving(app: Any, *, lifespan: Literal["on", "off"] = "on") -> AsyncIterator[str]:
    """Serve `app` until the block ends; yields its base URL, `http://127.0.0.1:<port>`."""
    sock = free_socket()
    # Keep-alive outlasts the gaps between a test's requests: with uvicorn's 5 s, the server could close a
    # pooled connection just as the client sent on it again (httpx.ReadError).
    config = uvicorn.Config(app, log_level="warning", lifespan=lifespan, timeout_keep_alive=3600)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # start-up failed: raise its error
            await asyncio.sleep(0.01)
        host, port = sock.getsockname()
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def free_port() -> int:
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    return port


@contextmanager
def serve_process(
    env: dict[str, str], *, stdout: Any = subprocess.DEVNULL, stderr: Any = subprocess.DEVNULL
) -> Iterator[tuple[subprocess.Popen, str]]:
    """`signalgraph serve` as its own process with `env`; yields it and its base URL, and stops it after.
    `stderr` (the log) may be a file: a pipe nobody reads would fill and stop the server."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "signalgraph.cli", "serve", "--port", str(port)],
        env=env, stdout=stdout, stderr=stderr, text=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_ready(base_url: str, timeout: float = 180) -> None:
    """Poll /readyz until it answers 200 (a bound on waiting for start-up, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base_url}/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, f"{base_url} did not become ready"
        time.sleep(0.2)


async def send_raw(base_url: httpx.URL, data: bytes) -> bytes:
    """Bytes no HTTP client would send, straight to the server: its answer, up to when it closes the
    connection, after a pause for the app to finish with the request."""
    reader, writer = await asyncio.open_connection(base_url.host, base_url.port)
    try:
        writer.write(data)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout=10)
        await asyncio.sleep(0.2)
        return answer
    finally:
        writer.close()
