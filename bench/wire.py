"""Round trips to PostgreSQL counted on the wire: a TCP proxy that reads the frontend protocol.

Why a proxy: pg_stat_statements needs a server restart (`shared_preload_libraries`) on a shared server
and does not see the server's own pool pings; event hooks inside the server see only what SQLAlchemy
chooses to report. The proxy sees every byte the server process sends, whatever library sent it.

Every message a client sends after start-up is a type byte and a length. A client waits for the
server once per simple `Query` ('Q') and once per `Sync` ('S', which ends an extended-protocol
exchange: asyncpg's Parse/Bind/Execute): those are the round trips. Statements are counted per simple
query and per `Execute` ('E'), and kept with their text (BEGIN, ROLLBACK, SELECT …) to show where the
round trips go. TLS and GSS encryption requests are answered "no" by the proxy itself, so the stream
stays readable (the bench's PostgreSQL is local).
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass, field

SSL_REQUEST, GSSENC_REQUEST = 80877103, 80877104


@dataclass
class Traffic:
    """What clients sent through the proxy since the last `reset`."""

    round_trips: int = 0
    statements: list[str] = field(default_factory=list)

    def kinds(self) -> dict[str, int]:
        """Statements by their first word: {'SELECT': 6, 'BEGIN': 5, 'ROLLBACK': 5}."""
        counts: dict[str, int] = {}
        for text in self.statements:
            word = (text.split(None, 1) or ["(empty)"])[0].upper().rstrip(";") or "(empty)"
            counts[word] = counts.get(word, 0) + 1
        return counts


class CountingProxy:
    """Listens on 127.0.0.1:<port> and forwards to PostgreSQL at `upstream`, counting as it goes."""

    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.traffic = Traffic()
        self._server: asyncio.Server | None = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.sockets[0].getsockname()[1]

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def reset(self) -> Traffic:
        """The traffic so far; counting starts again from zero."""
        seen, self.traffic = self.traffic, Traffic()
        return seen

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        back = asyncio.create_task(_pipe(upstream_reader, writer))
        try:
            await self._frontend(reader, writer, upstream_writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            upstream_writer.close()
            await asyncio.gather(back, return_exceptions=True)
            writer.close()

    async def _frontend(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, upstream: asyncio.StreamWriter
    ) -> None:
        # Start-up: untyped messages (length, code); encryption requests are refused here.
        while True:
            head = await reader.readexactly(8)
            length, code = struct.unpack("!II", head)
            rest = await reader.readexactly(length - 8)
            if code in (SSL_REQUEST, GSSENC_REQUEST):
                writer.write(b"N")
                await writer.drain()
                continue
            upstream.write(head + rest)
            break
        statements: dict[bytes, str] = {}  # prepared statement name → text
        portals: dict[bytes, str] = {}  # portal name → text
        while True:
            head = await reader.readexactly(5)
            kind, length = head[:1], struct.unpack("!I", head[1:])[0]
            body = await reader.readexactly(length - 4)
            self._count(kind, body, statements, portals)
            upstream.write(head + body)
            await upstream.drain()

    def _count(self, kind: bytes, body: bytes, statements: dict[bytes, str], portals: dict[bytes, str]) -> None:
        if kind == b"Q":
            self.traffic.round_trips += 1
            self.traffic.statements.append(body.rstrip(b"\0").decode(errors="replace").strip())
        elif kind == b"S":
            self.traffic.round_trips += 1
        elif kind == b"P":  # Parse: statement name, query text
            name, _, rest = body.partition(b"\0")
            statements[name] = rest.partition(b"\0")[0].decode(errors="replace").strip()
        elif kind == b"B":  # Bind: portal name, statement name
            portal, _, rest = body.partition(b"\0")
            portals[portal] = statements.get(rest.partition(b"\0")[0], "?")
        elif kind == b"E":  # Execute: portal name
            self.traffic.statements.append(portals.get(body.partition(b"\0")[0], "?"))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()
