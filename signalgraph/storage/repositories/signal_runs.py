"""Queries of signal processing: run numbers, the insights a signal's earlier runs gave evidence to, the
open draft about a subject, and the contacts and accounts its evidence may name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    String,
    and_,
    bindparam,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from ..models import (
    Account,
    AccountInsight,
    Blob,
    Contact,
    Insight,
    Signal,
    SignalAccount,
    SignalInsight,
    SignalProduct,
)
from ..models.base import UTCDateTime
from .accounts import domain_clause
from .base import insert_ignoring_duplicates
from .rows import read_row
from .signals import text_key


async def next_run(session: AsyncSession, workspace_id: str, signal_id: str) -> int:
    """Count one more processing run of the signal, atomically (concurrent requests get distinct runs)."""
    stmt = (
        update(Signal)
        .where(Signal.id == signal_id, Signal.workspace_id == workspace_id)
        .values(attempts=Signal.attempts + 1)
        .returning(Signal.attempts)
    )
    return (await session.execute(stmt)).scalar_one()


async def mark_pending(session: AsyncSession, workspace_id: str, signal_id: str, job_id: str) -> None:
    """Back to `pending` when its job could not be queued, unless that job already got further."""
    await session.execute(
        update(Signal)
        .where(
            Signal.id == signal_id,
            Signal.workspace_id == workspace_id,
            Signal.last_job_id == job_id,
            Signal.status == "processing",
        )
        .values(status="pending")
    )


# Built once: a worker runs them for every signal, and building a statement costs more than running it.
_SIGNAL_ROW = read_row(Signal)
_SIGNAL_AND_TEXT = (
    select(*_SIGNAL_ROW._columns, col(Blob.content))
    .outerjoin(Blob, and_(col(Blob.key) == bindparam("text_key"), col(Blob.workspace_id) == bindparam("ws")))
    .where(col(Signal.id) == bindparam("signal_id"), col(Signal.workspace_id) == bindparam("ws"))
)
_PRODUCTS_AND_ACCOUNTS: Any = union_all(
    select(
        literal("product").label("kind"), col(SignalProduct.product_id).label("other_id"), literal(0).label("position")
    ).where(col(SignalProduct.signal_id) == bindparam("signal_id"), col(SignalProduct.workspace_id) == bindparam("ws")),
    select(literal("account"), col(SignalAccount.account_id), col(SignalAccount.position)).where(
        col(SignalAccount.signal_id) == bindparam("signal_id"), col(SignalAccount.workspace_id) == bindparam("ws")
    ),
).order_by("kind", "position", "other_id")


async def processing_inputs(
    session: AsyncSession, workspace_id: str, signal_id: str
) -> tuple[Any, str | None, list[str], list[str]] | None:
    """What processing reads of a signal, in two statements: the signal (a read row) with its stored text
    (None for a raw signal), and the ids of its products and of its accounts in link order; None when it
    is gone."""
    params = {"signal_id": signal_id, "ws": workspace_id}
    found = (await session.execute(_SIGNAL_AND_TEXT, {**params, "text_key": text_key(workspace_id, signal_id)})).first()
    if found is None:
        return None
    signal, content = _SIGNAL_ROW._make(found[:-1]), found[-1]
    linked: dict[str, list[str]] = {"product": [], "account": []}
    for kind, other_id, _ in (await session.execute(_PRODUCTS_AND_ACCOUNTS, params)).all():
        linked[kind].append(other_id)
    text = content.decode("utf-8") if content is not None else None
    return signal, text, linked["product"], linked["account"]


_SIGNALS_TABLE: Any = Signal.__table__  # type: ignore[attr-defined]
_SIGNALS = _SIGNALS_TABLE.c
_SETTLED_ROW = read_row(Signal, frozenset({"id", "workspace_id", "public_number", "participant_policy", "create_missing_accounts"}))
_SETTLE_PROCESSED = (
    update(_SIGNALS_TABLE)
    .where(
        _SIGNALS.id == bindparam("signal_id"),
        _SIGNALS.workspace_id == bindparam("ws"),
        _SIGNALS.last_job_id == bindparam("job_id"),
    )
    .values(
        status="processed", context=bindparam("context"), processed_at=bindparam("now"), failed_at=None,
        last_error=None, updated_at=bindparam("now"),
    )
    .returning(*_SETTLED_ROW._columns)
)


async def settle_processed(
    session: AsyncSession, workspace_id: str, signal_id: str, job_id: str, context: str | None, now: datetime
) -> Any:
    """Mark the signal `processed` with its context if the job is still its latest run, in one statement
    that also locks it until the commit (a job's results are written under that lock); the signal as a
    read row of the columns the results need, or None when it is gone or a newer run was asked for."""
    params = {"signal_id": signal_id, "ws": workspace_id, "job_id": job_id, "context": context, "now": now}
    found = (await session.execute(_SETTLE_PROCESSED, params)).first()
    return None if found is None else _SETTLED_ROW._make(found)


# The insights a run of a signal reconciles, built once (a worker reads them for every signal, and building
# them cost more of its CPU than PostgreSQL took to answer): whether an insight was given to by the signal's
# earlier runs (created by it or linked to it), and the ids of those and of the workspace's open drafts about
# the run's subjects, as a union of three indexed look-ups (PostgreSQL cannot use an index for the `OR` of
# the conditions, one a subquery, and scanned every insight of the workspace: bench/README.md, "One worker").
# Parameters: `ws`, `signal_id`, `subject_keys` (a list, possibly empty).
_LINKED = select(col(SignalInsight.insight_id)).where(
    col(SignalInsight.signal_id) == bindparam("signal_id"), col(SignalInsight.workspace_id) == bindparam("ws")
)
_CONTRIBUTED = or_(col(Insight.source_signal_id) == bindparam("signal_id"), col(Insight.id).in_(_LINKED))
_OPEN_DRAFTS = and_(
    col(Insight.subject_key).in_(bindparam("subject_keys", expanding=True)),
    col(Insight.status) == "draft",
    col(Insight.edited_at).is_(None),
)
_WANTED = and_(
    col(Insight.workspace_id) == bindparam("ws"),
    col(Insight.id).in_(
        union_all(
            select(col(Insight.id)).where(col(Insight.source_signal_id) == bindparam("signal_id")),
            _LINKED,
            select(col(Insight.id)).where(col(Insight.workspace_id) == bindparam("ws"), _OPEN_DRAFTS),
        )
    ),
)
_RECONCILED_LOCKED = (
    select(Insight, _CONTRIBUTED.label("contributed"))
    .where(_WANTED)
    .order_by(col(Insight.subject_key), col(Insight.id))
    .execution_options(populate_existing=True)
    .with_for_update()
)
_SOURCES_JSONB = type_coerce(col(Insight.provenance), JSONB)["sources"]
_APPENDABLE = (
    select(
        Insight,
        _CONTRIBUTED.label("contributed"),
        and_(
            func.jsonb_typeof(_SOURCES_JSONB) == "array",
            ~_SOURCES_JSONB.contains(func.jsonb_build_array(func.jsonb_build_object("signalId", bindparam("signal_id")))),
        ).label("appendable"),
        case((_CONTRIBUTED, col(Insight.provenance))).label("own_provenance"),
    )
    .where(_WANTED)
    .options(defer(Insight.provenance))  # type: ignore[arg-type]
    .execution_options(populate_existing=True)
)


def _split(
    rows: Iterable[tuple[Insight, bool]], subject_keys: list[str]
) -> tuple[list[Insight], dict[str, Insight]]:
    earlier: list[Insight] = []
    drafts: dict[str, Insight] = {}
    for insight, was_contributed in rows:
        if was_contributed:
            earlier.append(insight)
        if insight.subject_key in subject_keys and insight.status == "draft" and insight.edited_at is None:
            drafts[insight.subject_key] = insight
    earlier.sort(key=lambda i: (i.created_at, i.id))
    return earlier, drafts


async def reconciled_insights(
    session: AsyncSession, workspace_id: str, signal_id: str, subject_keys: Iterable[str]
) -> tuple[list[Insight], dict[str, Insight]]:
    """What a run of the signal reconciles, read afresh and locked until the transaction ends (PostgreSQL),
    in one statement: the insights its earlier runs may have given evidence to (created by it or linked
    to it), oldest first, and the workspace's open draft about each of these subjects (at most one: a
    unique index). Rows are locked in subject order, so concurrent runs lock shared drafts in one order."""
    subject_keys = sorted(set(subject_keys))
    params = {"ws": workspace_id, "signal_id": signal_id, "subject_keys": subject_keys}
    return _split((await session.execute(_RECONCILED_LOCKED, params)).all(), subject_keys)


async def appendable_drafts(
    session: AsyncSession, workspace_id: str, signal_id: str, subject_keys: Iterable[str]
) -> tuple[list[Insight], dict[str, Insight], set[str]]:
    """PostgreSQL, unlocked: what `reconciled_insights` reads, and the ids of the open drafts a run could
    append its sources to in SQL (sources in the merged form, none of them this signal's). Those flags are
    computed by the database and the drafts' provenance is not sent: a draft many signals share carries
    51 KB of it at 100 sources, and the run only appends to it (`append_sources`). The insights the signal's
    earlier runs gave to come whole."""
    subject_keys = sorted(set(subject_keys))
    params = {"ws": workspace_id, "signal_id": signal_id, "subject_keys": subject_keys}
    rows = (await session.execute(_APPENDABLE, params)).all()
    for insight, was_contributed, _, provenance in rows:
        if was_contributed:
            set_committed_value(insight, "provenance", provenance)
    earlier, drafts = _split(((i, c) for i, c, _, _ in rows), subject_keys)
    return earlier, drafts, {i.id for i, c, can, _ in rows if can and not c}


_OPEN_DRAFT = (
    select(Insight)
    .where(col(Insight.workspace_id) == bindparam("ws"), _OPEN_DRAFTS)
    .with_for_update()
    .execution_options(populate_existing=True)
)


async def open_draft(session: AsyncSession, workspace_id: str, subject_key: str) -> Insight | None:
    """The workspace's open draft about this subject (at most one: a unique index), locked and read
    afresh, since a concurrent job may have just changed it."""
    params = {"ws": workspace_id, "subject_keys": [subject_key]}
    return (await session.execute(_OPEN_DRAFT, params)).scalars().first()


# PostgreSQL: the sources of an open draft after the append (its own, then the run's), and what extraction
# writes on an insight computed from them in SQL, as `processing.findings.apply_sources` computes it in
# Python (tests/processing/test_reconcile_batched.py holds the two to the same values): the first source
# names it, so an append changes only the sources, the description and the classifications.
#
# A draft that already gathers several sources is *grown*: its description and classifications are computed
# from the stored ones and the run's sources alone, not from every source again (each pass over a draft's
# sources cost in proportion to them: 4.3 ms an append at 200 sources, of which the jsonb rewrite that stays
# is half; bench/README.md, "One worker"). The run's sources are all of one signal, new to the draft (only a
# draft without this signal's evidence is appended to), so the header gains one signal; quote lines are
# added while there are fewer than `:quotes`, and the "(and N more)" count grows by the rest. A draft of
# one source, or one whose stored text is not in the gathered form, is computed from all its sources.
_QUOTE_LINE = """'“' || (e.value ->> 'quote') || '” — '
    || concat_ws(', ', nullif(e.value ->> 'speaker', ''), nullif(s.value ->> 'signalPublicId', ''))"""
_DESCRIPTION = f"""(SELECT coalesce(CAST(:labels AS jsonb) ->> (m.sources -> 0 ->> 'kind'), 'Finding') || ' raised in '
            || count(*) || ' signals (' || string_agg(p.id, ', ' ORDER BY p.first) || '):'
     FROM (SELECT s.value ->> 'signalPublicId' AS id, min(s.n) AS first
           FROM jsonb_array_elements(m.sources) WITH ORDINALITY AS s(value, n) GROUP BY 1) AS p)
    || coalesce((SELECT chr(10) || string_agg(q.line, chr(10) ORDER BY q.n, q.m)
                 FROM (SELECT {_QUOTE_LINE} AS line, s.n, e.m, row_number() OVER (ORDER BY s.n, e.m) AS r
                       FROM jsonb_array_elements(m.sources) WITH ORDINALITY AS s(value, n)
                       CROSS JOIN LATERAL jsonb_array_elements(s.value -> 'evidence') WITH ORDINALITY AS e(value, m)
                      ) AS q
                 WHERE q.r <= :quotes), '')
    || coalesce((SELECT chr(10) || '(and ' || (count(*) - :quotes) || ' more)'
                 FROM jsonb_array_elements(m.sources) AS s(value)
                 CROSS JOIN LATERAL jsonb_array_elements(s.value -> 'evidence')
                 HAVING count(*) > :quotes), '')"""
_GROWN_DESCRIPTION = f"""concat_ws(chr(10),
    regexp_replace(left(m.header, -2), ' raised in [0-9]+ signals [(]',
                   ' raised in ' || (m.signals + 1) || ' signals (') || ', ' || (m.added -> 0 ->> 'signalPublicId') || '):',
    CASE WHEN m.mentions > 0 THEN
        substr(m.old_description, length(m.header) + 2,
               length(m.old_description) - length(m.header) - 1
               - CASE WHEN m.mentions > :quotes THEN length(chr(10) || '(and ' || (m.mentions - :quotes) || ' more)') ELSE 0 END)
    END,
    (SELECT string_agg(q.line, chr(10) ORDER BY q.r)
     FROM (SELECT {_QUOTE_LINE} AS line, m.mentions + row_number() OVER (ORDER BY s.n, e.m) AS r
           FROM jsonb_array_elements(m.added) WITH ORDINALITY AS s(value, n)
           CROSS JOIN LATERAL jsonb_array_elements(s.value -> 'evidence') WITH ORDINALITY AS e(value, m)) AS q
     WHERE q.r <= :quotes),
    CASE WHEN m.mentions + m.added_mentions > :quotes THEN '(and ' || (m.mentions + m.added_mentions - :quotes) || ' more)' END
)"""
_SEVERITY_RANK = "coalesce(array_position(CAST(:severities AS text[]), {} ->> 'severity'), 0)"
_CLASSIFICATIONS = f"""jsonb_build_object(
    'kind', m.sources -> 0 -> 'kind',
    'sentiment', CASE WHEN (SELECT count(DISTINCT s.value -> 'sentiment') FROM jsonb_array_elements(m.sources) AS s(value)) = 1
                      THEN m.sources -> 0 -> 'sentiment' ELSE to_jsonb(CAST('mixed' AS text)) END,
    'severity', (SELECT s.value -> 'severity' FROM jsonb_array_elements(m.sources) WITH ORDINALITY AS s(value, n)
                 ORDER BY {_SEVERITY_RANK.format('s.value')} DESC, s.n LIMIT 1),
    'mentions', (SELECT coalesce(sum(jsonb_array_length(s.value -> 'evidence')), 0)
                 FROM jsonb_array_elements(m.sources) AS s(value)))"""
_GROWN_CLASSIFICATIONS = f"""jsonb_build_object(
    'kind', m.old -> 'kind',
    'sentiment', CASE WHEN m.old -> 'sentiment' <> to_jsonb(CAST('mixed' AS text))
                       AND (SELECT bool_and(s.value -> 'sentiment' = m.old -> 'sentiment') FROM jsonb_array_elements(m.added) AS s(value))
                      THEN m.old -> 'sentiment' ELSE to_jsonb(CAST('mixed' AS text)) END,
    'severity', (SELECT v.severity FROM (
                     SELECT m.old -> 'severity' AS severity, {_SEVERITY_RANK.format('m.old')} AS rank, 0 AS n
                     UNION ALL
                     SELECT s.value -> 'severity', {_SEVERITY_RANK.format('s.value')}, s.n
                     FROM jsonb_array_elements(m.added) WITH ORDINALITY AS s(value, n)) AS v
                 ORDER BY v.rank DESC, v.n LIMIT 1),
    'mentions', m.mentions + m.added_mentions)"""
# The drafts are locked in subject order (as `reconciled_insights` locks), then updated; the links of the
# ones still open are written in the same statement, so nothing is left to undo for one that is not. A row
# locked after a wait is read as the committed version that made it wait, so `merged` appends to the
# latest sources. `open` and `stored` are materialized: each mention of the stored provenance in an
# expression would decompress it again (51 KB at 100 sources). The account ids are a text[]: asyncpg has no
# built-in codec for varchar[] and looked its type up on every new connection (a recursive catalogue
# query, 20 to 30 ms on a busy server).
_APPEND_SOURCES = text(f"""
WITH x AS (SELECT * FROM jsonb_to_recordset(CAST(:appends AS jsonb)) AS x(id varchar, added jsonb)),
locked AS (
    SELECT insights.id, insights.provenance, insights.status, insights.edited_at, insights.description,
           insights.classifications
    FROM insights JOIN x ON x.id = insights.id
    WHERE insights.workspace_id = :ws
    ORDER BY insights.subject_key, insights.id
    FOR UPDATE OF insights
),
stored AS MATERIALIZED (
    SELECT locked.id, locked.provenance, locked.provenance -> 'sources' AS sources, x.added,
           locked.description AS old_description, locked.classifications AS old,
           split_part(locked.description, chr(10), 1) AS header
    FROM locked JOIN x ON x.id = locked.id
    WHERE locked.status = 'draft' AND locked.edited_at IS NULL
),
open AS MATERIALIZED (
    SELECT stored.id, stored.provenance, stored.sources || stored.added AS sources, stored.added,
           stored.old_description, stored.old, stored.header,
           jsonb_array_length(stored.sources) > 1
               AND stored.header ~ ' raised in [0-9]+ signals [(].*[)]:$'
               AND jsonb_typeof(stored.old -> 'mentions') = 'number' AS grown,
           CAST(substring(stored.header FROM ' raised in ([0-9]+) signals [(]') AS integer) AS signals,
           CAST(stored.old ->> 'mentions' AS integer) AS mentions,
           (SELECT coalesce(sum(jsonb_array_length(s.value -> 'evidence')), 0)
            FROM jsonb_array_elements(stored.added) AS s(value)) AS added_mentions
    FROM stored
    WHERE jsonb_typeof(stored.sources) = 'array'
),
merged AS (
    SELECT m.id, jsonb_set(m.provenance, '{{sources}}', m.sources) AS provenance,
           CASE WHEN m.grown THEN {_GROWN_CLASSIFICATIONS} ELSE {_CLASSIFICATIONS} END AS classifications,
           CASE WHEN m.grown THEN {_GROWN_DESCRIPTION}
                WHEN jsonb_array_length(m.sources) = 1 THEN m.sources -> 0 ->> 'description'
                ELSE {_DESCRIPTION} END AS description
    FROM open AS m
),
appended AS (
    UPDATE insights SET
        provenance = merged.provenance,
        classifications = merged.classifications,
        description = merged.description,
        product_id = coalesce(insights.product_id, :product_id),
        updated_at = :now
    FROM merged
    WHERE insights.id = merged.id AND insights.workspace_id = :ws
    RETURNING insights.id, insights.description, insights.classifications, insights.product_id
),
signal_links AS (
    INSERT INTO signal_insights (workspace_id, signal_id, insight_id)
    SELECT :ws, CAST(:signal_id AS varchar), appended.id FROM appended
    ON CONFLICT DO NOTHING
),
account_links AS (
    INSERT INTO account_insights (workspace_id, account_id, insight_id)
    SELECT :ws, a.id, appended.id FROM appended CROSS JOIN unnest(CAST(:accounts AS text[])) AS a(id)
    ON CONFLICT DO NOTHING
)
SELECT * FROM appended
""").bindparams(
    bindparam("appends", type_=String()), bindparam("labels", type_=String()), bindparam("now", type_=UTCDateTime())
)


async def append_sources(
    session: AsyncSession,
    workspace_id: str,
    signal_id: str,
    appends: dict[str, list[dict[str, Any]]],
    *,
    product_id: str | None,
    account_ids: list[str],
    now: datetime,
    labels: dict[str, str],
    severities: tuple[str, ...],
    quotes: int,
) -> dict[str, dict[str, Any]]:
    """PostgreSQL: append each run's sources to its open draft (insight id → sources) in one statement,
    which also links the signal and the accounts to it; the new description, classifications and product of
    each draft it appended to, by id (not the provenance: 51 KB a draft at 100 sources, for nobody). A draft
    a person edited or published, or that was deleted, since it was read is left alone (and not in the
    answer). Its row is locked from this statement to the commit only, where a read, a merge
    in Python and a flush held it for several round trips: jobs of signals that say the same thing queue
    on that lock (bench/README.md, "One worker")."""
    if not appends:
        return {}
    params = {
        "appends": orjson.dumps([{"id": i, "added": added} for i, added in appends.items()]).decode(),
        "ws": workspace_id,
        "signal_id": signal_id,
        "accounts": list(dict.fromkeys(account_ids)),
        "product_id": product_id,
        "now": now,
        "labels": orjson.dumps(labels).decode(),
        "severities": list(severities),
        "quotes": quotes,
    }
    rows = (await session.execute(_APPEND_SOURCES, params)).mappings().all()
    return {row["id"]: dict(row) for row in rows}


async def unlink_insights(session: AsyncSession, workspace_id: str, signal_id: str, insight_ids: list[str]) -> None:
    if insight_ids:
        await session.execute(
            delete(SignalInsight).where(
                col(SignalInsight.workspace_id) == workspace_id,
                col(SignalInsight.signal_id) == signal_id,
                col(SignalInsight.insight_id).in_(insight_ids),
            )
        )


async def link_insights(
    session: AsyncSession, workspace_id: str, signal_id: str, insight_ids: list[str], account_ids: list[str]
) -> None:
    """Link the signal and each account to each insight, leaving the links already there (one statement
    per link table: INSERT … ON CONFLICT DO NOTHING, so a concurrent job's same link is no error)."""
    if not insight_ids:
        return
    await session.execute(
        insert_ignoring_duplicates(session, SignalInsight),
        [{"signal_id": signal_id, "insight_id": i, "workspace_id": workspace_id} for i in insight_ids],
    )
    if account_ids:
        await session.execute(
            insert_ignoring_duplicates(session, AccountInsight),
            [
                {"account_id": a, "insight_id": i, "workspace_id": workspace_id}
                for i in insight_ids
                for a in dict.fromkeys(account_ids)
            ],
        )


def _lowered(values: Iterable[str | None]) -> list[str]:
    return sorted({v.strip().lower() for v in values if v and v.strip()})


async def contacts_named(
    session: AsyncSession, workspace_id: str, emails: Iterable[str | None], names: Iterable[str | None]
) -> list[Contact]:
    """Contacts with one of these e-mail addresses or names (case-insensitive), oldest first."""
    emails, names = _lowered(emails), _lowered(names)
    if not emails and not names:
        return []
    stmt = (
        select(Contact)
        .where(
            Contact.workspace_id == workspace_id,
            or_(func.lower(Contact.email).in_(emails), func.lower(Contact.name).in_(names)),
        )
        .order_by(Contact.created_at, Contact.id)
    )
    return list((await session.execute(stmt)).scalars())


async def accounts_named(
    session: AsyncSession, workspace_id: str, domains: Iterable[str | None], names: Iterable[str | None]
) -> list[Account]:
    """Accounts with one of these domains (or websites) or names (case-insensitive), oldest first."""
    domains, names = _lowered(domains), _lowered(names)
    if not domains and not names:
        return []
    stmt = (
        select(Account)
        .where(
            Account.workspace_id == workspace_id,
            or_(func.lower(Account.name).in_(names), *(domain_clause(d) for d in domains)),
        )
        .order_by(Account.created_at, Account.id)
    )
    return list((await session.execute(stmt)).scalars())
