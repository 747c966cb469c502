"""`Idempotency-Key` on POST and PATCH: the first response for (key, API key, method, path) is kept 24 hours
and replayed to retries; the same key with a different request is 422, and while the first request is
still running, 409.

The key is claimed with one INSERT that fails on conflict, in the database every server process shares.
Only successful responses are kept: after an error the claim is released, so a corrected retry may
reuse the key. A claim whose request never finished (a crashed process) is taken over after a while.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import timedelta

from starlette.responses import Response

from ..auth import Principal
from ..storage.engine import Database
from ..storage.models import IdempotencyRecord
from ..storage.models.base import utcnow
from ..storage.repositories import idempotency as repo
from .errors import RestError

HEADER = "Idempotency-Key"
METHODS = ("POST", "PATCH")
TTL = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=2)
MAX_KEY_LENGTH = 255
# Visible ASCII, no spaces: what any HTTP client sends unchanged (HTTP trims spaces around a header value).
KEY_PATTERN = re.compile(r"^[\x21-\x7e]+$")
REPLAYED = "Idempotent-Replayed"


@dataclass(frozen=True)
class Claim:
    record_id: str


async def begin(
    db: Database, principal: Principal, key: str, method: str, path: str, fingerprint: str
) -> Claim | Response:
    """Own the key for this request (a Claim), or the stored response to replay; RestError on misuse."""
    if len(key) > MAX_KEY_LENGTH or not KEY_PATTERN.fullmatch(key):
        raise RestError(400, f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters, without spaces")
    record_id = _record_id(principal, key, method, path)
    for _ in range(3):
        now = utcnow()
        async with db.write() as session:
            await repo.delete_expired(session, principal.key_id, now)
            record = IdempotencyRecord(
                id=record_id,
                workspace_id=principal.workspace_id,
                api_key_id=principal.key_id,
                key=key,
                method=method,
                path=path,
                fingerprint=fingerprint,
                created_at=now,
                expires_at=now + TTL,
            )
            if await repo.claim(session, record):
                return Claim(record_id)
            existing = await repo.get(session, record_id)
            if existing is None or await repo.delete_if_abandoned(
                session, record_id, now, now - ABANDONED_AFTER
            ):
                continue
        if existing.fingerprint != fingerprint:
            raise RestError(422, f"{HEADER} has already been used for a different request")
        if existing.completed_at is None:
            raise RestError(409, f"A request with this {HEADER} is still in progress; retry later")
        return _replay(existing)
    raise RestError(409, f"A request with this {HEADER} is still in progress; retry later")


async def forget(db: Database, principal: Principal, key: str, method: str, path: str) -> None:
    """Drop the kept response for this key, so that the next request with it runs anew."""
    async with db.write() as session:
        await repo.forget(session, _record_id(principal, key, method, path))


def _record_id(principal: Principal, key: str, method: str, path: str) -> str:
    return hashlib.sha256(f"{principal.key_id}\n{method}\n{path}\n{key}".encode()).hexdigest()


async def finish(db: Database, claim: Claim, response: Response) -> None:
    """Keep a successful response for replay; release the key after any other outcome."""
    async with db.write() as session:
        if 200 <= response.status_code < 300:
            headers = {k: v for k, v in response.headers.items() if k.startswith("x-") or k == "content-type"}
            await repo.complete(
                session,
                claim.record_id,
                response.status_code,
                headers,
                bytes(response.body).decode(),
                utcnow(),
            )
        else:
            await repo.release(session, claim.record_id)


async def release(db: Database, claim: Claim) -> None:
    async with db.write() as session:
        await repo.release(session, claim.record_id)


def _replay(record: IdempotencyRecord) -> Response:
    headers = {**(record.headers or {}), REPLAYED: "true"}
    return Response(content=record.body or "", status_code=record.status_code or 200, headers=headers)
