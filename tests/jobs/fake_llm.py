"""A local stand-in for an OpenAI-compatible chat-completions server, served over HTTP by uvicorn in the
test loop, answering the way each of the servers Signalgraph is pointed at does:

- `openai`: OpenAI's API. Supports `json_schema` (models that do not answer a 400 naming
  `response_format`); errors are `{"error": {"message", "type", "param", "code"}}`; usage carries
  `prompt_tokens_details`.
- `ollama`: Ollama's `/v1` endpoint. Older releases ignore a `json_schema` format and answer prose with
  a fenced JSON block; errors are nested under `error` too; usage has the three counts.
- `vllm`: vLLM's OpenAI-compatible server. Older releases refuse `json_schema` with a validation 400;
  errors are `{"object": "error", "message", "type", "param", "code"}` at the top level.

Tests set `answer` (every request), or `script` (the next requests, in order), or `respond` (an answer
computed from the request body); every request is recorded with its headers, the time it came and the content answered.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.serving import serving

COUNTED = "counted"  # usage computed from the lengths, as servers report it


@dataclass
class Answer:
    content: Any = None  # a dict or list is sent as JSON text; a str as is
    status: int = 200
    delay: float = 0.0
    raw: Any = None  # a whole response body instead of a chat completion
    finish_reason: str = "stop"
    usage: Any = COUNTED  # COUNTED, a usage object, or None to send none
    headers: dict[str, str] = field(default_factory=dict)  # e.g. {"Retry-After": "2"}
    message: str = "upstream exploded"  # the error message of a status other than 200


SCHEMA_SUPPORT = {"openai": "supported", "ollama": "ignored", "vllm": "refused"}


@dataclass
class FakeLLM:
    flavour: str = "openai"
    json_schema: str = ""  # supported | refused | ignored; the flavour's default when empty
    base_url: str = ""
    answer: Answer = field(default_factory=Answer)
    script: list[Answer] = field(default_factory=list)
    respond: Callable[[dict[str, Any]], Answer] | None = None
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.json_schema = self.json_schema or SCHEMA_SUPPORT[self.flavour]

    def _error(self, status: int, message: str, headers: dict[str, str], kind: str = "server_error") -> Response:
        if self.flavour == "vllm":
            body = {"object": "error", "message": message, "type": kind, "param": None, "code": status}
        else:
            body = {"error": {"message": message, "type": kind, "param": None, "code": None}}
        return JSONResponse(body, status_code=status, headers=headers)

    def _usage(self, answer: Answer, body: dict[str, Any], content: str) -> Any:
        if answer.usage != COUNTED:
            return answer.usage
        prompt = len(orjson.dumps(body["messages"])) // 4
        usage: dict[str, Any] = {"prompt_tokens": prompt, "completion_tokens": len(content) // 4,
                                 "total_tokens": prompt + len(content) // 4}
        if self.flavour == "openai":
            usage["prompt_tokens_details"] = {"cached_tokens": 0}
        return usage

    async def completions(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append({"headers": dict(request.headers), "body": body, "at": time.monotonic()})
        requested = (body.get("response_format") or {}).get("type")
        if requested == "json_schema" and self.json_schema == "refused":
            if self.flavour == "vllm":
                message = ("[{'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
                           "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}]")
                return self._error(400, message, {}, "BadRequestError")
            return self._error(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported "
                               "with this model.", {}, "invalid_request_error")
        answer = self.respond(body) if self.respond else self.script.pop(0) if self.script else self.answer
        if answer.delay:
            try:
                await asyncio.wait_for(self.release.wait(), answer.delay)
            except TimeoutError:
                pass
        if answer.status != 200:
            return self._error(answer.status, answer.message, answer.headers)
        if answer.raw is not None:
            return JSONResponse(answer.raw, headers=answer.headers)
        content = answer.content if isinstance(answer.content, str) else orjson.dumps(answer.content).decode()
        if requested == "json_schema" and self.json_schema == "ignored":
            content = f"Here is the analysis you asked for:\n\n```json\n{content}\n```\n"
        self.requests[-1]["content"] = content
        completion: dict[str, Any] = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": answer.finish_reason}],
        }
        usage = self._usage(answer, body, content)
        if usage is not None:
            completion["usage"] = usage
        if self.flavour == "ollama":
            completion["system_fingerprint"] = "fp_ollama"
        return JSONResponse(completion, headers=answer.headers)


@asynccontextmanager
async def serve_fake_llm(flavour: str = "openai", json_schema: str = "") -> AsyncIterator[FakeLLM]:
    fake = FakeLLM(flavour=flavour, json_schema=json_schema)
    app = Starlette(routes=[Route("/v1/chat/completions", fake.completions, methods=["POST"])])
    async with serving(app, lifespan="off") as base_url:
        fake.base_url = base_url + "/v1"
        try:
            yield fake
        finally:
            fake.release.set()  # a slow answer still pending ends now, so the server can stop
