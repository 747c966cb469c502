"""API keys: format, hashing, creation and lookup → Principal.

A key is `sg_<prefix>_<secret>`. The prefix is stored in clear to identify the key (`keys list`,
`keys revoke`); the whole key is stored only as a SHA-256 hash, which is enough for a random
256-bit secret (no password stretching needed). A key past its `expires_at` is refused like a revoked one.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import logs
from .scopes import Scope, parse_scopes
from .storage.engine import Database
from .storage.models import ApiKey, Workspace
from .storage.models.base import utcnow
from .storage.repositories import workspaces as repo

logger = logging.getLogger(__name__)

KEY_PREFIX = "sg"
# What a refusal of the caller's key answers with (RFC 6750), REST 401s and GraphQL alike.
WWW_AUTHENTICATE = 'Bearer realm="signalgraph"'
# `api_keys.last_used_at` is as precise as this: a key is written at most once per interval.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """Who is calling: one API key of one workspace, with its scopes."""

    workspace_id: str
    workspace_name: str
    key_id: str
    key_name: str
    key_prefix: str
    scopes: frozenset[Scope]

    def has(self, scope: Scope) -> bool:
        return scope in self.scopes


@dataclass(frozen=True)
class CreatedKey:
    key: str
    prefix: str
    workspace_id: str
    workspace_created: bool
    expires_at: datetime | None = None


@dataclass(frozen=True)
class RotatedKey:
    new: CreatedKey
    old_prefix: str
    old_stops_at: datetime  # now when revoked at once, else the end of the grace period


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> str | None:
    """The prefix of a well-formed key, or None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8 or len(parts[2]) < 32:
        return None
    return parts[1]


def _new_key(workspace_id: str, name: str, scopes: list[str], expires_at: datetime | None) -> tuple[str, ApiKey]:
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(
        workspace_id=workspace_id, name=name, prefix=prefix, key_hash=hash_key(key), scopes=scopes,
        expires_at=expires_at,
    )
    return key, row


async def create_key(
    db: Database, workspace: str, name: str, scopes: list[Scope], *, expires_in: timedelta | None = None
) -> CreatedKey:
    expires_at = utcnow() + expires_in if expires_in is not None else None
    async with db.write() as session:
        ws, created = await repo.get_or_create_workspace(session, workspace)
        key, row = _new_key(ws.id, name, [s.value for s in scopes], expires_at)
        await repo.add_api_key(session, row)
    return CreatedKey(key=key, prefix=row.prefix, workspace_id=ws.id, workspace_created=created, expires_at=expires_at)


async def rotate_key(
    db: Database, prefix: str, *, grace: timedelta | None = None, expires_in: timedelta | None = None
) -> RotatedKey | None:
    """A new key with the old one's workspace, name and scopes; the old one is revoked now, or expires at the
    end of `grace`. The new key lives `expires_in`, or as long as the old one was given. None when no usable
    key has that prefix."""
    now = utcnow()
    async with db.write() as session:
        found = await repo.api_key_by_prefix(session, prefix)
        if found is None or refusal(found[0], now) is not None:
            return None
        old, workspace = found
        if expires_in is None and old.expires_at is not None:
            expires_in = old.expires_at - old.created_at
        expires_at = now + expires_in if expires_in is not None else None
        key, row = _new_key(workspace.id, old.name, list(old.scopes), expires_at)
        await repo.add_api_key(session, row)
        if grace:
            stops_at = min(now + grace, old.expires_at or now + grace)
            await repo.expire_api_key(session, old.id, stops_at)
        else:
            stops_at = now
            await repo.revoke_api_key(session, old.prefix, now)
    created = CreatedKey(key=key, prefix=row.prefix, workspace_id=workspace.id, workspace_created=False,
                         expires_at=expires_at)
    return RotatedKey(new=created, old_prefix=old.prefix, old_stops_at=stops_at)


def refusal(api_key: ApiKey, now: datetime) -> str | None:
    """Why a key with the right secret is refused, or None when it may be used."""
    if api_key.revoked_at is not None:
        return "API key has been revoked"
    if api_key.expires_at is not None and api_key.expires_at <= now:
        return "API key has expired"
    return None


