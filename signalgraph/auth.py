"""API keys: format, hashing, creation and lookup → Principal.

A key is `sg_<prefix>_<secret>`. The prefix is stored in clear to identify the key (`keys list`,
`keys revoke`); the whole key is stored only as a SHA-256 hash, which is enough for a random
256-bit secret (no password stretching needed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from .scopes import Scope, parse_scopes
from .storage.engine import Database
from .storage.models import ApiKey
from .storage.repositories import workspaces as repo

KEY_PREFIX = "sg"


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


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def split_key(key: str) -> str | None:
    """The prefix of a well-formed key, or None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8 or len(parts[2]) < 32:
        return None
    return parts[1]


async def create_key(db: Database, workspace: str, name: str, scopes: list[Scope]) -> CreatedKey:
    prefix = secrets.token_hex(4)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    async with db.write() as session:
        ws, created = await repo.get_or_create_workspace(session, workspace)
        await repo.add_api_key(
            session,
            ApiKey(
                workspace_id=ws.id,
                name=name,
                prefix=prefix,
                key_hash=hash_key(key),
                scopes=[s.value for s in scopes],
            ),
        )
    return CreatedKey(key=key, prefix=prefix, workspace_id=ws.id, workspace_created=created)


async def authenticate(db: Database, authorization: str | None) -> tuple[Principal | None, str | None]:
    """(principal, None) for a valid bearer key, else (None, why) with a message for the caller."""
    if not authorization:
        return None, "Missing API key: send 'Authorization: Bearer <key>'"
    scheme, _, key = authorization.strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        return None, "Malformed Authorization header: expected 'Bearer <key>'"
    prefix = split_key(key)
    if prefix is None:
        return None, "Invalid API key"
    async with db.read() as session:
        found = await repo.api_key_by_prefix(session, prefix)
    if found is None or not hmac.compare_digest(found[0].key_hash, hash_key(key)):
        return None, "Invalid API key"
    api_key, workspace = found
    if api_key.revoked_at is not None:
        return None, "API key has been revoked"
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
