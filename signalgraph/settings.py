"""The one settings object, read from SIGNALGRAPH_* environment variables.

Everything else receives a `Settings` instance; nothing below this module reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./signalgraph.db"
SUPPORTED_DATABASE_SCHEMES = ("sqlite+aiosqlite://", "postgresql+asyncpg://")


class SettingsError(ValueError):
    """A bad environment value; the message is one line naming the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    # Jobs: a running job heartbeats; one whose heartbeat is older than this lost its worker and is re-queued.
    processing_timeout_seconds: int = 60
    job_max_tries: int = 5
    job_timeout_seconds: int = 300
    # A failed try is retried after job_retry_delay_seconds * 2**(tries - 1) (capped), job_max_tries in all.
    job_retry_delay_seconds: float = 5.0
    sweep_interval_seconds: int = 60
    # Processes a `signalgraph worker` runs the local extractor in (jobs/extractor_pool.py); 0: a thread of
    # the worker's own. The server's in-process runner always uses a thread.
    worker_extractor_processes: int = 1
    queue_name: str = "signalgraph:queue"
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_model: str | None = None
    llm_timeout_seconds: float = 60.0  # one chat-completions request
    llm_max_retries: int = 3  # of a request answered 429/5xx or timed out, within one try of a job
    llm_token_budget: int = 200_000  # tokens one job may spend over all its tries; 0: no limit
    llm_chunk_chars: int = 12_000  # a longer text is sent in overlapping chunks of about this size
    log_level: str = "INFO"
    log_format: str = "text"  # or "json": one object a line
    # /metrics is open to loopback; from elsewhere it needs `Authorization: Bearer <metrics_token>`.
    metrics_token: str | None = None
    # Per API key (ratelimit.py): requests a minute, and the most at once (a full bucket); 0 switches it off.
    rate_limit_per_minute: int = 3000
    rate_limit_burst: int = 3000
    # An API key read from the database serves this process's requests for this long without being read again:
    # a revoked key stops working within it (auth.KeyCache). 0: read on every request.
    key_cache_seconds: float = 5.0
    # Browser origins allowed to call the API (CORS); empty: no CORS headers at all. ("*",) allows any origin.
    cors_origins: tuple[str, ...] = ()
    # Host headers served (TrustedHostMiddleware): names, `*.example.com`; empty: any host.
    allowed_hosts: tuple[str, ...] = ()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(f"SIGNALGRAPH_{name}")
            return value if value not in (None, "") else None

        def get_int(name: str, default: int, low: int, high: int) -> int:
            raw = get(name)
            if raw is None:
                return default
            try:
                value = int(raw)
            except ValueError:
                raise SettingsError(f"SIGNALGRAPH_{name} must be an integer, got {raw!r}") from None
            if not low <= value <= high:
                raise SettingsError(f"SIGNALGRAPH_{name} must be between {low} and {high}, got {value}")
            return value

        database_url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
        if not database_url.startswith(SUPPORTED_DATABASE_SCHEMES):
            raise SettingsError(
                "SIGNALGRAPH_DATABASE_URL must start with "
                + " or ".join(SUPPORTED_DATABASE_SCHEMES)
                + f", got {database_url!r}"
            )
        redis_url = get("REDIS_URL")
        if redis_url is not None and not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError(f"SIGNALGRAPH_REDIS_URL must be a redis:// or rediss:// URL, got {redis_url!r}")
        llm_base_url = get("LLM_BASE_URL")
        if llm_base_url is not None and not llm_base_url.startswith(("http://", "https://")):
            raise SettingsError(f"SIGNALGRAPH_LLM_BASE_URL must be an http(s) URL, got {llm_base_url!r}")
        log_level = (get("LOG_LEVEL") or "INFO").upper()
        if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise SettingsError(f"SIGNALGRAPH_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
        log_format = (get("LOG_FORMAT") or "text").lower()
        if log_format not in ("text", "json"):
            raise SettingsError(f"SIGNALGRAPH_LOG_FORMAT must be text or json, got {log_format!r}")
        llm_timeout = get_int("LLM_TIMEOUT_SECONDS", 60, 1, 3600)
        if llm_base_url is not None and get("LLM_MODEL") is None:
            raise SettingsError("SIGNALGRAPH_LLM_MODEL is required when SIGNALGRAPH_LLM_BASE_URL is set")
        cors_origins = _cors_origins(get("CORS_ORIGINS"))
        rate_limit_per_minute = get_int("RATE_LIMIT_PER_MINUTE", 3000, 0, 10_000_000)
        return cls(
            database_url=database_url,
            redis_url=redis_url,
            host=get("HOST") or "127.0.0.1",
            port=get_int("PORT", 8000, 1, 65535),
            processing_timeout_seconds=get_int("PROCESSING_TIMEOUT_SECONDS", 60, 5, 86400),
            job_max_tries=get_int("JOB_MAX_TRIES", 5, 1, 100),
            job_timeout_seconds=get_int("JOB_TIMEOUT_SECONDS", 300, 1, 86400),
            job_retry_delay_seconds=float(get_int("JOB_RETRY_DELAY_SECONDS", 5, 0, 3600)),
            sweep_interval_seconds=get_int("SWEEP_INTERVAL_SECONDS", 60, 1, 3600),
            worker_extractor_processes=get_int("WORKER_EXTRACTOR_PROCESSES", 1, 0, 64),
            queue_name=get("QUEUE_NAME") or "signalgraph:queue",
            llm_base_url=llm_base_url,
            llm_api_key=get("LLM_API_KEY"),
            llm_model=get("LLM_MODEL"),
            llm_timeout_seconds=float(llm_timeout),
            llm_max_retries=get_int("LLM_MAX_RETRIES", 3, 0, 10),
            llm_token_budget=get_int("LLM_TOKEN_BUDGET", 200_000, 0, 100_000_000),
            llm_chunk_chars=get_int("LLM_CHUNK_CHARS", 12_000, 1_000, 1_000_000),
            log_level=log_level,
            log_format=log_format,
            metrics_token=get("METRICS_TOKEN"),
            rate_limit_per_minute=rate_limit_per_minute,
            rate_limit_burst=get_int("RATE_LIMIT_BURST", rate_limit_per_minute, 0, 10_000_000),
            key_cache_seconds=float(get_int("KEY_CACHE_SECONDS", 5, 0, 3600)),
            cors_origins=cors_origins,
            allowed_hosts=_allowed_hosts(get("ALLOWED_HOSTS")),
        )


def _cors_origins(raw: str | None) -> tuple[str, ...]:
    """`https://app.example.com,http://localhost:3000` or `*`: scheme://host[:port] each, no paths."""
    if raw is None:
        return ()
    origins = tuple(origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip())
    for origin in origins:
        if origin == "*":
            continue
        scheme, _, rest = origin.partition("://")
        if scheme not in ("http", "https") or not rest or "/" in rest:
            raise SettingsError(
                f"SIGNALGRAPH_CORS_ORIGINS must be comma-separated origins like https://app.example.com, got {origin!r}"
            )
    if "*" in origins and len(origins) > 1:
        raise SettingsError("SIGNALGRAPH_CORS_ORIGINS is either * or a list of origins, not both")
    return origins


def _allowed_hosts(raw: str | None) -> tuple[str, ...]:
    """`api.example.com,*.example.com,localhost`: host names (no scheme, port or path), `*.` wildcards."""
    if raw is None:
        return ()
    hosts = tuple(host.strip().lower() for host in raw.split(",") if host.strip())
    for host in hosts:
        name = host.removeprefix("*.")
        if host == "*":
            continue
        if not name or any(c in name for c in "/:*@ ") or name.startswith(".") or name.endswith("."):
            raise SettingsError(
                f"SIGNALGRAPH_ALLOWED_HOSTS must be comma-separated host names like api.example.com, got {host!r}"
            )
    return hosts
