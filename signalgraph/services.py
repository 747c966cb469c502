"""The long-lived services of one process (the server, a worker or the CLI): built once, passed down.

Everything above the storage layer reaches the database, the job queue and the settings through it, so
no module reads the environment or opens its own engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .auth import KeyCache, KeyUsage
from .ratelimit import RateLimiter
from .settings import Settings
from .storage.engine import Database

if TYPE_CHECKING:
    from .jobs.extractor_pool import ExtractorPool
    from .jobs.queue import JobQueue


@dataclass
class Services:
    """What lives for the whole process: built once by the app (or a worker, or the CLI)."""

    settings: Settings
    db: Database
    queue: JobQueue
    extractor_pool: ExtractorPool | None = None  # a worker's local extractor in processes of its own
    key_usage: KeyUsage = field(init=False)  # api_keys.last_used_at, written at most once a minute per key
    keys: KeyCache = field(init=False)  # the keys looked up in the last settings.key_cache_seconds
    limiter: RateLimiter = field(init=False)  # requests per API key (ratelimit.py)

    def __post_init__(self) -> None:
        self.key_usage = KeyUsage(self.db)
        self.keys = KeyCache(self.settings.key_cache_seconds)
        self.limiter = RateLimiter(self.settings)
