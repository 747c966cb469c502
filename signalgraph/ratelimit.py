"""Rate limits per API key: a GCRA token bucket from throttled-py, shared through Redis when it is configured.

Each key may make `settings.rate_limit_per_minute` requests a minute, in bursts of up to
`settings.rate_limit_burst` (a full bucket); either at 0 switches limiting off. A REST request costs one;
a GraphQL request one for each started 100 points of its query cost (schema/query_cost.py), at least one,
as GitHub counts, and never more than a full bucket (a query that dear waits for the bucket to fill).
With Redis, every server process takes from the same bucket (an atomic Lua script on Redis's clock);
without, each process has its own. When Redis does not answer, requests are let through (logged once):
the limit protects the server, and an outage of Redis must not become one of the API.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass

from redis.exceptions import RedisError
from throttled.asyncio import MemoryStore, RateLimiterType, RedisStore, Throttled, per_min
from throttled.exceptions import BaseThrottledError

from .settings import Settings

logger = logging.getLogger(__name__)

COST_POINTS_PER_REQUEST = 100
KEY_PREFIX = "signalgraph:ratelimit"
REDIS_TIMEOUT_SECONDS = 1.0
STORE_PAUSE_SECONDS = 30.0
MEMORY_KEYS = 100_000  # buckets one process keeps without Redis (least recently used go first)


@dataclass(frozen=True)
class Allowance:
    """What the limiter answered for one request, as the RateLimit-* headers tell it."""

    limit: int  # requests a minute
    burst: int
    remaining: int
    reset_seconds: int  # until the bucket is full again
    retry_after: int | None  # seconds to wait, when refused

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_seconds),
            "RateLimit-Policy": f"{self.limit};w=60;burst={self.burst}",
        }
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers

    def message(self) -> str:
        return (
            f"Rate limit exceeded: {self.limit} requests a minute for this API key; "
            f"retry in {self.retry_after} s"
        )


def graphql_units(cost: int | None) -> int:
    """A GraphQL request's charge: one per started 100 points of cost, at least one."""
    return max(1, math.ceil((cost or 0) / COST_POINTS_PER_REQUEST))


class RateLimiter:
    def __init__(self, settings: Settings):
        self.per_minute = settings.rate_limit_per_minute
        self.burst = settings.rate_limit_burst
        self.enabled = self.per_minute > 0 and self.burst > 0
        self._failing = False
        self._paused_until = 0.0  # after the store failed, requests pass without asking it for a while
        if not self.enabled:
            return
        store = (
            RedisStore(
                server=settings.redis_url,
                options={"SOCKET_TIMEOUT": REDIS_TIMEOUT_SECONDS, "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT_SECONDS},
            )
            if settings.redis_url
            else MemoryStore(options={"MAX_SIZE": MEMORY_KEYS})
        )
        self._throttled = Throttled(
            using=RateLimiterType.GCRA.value,
            quota=per_min(self.per_minute, burst=self.burst),
            store=store,
            key_prefix=KEY_PREFIX,
        )

    async def charge(self, key_prefix: str, units: int = 1) -> Allowance | None:
        """Take `units` from the key's bucket; None when limiting is off or the store does not answer."""
        if not self.enabled or time.monotonic() < self._paused_until:
            return None
        units = max(1, min(units, self.burst))
        try:
            # A bound on the whole charge, not only on each socket operation: redis-py connects under its
            # pool's lock, so against a Redis that hangs, concurrent requests would each wait their turn.
            async with asyncio.timeout(REDIS_TIMEOUT_SECONDS):
                result = await self._throttled.limit(key_prefix, cost=units)
        except (BaseThrottledError, RedisError, OSError, TimeoutError) as exc:
            if not self._failing:
                logger.warning(
                    "rate limits are not enforced: Redis does not answer (%s); asking again in %.0f s",
                    str(exc) or type(exc).__name__, STORE_PAUSE_SECONDS,
                )
            self._failing = True
            self._paused_until = time.monotonic() + STORE_PAUSE_SECONDS
            return None
        if self._failing:
            logger.info("rate limits are enforced again")
            self._failing = False
        state = result.state
        return Allowance(
            limit=self.per_minute,
            burst=self.burst,
            remaining=max(0, int(state.remaining)),
            reset_seconds=max(0, math.ceil(state.reset_after)),
            retry_after=max(1, math.ceil(state.retry_after)) if result.limited else None,
        )