class KeyUsage:
    """Records when each key was last used, at most once per LAST_USED_RESOLUTION per key, never with a write
    per request: the lookup already read the stored time, so a recent one costs nothing; otherwise this process
    writes it once (a conditional UPDATE, which leaves a time another process wrote meanwhile), in the
    background, so no request waits for it."""

    def __init__(self, db: Database):
        self._db = db
        self._written: dict[str, datetime] = {}  # key id → the last time this process wrote for it
        self._pending: set[asyncio.Task[None]] = set()

    def used(self, api_key: ApiKey, now: datetime) -> None:
        known = [t for t in (api_key.last_used_at, self._written.get(api_key.id)) if t is not None]
        if known and now - max(known) < LAST_USED_RESOLUTION:
            return
        self._written[api_key.id] = now
        task = asyncio.get_running_loop().create_task(self._write(api_key.id, now))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _write(self, key_id: str, now: datetime) -> None:
        try:
            async with self._db.write() as session:
                await repo.touch_api_key(session, key_id, now, now - LAST_USED_RESOLUTION)
        except Exception as exc:  # noqa: BLE001 - a lost timestamp must never fail or log a traceback per request
            logger.warning("could not record the last use of API key %s: %s", key_id, exc)

    async def flush(self) -> None:
        """Wait for the writes under way (at shutdown, before the database is closed)."""
        if self._pending:
            await asyncio.gather(*self._pending)


class KeyCache:
    """The keys this process looked up, kept for `seconds` (SIGNALGRAPH_KEY_CACHE_SECONDS): a request whose key
    was read within that time reads no row, where the look-up was a transaction of its own on every request.

    So a key revoked or rotated away (by the CLI, or another process) still works here for up to `seconds`;
    an expiry date is compared with the time on every request, so a key expires on time. The secret is
    checked against the stored hash every time; keys not found are not kept (a new key works at once), and
    at most MAX_KEYS are (the cache starts over when full). `seconds` 0 switches it off.
    """

    MAX_KEYS = 10_000

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._keys: dict[str, tuple[float, ApiKey, Workspace]] = {}

    def get(self, prefix: str) -> tuple[ApiKey, Workspace] | None:
        kept = self._keys.get(prefix)
        if kept is None:
            return None
        if self._clock() - kept[0] >= self.seconds:
            del self._keys[prefix]
            return None
        return kept[1], kept[2]

    def put(self, prefix: str, found: tuple[ApiKey, Workspace]) -> None:
        if self.seconds <= 0:
            return
        if len(self._keys) >= self.MAX_KEYS:
            self._keys.clear()
        self._keys[prefix] = (self._clock(), *found)


async def authenticate(
    db: Database, authorization: str | None, usage: KeyUsage | None = None, keys: KeyCache | None = None
) -> tuple[Principal | None, str | None]:
    """(principal, None) for a valid bearer key, else (None, why) with a message for the caller. With `usage`,
    the key's use is recorded; with `keys`, a key read in the last few seconds is not read again."""
    if not authorization:
        return None, "Missing API key: send 'Authorization: Bearer <key>'"
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return None, "Malformed Authorization header: expected 'Bearer <key>'"
    prefix = split_key(key)
    if prefix is None:
        return None, "Invalid API key"
    found = keys.get(prefix) if keys is not None else None
    if found is None:
        async with db.read_autocommit() as session:  # one statement: no BEGIN and ROLLBACK around it
            found = await repo.api_key_by_prefix(session, prefix)
        if found is not None and keys is not None:
            keys.put(prefix, found)
    if found is None or not hmac.compare_digest(found[0].key_hash, hash_key(key)):
        return None, "Invalid API key"
    api_key, workspace = found
    now = utcnow()
    if (why := refusal(api_key, now)) is not None:
        return None, why
    if usage is not None:
        usage.used(api_key, now)
    logs.record_caller(api_key.prefix, workspace.id)
    return (
        Principal(
            workspace_id=workspace.id,
            workspace_name=workspace.name,
            key_id=api_key.id,
            key_name=api_key.name,
            key_prefix=api_key.prefix,
            scopes=frozenset(parse_scopes(api_key.scopes)),
        ),
        None,
    )
