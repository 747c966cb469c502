"""The hand-written baseline Signalgraph is measured against: Starlette + SQLAlchemy Core, no GraphQL.

It serves two things over the same database as Signalgraph, with the same key check (the key's
prefix looked up with its workspace, the SHA-256 of the whole key compared in constant time, revoked
keys refused, the scope checked):

- `GET /external/v1/insights?limit=&offset=`: the key lookup, the count, the page and the three link
  queries (opportunities, ideas, tags), rendered with orjson into bytes identical to Signalgraph's body
  (tests/test_bench_baseline.py holds it to that), with the same paging headers.
- `POST /graphql` for one document only, the nested
  `signals(first: $first) { nodes { insights(first: 10) { nodes { opportunities(first: 10) { nodes {
  ideas(first: 10) { nodes { id name } } } } } } } }` (each relation a page of 10): the key
  lookup and one query per level selecting only the columns needed, assembled in Python into the same
  `{"data": …}` body Signalgraph answers.

Run it with `uvicorn --factory bench.baseline:create_app`; it reads SIGNALGRAPH_DATABASE_URL as the
server does. Reads run in autocommit on PostgreSQL (no BEGIN/ROLLBACK), on one connection per request.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}

# Only the columns the two handlers read, declared here rather than imported from Signalgraph's models,
# so that the baseline stays a hand-written program over the same tables.
metadata = MetaData()
JSONValue = JSON().with_variant(JSONB(), "postgresql")
workspaces = Table("workspaces", metadata, Column("id", String, primary_key=True))
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String, primary_key=True),
    Column("workspace_id", String),
    Column("prefix", String),
    Column("key_hash", String),
    Column("scopes", JSONValue),
    Column("revoked_at", DateTime(timezone=True)),
)
insights = Table(
    "insights",
    metadata,
    Column("id", String, primary_key=True),
    Column("workspace_id", String),
    Column("name", String),
    Column("description", String),
    Column("status", String),
    Column("type", String),
    Column("product_id", String),
    Column("created_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True)),
)
signals = Table(
    "signals",
    metadata,
    Column("id", String, primary_key=True),
    Column("workspace_id", String),
    Column("public_number", Integer),
    Column("created_at", DateTime(timezone=True)),
)
opportunities = Table(
    "opportunities",
    metadata,
    Column("id", String, primary_key=True),
    Column("workspace_id", String),
    Column("created_at", DateTime(timezone=True)),
)
ideas = Table(
    "ideas",
    metadata,
    Column("id", String, primary_key=True),
    Column("workspace_id", String),
    Column("name", String),
    Column("created_at", DateTime(timezone=True)),
)


def _link(name: str, left: str, right: str) -> Table:
    return Table(name, metadata, Column(left, String), Column(right, String), Column("workspace_id", String))


insight_opportunities = _link("insight_opportunities", "insight_id", "opportunity_id")
insight_ideas = _link("insight_ideas", "insight_id", "idea_id")
insight_tags = _link("insight_tags", "insight_id", "tag_id")
signal_insights = _link("signal_insights", "signal_id", "insight_id")
opportunity_ideas = _link("opportunity_ideas", "opportunity_id", "idea_id")

KEY_LOOKUP = (
    select(api_keys.c.key_hash, api_keys.c.scopes, api_keys.c.revoked_at, workspaces.c.id)
    .join(workspaces, workspaces.c.id == api_keys.c.workspace_id)
)
INSIGHT_LINKS = (
    ("opportunityIds", insight_opportunities, "opportunity_id"),
    ("ideaIds", insight_ideas, "idea_id"),
    ("tagIds", insight_tags, "tag_id"),
)
# The one GraphQL document the baseline answers, with the scopes Signalgraph checks on its way down.
NESTED = (
    "query Nested($first: Int!, $page: Int = 10) { signals(first: $first) { nodes { insights(first: $page) {"
    " nodes { opportunities(first: $page) { nodes { ideas(first: $page) { nodes { id name } } } } } } } } }"
)
RELATION_PAGE = 10  # the page size of each nested relation in NESTED, unless the variable `page` says otherwise
NESTED_DEPTH = 4  # signals → insights → opportunities → ideas
NESTED_SCOPES = ("signals:read", "insights:read", "opportunities:read", "ideas:read")


class Refused(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message

    def response(self) -> Response:
        body = {"statusCode": self.status, "message": self.message, "error": REASONS[self.status]}
        return Response(orjson.dumps(body), status_code=self.status, media_type="application/json")


def iso(value: datetime) -> str:
    """ISO-8601 in UTC with `Z`, milliseconds only when there are any (as Signalgraph renders it)."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds").replace("+00:00", "Z")


async def authorize(conn: AsyncConnection, authorization: str | None, scopes: Iterable[str]) -> str:
    """The workspace id of a valid bearer key holding `scopes`, else Refused (401/403)."""
    scheme, _, key = (authorization or "").strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Refused(401, "Missing API key: send 'Authorization: Bearer <key>'")
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "sg" or len(parts[1]) != 8 or len(parts[2]) < 32:
        raise Refused(401, "Invalid API key")
    row = (await conn.execute(KEY_LOOKUP.where(api_keys.c.prefix == parts[1]))).first()
    if row is None or not hmac.compare_digest(row.key_hash, hashlib.sha256(key.encode()).hexdigest()):
        raise Refused(401, "Invalid API key")
    if row.revoked_at is not None:
        raise Refused(401, "API key has been revoked")
    for scope in scopes:
        if scope not in row.scopes:
            raise Refused(403, f"Missing scope: {scope}")
    return row.id


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise Refused(400, f"{name} must be an integer") from None
    if value < 0:
        raise Refused(400, f"{name} must not be negative")
    return value


