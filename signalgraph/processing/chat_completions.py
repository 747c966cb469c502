"""The one client for OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, …) that every model call
goes through: structured output, retries, a per-request timeout, a token budget and usage accounting.

- **Structured output.** Asks for `response_format: json_schema` with the caller's schema. A server that
  refuses it (a 400 naming `response_format` or `json_schema`: older vLLM, many proxies) is remembered for
  the rest of the process and asked for `json_object` instead; a server that ignores it (older Ollama)
  answers prose or fenced JSON, which is unwrapped. Either way the caller validates the answer.
- **Retries.** 408, 409, 429 and 5xx answers, timeouts and refused connections are retried
  `settings.llm_max_retries` times, after the server's `Retry-After` (or `retry-after-ms`) when it sends
  one, else after an exponential, jittered delay. A server asking for a wait longer than
  `MAX_RETRY_AFTER_SECONDS` fails the call: the job retries later instead of sleeping through its time.
- **Budget.** Every answer's `usage` (or, when a server reports none, an estimate of four characters a
  token) is added to the caller's `TokenUsage`; a request that would go past `settings.llm_token_budget`
  is not sent (`BudgetExhausted`). The job keeps one `TokenUsage` across its tries and records it.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from ..settings import Settings

MAX_RETRY_AFTER_SECONDS = 60.0
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0
RETRIED_STATUSES = frozenset({408, 409, 429})
CHARS_PER_TOKEN = 4
ERROR_EXCERPT = 300
TEXT_MAX = 20_000
SCHEMA_REFUSAL = re.compile(r"response_format|json_schema|structured output|guided", re.IGNORECASE)
FENCED = re.compile(r"```(?:json)?\s*(?P<body>.*?)```", re.DOTALL)

# Endpoints ((chat URL, model)) that refused `json_schema` in this process: asked for `json_object` since.
JSON_SCHEMA_REFUSED: set[tuple[str, str]] = set()


class ModelError(Exception):
    """The model endpoint failed, or its answer cannot be used."""


class BudgetExhausted(ModelError):
    """The job's token budget is spent: another try would spend more, so the job fails for good."""


@dataclass
class TokenUsage:
    """Tokens a job's model calls used (across its tries), as the servers reported them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    requests: int = 0
    estimated: bool = False  # some answer carried no usage: its tokens were estimated from its length

    def add(self, usage: Any, prompt_chars: int, completion_chars: int) -> None:
        self.requests += 1
        counts = usage if isinstance(usage, dict) else {}
        prompt, completion = counts.get("prompt_tokens"), counts.get("completion_tokens")
        if not isinstance(prompt, int) or not isinstance(completion, int):
            self.estimated = True
            prompt, completion = prompt_chars // CHARS_PER_TOKEN, completion_chars // CHARS_PER_TOKEN
        total = counts.get("total_tokens")
        self.prompt_tokens += prompt
        self.completion_tokens += completion
        self.total_tokens += total if isinstance(total, int) and total >= prompt + completion else prompt + completion

    def as_json(self) -> dict[str, Any]:
        return {
            "promptTokens": self.prompt_tokens,
            "completionTokens": self.completion_tokens,
            "totalTokens": self.total_tokens,
            "requests": self.requests,
            "estimated": self.estimated,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> TokenUsage:
        data = data or {}
        return cls(
            prompt_tokens=int(data.get("promptTokens", 0)),
            completion_tokens=int(data.get("completionTokens", 0)),
            total_tokens=int(data.get("totalTokens", 0)),
            requests=int(data.get("requests", 0)),
            estimated=bool(data.get("estimated", False)),
        )


@dataclass(frozen=True)
class Completion:
    content: str
    truncated: bool  # finish_reason "length": the answer was cut at the output limit


def retry_after(response: httpx.Response) -> float | None:
    """The wait the server asks for: `retry-after-ms`, or `Retry-After` in seconds or as an HTTP date."""
    millis = response.headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(moment.timestamp() - time.time(), 0.0)


def error_message(response: httpx.Response) -> str:
    """The server's own words: OpenAI and Ollama nest them in `error`, vLLM puts `message` at the top."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:ERROR_EXCERPT]
    if isinstance(body, dict):
        error = body.get("error")
        message = error.get("message") if isinstance(error, dict) else error
        message = message or body.get("message") or body.get("detail")
        if isinstance(message, str):
            return message[:ERROR_EXCERPT]
    return response.text[:ERROR_EXCERPT]


def json_text(content: str) -> str:
    """The JSON in an answer: as is, or inside a ``` fence or prose (servers that ignore the format)."""
    stripped = content.strip()
    if stripped.startswith(("{", "[")):
        return stripped
    fenced = FENCED.search(stripped)
    if fenced:
        return fenced.group("body").strip()
    start, end = stripped.find("{"), stripped.rfind("}")
    return stripped[start : end + 1] if 0 <= start < end else stripped


def parse_json(content: str) -> Any:
    try:
        return orjson.loads(json_text(content))
    except orjson.JSONDecodeError:
        raise ModelError("LLM answer is not valid JSON") from None


