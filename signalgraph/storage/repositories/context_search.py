"""The full-text index of context units and documents: SQLite FTS5 or PostgreSQL tsvector.

One entry per unit or document (`kind` is "unit" or "document"), keyed by its id and carrying its
workspace and product scope; the table is created by migration 0002. A search matches every word of
the query (AND, English stemming), ranks by bm25 / ts_rank and returns a highlighted snippet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

UNIT, DOCUMENT = "unit", "document"
HIGHLIGHT = "**"
# PostgreSQL's english configuration drops these from a query (its tsearch_data/english.stop, all 127);
# FTS5 does not, so they are dropped here for both: `q=not` finds the same on either database.
_STOP_LIST = (
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her "
    "hers herself it its itself they them their theirs themselves what which who whom this that these "
    "those am is are was were be been being have has had having do does did doing a an the and but if or "
    "because as until while of at by for with about against between into through during before after "
    "above below to from up down in out on off over under again further then once here there when where "
    "why how all any both each few more most other some such no nor not only own same so than too very s "
    "t can will just don should now"
)
STOPWORDS = frozenset(_STOP_LIST.split())
NAME_WEIGHT, BODY_WEIGHT = 2.0, 1.0
# What is indexed of a long body: PostgreSQL refuses a tsvector over 1 MB.
BODY_MAX_CHARS = 300_000


@dataclass(frozen=True)
class SearchHit:
    kind: str
    id: str
    name: str
    snippet: str
    score: float
    product_id: str | None


def _is_sqlite(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def query_terms(query: str) -> list[str]:
    """The words of a free-text query, lower-cased, without stop words or FTS syntax."""
    return [w for w in re.findall(r"\w+", query.lower()) if w not in STOPWORDS]


async def upsert(
    session: AsyncSession,
    workspace_id: str,
    *,
    kind: str,
    target_id: str,
    product_id: str | None,
    name: str,
    body: str,
) -> None:
    """Replace the entry of `target_id` (one row per target; FTS5 has no upsert: delete, then insert)."""
    await remove(session, workspace_id, target_id)
    await session.execute(
        text(
            "INSERT INTO context_search (name, body, kind, target_id, workspace_id, product_id) "
            "VALUES (:name, :body, :kind, :target_id, :workspace_id, :product_id)"
        ),
        {
            "name": name,
            "body": body[:BODY_MAX_CHARS],
            "kind": kind,
            "target_id": target_id,
            "workspace_id": workspace_id,
            "product_id": product_id,
        },
    )


async def remove(session: AsyncSession, workspace_id: str, target_id: str) -> None:
    await session.execute(
        text("DELETE FROM context_search WHERE target_id = :target_id AND workspace_id = :workspace_id"),
        {"target_id": target_id, "workspace_id": workspace_id},
    )


async def search(
    session: AsyncSession,
    workspace_id: str,
    query: str,
    *,
    kinds: Sequence[str],
    product_id: str | None = None,
    limit: int = 10,
) -> list[SearchHit]:
    """Best matches first. With `product_id`, that product's entries and the global (unscoped) ones."""
    terms = query_terms(query)
    if not terms or not kinds:
        return []
    params: dict[str, object] = {"ws": workspace_id, "kinds": list(kinds), "limit": limit}
    scope = ""
    if product_id is not None:
        scope = "AND (product_id = :product_id OR product_id IS NULL)"
        params["product_id"] = product_id
    if _is_sqlite(session):
        params["match"] = " ".join(f'"{term}"' for term in terms)
        rank = f"bm25(context_search, {NAME_WEIGHT}, {BODY_WEIGHT})"
        stmt = text(
            f"SELECT kind, target_id, name, product_id, "
            f"snippet(context_search, -1, '{HIGHLIGHT}', '{HIGHLIGHT}', '…', 24) AS snippet, "
            f"-{rank} AS score "
            f"FROM context_search WHERE context_search MATCH :match AND workspace_id = :ws "
            f"AND kind IN :kinds {scope} ORDER BY {rank}, target_id LIMIT :limit"
        )
    else:
        params["query"] = " ".join(terms)
        headline = (
            f"StartSel={HIGHLIGHT}, StopSel={HIGHLIGHT}, MaxWords=24, MinWords=8, MaxFragments=2, "
            'FragmentDelimiter=" … "'
        )
        stmt = text(
            "SELECT kind, target_id, name, product_id, "
            "ts_headline('english', body, plainto_tsquery('english', :query), :headline) AS snippet, score "
            "FROM (SELECT kind, target_id, name, product_id, body, "
            "      ts_rank(document, plainto_tsquery('english', :query)) AS score "
            "      FROM context_search WHERE document @@ plainto_tsquery('english', :query) "
            f"     AND workspace_id = :ws AND kind IN :kinds {scope} "
            "      ORDER BY score DESC, target_id LIMIT :limit) AS best "
            "ORDER BY score DESC, target_id"
        )
        params["headline"] = headline
    stmt = stmt.bindparams(bindparam("kinds", expanding=True))
    rows = (await session.execute(stmt, params)).all()
    return [
        SearchHit(
            kind=r.kind,
            id=r.target_id,
            name=r.name,
            snippet=r.snippet,
            score=float(r.score),
            product_id=r.product_id,
        )
        for r in rows
    ]