async def _linked_ids(conn: AsyncConnection, link: Table, column: str, workspace_id: str, keys: list[str]):
    grouped: dict[str, list[str]] = defaultdict(list)
    other = link.c[column]
    stmt = (
        select(link.c.insight_id, other)
        .where(link.c.insight_id.in_(keys), link.c.workspace_id == workspace_id)
        .order_by(other)
    )
    for key, value in await conn.execute(stmt):
        grouped[key].append(value)
    return grouped


async def list_insights(engine: AsyncEngine, request: Request) -> Response:
    try:
        limit = min(_int_param(request, "limit", DEFAULT_LIMIT), MAX_LIMIT)
        offset = _int_param(request, "offset", 0)
        async with engine.connect() as conn:
            ws = await authorize(conn, request.headers.get("authorization"), ("insights:read",))
            total = (
                await conn.execute(select(func.count()).select_from(insights).where(insights.c.workspace_id == ws))
            ).scalar_one()
            rows = (
                await conn.execute(
                    select(insights)
                    .where(insights.c.workspace_id == ws)
                    .order_by(insights.c.created_at.desc(), insights.c.id.desc())
                    .limit(limit)
                    .offset(offset)
                )
            ).all()
            keys = [row.id for row in rows]
            links = {name: await _linked_ids(conn, t, col, ws, keys) for name, t, col in INSIGHT_LINKS} if keys else {}
    except Refused as refused:
        return refused.response()
    body = [
        {
            "id": row.id,
            "name": row.name,
            "description": row.description,
            "status": row.status,
            "type": row.type,
            "productId": row.product_id,
            "createdAt": iso(row.created_at),
            "updatedAt": iso(row.updated_at),
            **{name: links[name].get(row.id, []) for name, _, _ in INSIGHT_LINKS},
        }
        for row in rows
    ]
    headers = {
        "X-Total-Count": str(total),
        "X-Limit": str(limit),
        "X-Offset": str(offset),
        "X-Has-More": "true" if offset + len(rows) < total else "false",
    }
    return Response(orjson.dumps(body), media_type="application/json", headers=headers)


async def _children(
    conn: AsyncConnection, link: Table, left: str, target: Table, ws: str, keys: list[str], size: int, *cols
):
    """Each key's first `size` linked rows (`cols` of `target`), ordered as Signalgraph orders a relation."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    if not keys:
        return grouped
    right = next(c for c in link.c if c.name not in (left, "workspace_id"))
    stmt = (
        select(link.c[left], *cols)
        .join(target, target.c.id == right)
        .where(link.c[left].in_(keys), link.c.workspace_id == ws, target.c.workspace_id == ws)
        .order_by(target.c.created_at, target.c.id)
    )
    for row in await conn.execute(stmt):
        if len(grouped[row[0]]) < size:
            grouped[row[0]].append(row)
    return grouped


async def nested_signals(engine: AsyncEngine, request: Request) -> Response:
    """The nested signals → insights → opportunities → ideas page, one query per level."""
    body = orjson.loads(await request.body())
    variables = body.get("variables") or {}
    first = min(int(variables.get("first", DEFAULT_LIMIT)), MAX_LIMIT)
    size = min(int(variables.get("page", RELATION_PAGE)), MAX_LIMIT)
    try:
        async with engine.connect() as conn:
            ws = await authorize(conn, request.headers.get("authorization"), NESTED_SCOPES)
            page = (
                await conn.execute(
                    select(signals.c.id)
                    .where(signals.c.workspace_id == ws)
                    .order_by(signals.c.created_at.desc(), signals.c.public_number.desc())
                    .limit(first)
                )
            ).scalars().all()
            by_signal = await _children(conn, signal_insights, "signal_id", insights, ws, page, size, insights.c.id)
            insight_ids = list({row.id for rows in by_signal.values() for row in rows})
            by_insight = await _children(
                conn, insight_opportunities, "insight_id", opportunities, ws, insight_ids, size, opportunities.c.id
            )
            opportunity_ids = list({row.id for rows in by_insight.values() for row in rows})
            by_opportunity = await _children(
                conn, opportunity_ideas, "opportunity_id", ideas, ws, opportunity_ids, size, ideas.c.id, ideas.c.name
            )
    except Refused as refused:
        return refused.response()
    ideas_of = {key: [{"id": r.id, "name": r.name} for r in rows] for key, rows in by_opportunity.items()}
    opportunities_of = {
        key: [{"ideas": {"nodes": ideas_of.get(r.id, [])}} for r in rows] for key, rows in by_insight.items()
    }
    nodes = [
        {"insights": {"nodes": [{"opportunities": {"nodes": opportunities_of.get(r.id, [])}} for r in by_signal.get(s, [])]}}
        for s in page
    ]
    return Response(orjson.dumps({"data": {"signals": {"nodes": nodes}}}), media_type="application/json")


def create_engine(database_url: str) -> AsyncEngine:
    if database_url.startswith("sqlite"):
        return create_async_engine(database_url, connect_args={"timeout": 30})
    return create_async_engine(
        database_url, isolation_level="AUTOCOMMIT", pool_size=10, max_overflow=10, json_deserializer=orjson.loads
    )


def create_app(database_url: str | None = None) -> Starlette:
    engine = create_engine(database_url or os.environ["SIGNALGRAPH_DATABASE_URL"])

    async def insights_route(request: Request) -> Response:
        return await list_insights(engine, request)

    async def graphql_route(request: Request) -> Response:
        return await nested_signals(engine, request)

    async def healthz(request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(
        routes=[
            Route("/external/v1/insights", insights_route, methods=["GET"]),
            Route("/api/external/v1/insights", insights_route, methods=["GET"]),
            Route("/graphql", graphql_route, methods=["POST"]),
            Route("/readyz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