def wrong_shape(path: str, requirement: str) -> ModelError:
    return ModelError(f"LLM answer has the wrong shape: {path} {requirement}")


def answer_string(value: Any, path: str, *, optional: bool = False, max_length: int = TEXT_MAX) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise wrong_shape(path, "must be a non-empty string" + (" or null" if optional else ""))
    if len(value) > max_length:
        raise wrong_shape(path, f"must be at most {max_length} characters")
    return value.strip()


def answer_choice(value: Any, allowed: tuple[str, ...], path: str) -> str:
    if value not in allowed:
        raise wrong_shape(path, f"must be one of {', '.join(allowed)}")
    return value


def answer_list(value: Any, path: str, *, required: bool = True) -> list[Any]:
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise wrong_shape(path, "must be a list")
    return value


def answer_object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise wrong_shape(path, "must be an object")
    return value



class ChatClient:
    """Chat completions on `settings.llm_base_url`, spending from (and recording into) `usage`."""

    def __init__(
        self,
        settings: Settings,
        usage: TokenUsage | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        assert settings.llm_base_url is not None and settings.llm_model is not None
        self.url = settings.llm_base_url.rstrip("/") + "/chat/completions"
        self.model = settings.llm_model
        self.api_key = settings.llm_api_key
        self.timeout = settings.llm_timeout_seconds
        self.max_retries = settings.llm_max_retries
        self.budget = settings.llm_token_budget
        self.usage = usage if usage is not None else TokenUsage()
        self._sleep = sleep  # how a retry waits (tests record it)

    @property
    def structured(self) -> bool:
        return (self.url, self.model) not in JSON_SCHEMA_REFUSED

    async def complete_json(
        self, system: str, user: str, schema_name: str, schema: dict[str, Any]
    ) -> Completion:
        """One answer to (system, user), asked for as JSON matching `schema`."""
        body: dict[str, Any] = {
            "model": self.model,
            "temperature": 0,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }
        if self.structured:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "strict": True, "schema": schema},
            }
            try:
                return await self._post(body)
            except _SchemaRefused:
                JSON_SCHEMA_REFUSED.add((self.url, self.model))
        body["response_format"] = {"type": "json_object"}
        return await self._post(body)

    def _spend(self, payload: bytes) -> None:
        if not self.budget:
            return
        if self.usage.total_tokens + len(payload) // CHARS_PER_TOKEN > self.budget:
            raise BudgetExhausted(
                f"LLM token budget of {self.budget} tokens is spent "
                f"({self.usage.total_tokens} used in {self.usage.requests} requests)"
            )

    async def _post(self, body: dict[str, Any]) -> Completion:
        payload = orjson.dumps(body)
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            for attempt in range(self.max_retries + 1):
                self._spend(payload)
                wait: float | None = None
                try:
                    response = await client.post(self.url, content=payload, headers=headers)
                except httpx.TimeoutException:
                    failure = f"LLM request timed out after {self.timeout:g}s"
                except httpx.HTTPError as exc:
                    failure = f"LLM request failed: {exc}"
                else:
                    if response.status_code == 200:
                        return self._completion(response, len(payload))
                    message = error_message(response)
                    failure = f"LLM endpoint answered HTTP {response.status_code}: {message}"
                    if (
                        response.status_code == 400
                        and "json_schema" in str(body.get("response_format"))
                        and SCHEMA_REFUSAL.search(message)
                    ):
                        raise _SchemaRefused(failure)
                    if response.status_code not in RETRIED_STATUSES and response.status_code < 500:
                        raise ModelError(failure)
                    wait = retry_after(response)
                if attempt == self.max_retries:
                    break
                if wait is None:
                    wait = min(BACKOFF_BASE_SECONDS * 2**attempt, BACKOFF_CAP_SECONDS) * random.uniform(0.5, 1)
                elif wait > MAX_RETRY_AFTER_SECONDS:
                    raise ModelError(f"{failure} (asked to retry after {wait:g}s)")
                await self._sleep(wait)
        raise ModelError(f"{failure} (after {self.max_retries + 1} tries)" if self.max_retries else failure)

    def _completion(self, response: httpx.Response, prompt_chars: int) -> Completion:
        try:
            answer = response.json()
            choice = answer["choices"][0]
            message = choice["message"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise ModelError("LLM response is not a chat completion") from None
        content = message.get("content") if isinstance(message, dict) else None
        self.usage.add(answer.get("usage"), prompt_chars, len(content) if isinstance(content, str) else 0)
        if not isinstance(content, str) or not content.strip():
            refusal = message.get("refusal") if isinstance(message, dict) else None
            if isinstance(refusal, str) and refusal:
                raise ModelError(f"the model refused: {refusal[:ERROR_EXCERPT]}")
            raise ModelError("LLM response is not a chat completion")
        return Completion(content=content, truncated=choice.get("finish_reason") == "length")


class _SchemaRefused(ModelError):
    """A 400 that refuses `json_schema`: ask again with `json_object`."""
