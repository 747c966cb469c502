"""A local stand-in for an OpenAI-compatible chat-completions endpoint, served by uvicorn in the test loop.

Tests set `answer` to what the next requests get: a JSON-able completion content (dict or str), an
HTTP status, or a delay; every request is recorded.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.serving import serving


@dataclass
class Answer:
    content: Any = None  # a dict is sent as JSON text; a str as is
    status: int = 200
    delay: float = 0.0
    raw: Any = None  # a whole response body instead of a chat completion


@dataclass
class FakeLLM:
    base_url: str = ""
    answer: Answer = field(default_factory=Answer)
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def completions(self, request: Request) -> Response:
        self.requests.append({"headers": dict(request.headers), "body": await request.json()})
        answer = self.answer
        if answer.delay:
            try:
                await asyncio.wait_for(self.release.wait(), answer.delay)
            except TimeoutError:
                pass
        if answer.status != 200:
            return JSONResponse({"error": {"message": "upstream exploded"}}, status_code=answer.status)
        if answer.raw is not None:
            return JSONResponse(answer.raw)
        content = answer.content if isinstance(answer.content, str) else orjson.dumps(answer.content).decode()
        return JSONResponse({"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]})


@asynccontextmanager
async def serve_fake_llm() -> AsyncIterator[FakeLLM]:
    fake = FakeLLM()
    app = Starlette(routes=[Route("/v1/chat/completions", fake.completions, methods=["POST"])])
    async with serving(app, lifespan="off") as base_url:
        fake.base_url = base_url + "/v1"
        try:
            yield fake
        finally:
            fake.release.set()  # a slow answer still pending ends now, so the server can stop
