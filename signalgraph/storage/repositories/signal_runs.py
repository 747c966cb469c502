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
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from ..models import (
    Account,
    AccountInsight,
    Blob,
    Contact,
    Insight,
    InsightSource,
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
# Whether the signal gave the insight a source already: a run appends only to drafts it has none in.
_GAVE_A_SOURCE = exists().where(
    col(InsightSource.insight_id) == col(Insight.id), col(InsightSource.signal_id) == bindparam("signal_id")
)
_APPENDABLE = (
    select(Insight, _CONTRIBUTED.label("contributed"), (~_GAVE_A_SOURCE).label("appendable"))
    .where(_WANTED)
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
    append its sources to in SQL (`append_sources`): another signal's, none of their sources this signal's."""
    subject_keys = sorted(set(subject_keys))
    params = {"ws": workspace_id, "signal_id": signal_id, "subject_keys": subject_keys}
    rows = (await session.execute(_APPENDABLE, params)).all()
    earlier, drafts = _split(((i, c) for i, c, _ in rows), subject_keys)
    return earlier, drafts, {i.id for i, c, can in rows if can and not c}


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


# PostgreSQL: what extraction writes on an open draft when a run adds its sources, computed in SQL as
# `processing.findings.apply_sources` computes it in Python (tests/processing/test_reconcile_batched.py holds
# the two to the same values). The first source names the draft, so an append changes only its description
# and classifications, and adds the run's sources as rows of `insight_sources`.
#
# Neither is computed from every source again (each merge would cost in proportion to the sources before
# it: bench/README.md, "One worker"); both *grow* from what the draft stores and the run's sources. The run's
# sources are all of one signal, new to the draft (a run appends only to a draft without its evidence), so
# the description's header gains one signal; quote lines are added while there are fewer than `:quotes`,
# and the "(and N more)" count grows by the rest. A draft of several sources stores the gathered form. A
# draft of one source stores its finding's description: its gathered form is written from the provenance,
# which holds that source's signal and evidence (the evidence is all its mentions: how one source is told
# from several). A draft whose text is in neither form is left to the caller (merged in Python).
_QUOTE_LINE = """'“' || (e.value ->> 'quote') || '” — '
    || concat_ws(', ', nullif(e.value ->> 'speaker', ''), nullif({signal} ->> 'signalPublicId', ''))"""
_GATHERED_HEADER = "' raised in [0-9]+ signals [(].*[)]:$'"
_ONE_SOURCE_GATHERED = f"""coalesce(CAST(:labels AS jsonb) ->> (locked.classifications ->> 'kind'), 'Finding')
    || ' raised in 1 signals (' || (locked.provenance ->> 'signalPublicId') || '):'
    || coalesce((SELECT chr(10) || string_agg({_QUOTE_LINE.format(signal="locked.provenance")}, chr(10) ORDER BY e.m)
                 FROM jsonb_array_elements(locked.provenance -> 'evidence') WITH ORDINALITY AS e(value, m)
                 WHERE e.m <= :quotes), '')
    || CASE WHEN jsonb_array_length(locked.provenance -> 'evidence') > :quotes
            THEN chr(10) || '(and ' || (jsonb_array_length(locked.provenance -> 'evidence') - :quotes) || ' more)'
            ELSE '' END"""
_GROWN_DESCRIPTION = f"""concat_ws(chr(10),
    regexp_replace(left(m.header, -2), ' raised in [0-9]+ signals [(]',
                   ' raised in ' || (m.signals + 1) || ' signals (') || ', ' || (m.added -> 0 ->> 'signalPublicId') || '):',
    CASE WHEN m.mentions > 0 THEN
        substr(m.old_description, length(m.header) + 2,
               length(m.old_description) - length(m.header) - 1
               - CASE WHEN m.mentions > :quotes THEN length(chr(10) || '(and ' || (m.mentions - :quotes) || ' more)') ELSE 0 END)
    END,
    (SELECT string_agg(q.line, chr(10) ORDER BY q.r)
     FROM (SELECT {_QUOTE_LINE.format(signal="s.value")} AS line, m.mentions + row_number() OVER (ORDER BY s.n, e.m) AS r
           FROM jsonb_array_elements(m.added) WITH ORDINALITY AS s(value, n)
           CROSS JOIN LATERAL jsonb_array_elements(s.value -> 'evidence') WITH ORDINALITY AS e(value, m)) AS q
     WHERE q.r <= :quotes),
    CASE WHEN m.mentions + m.added_mentions > :quotes THEN '(and ' || (m.mentions + m.added_mentions - :quotes) || ' more)' END
)"""
_SEVERITY_RANK = "coalesce(array_position(CAST(:severities AS text[]), {} ->> 'severity'), 0)"
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
# The drafts are locked in subject order (as `reconciled_insights` locks), then updated; the sources and the
# links of the ones still open are written in the same statement, so nothing is left to undo for one that is
# not. A row locked after a wait is read as the committed version that made it wait, so the append grows
# the latest description. The sources' ids come from a sequence as they are inserted, after the lock: in
# the order the drafts gathered them. The account ids are a text[]: asyncpg has no built-in codec for
# varchar[] and looked its type up on every new connection (a recursive catalogue query, 20 to 30 ms on a
# busy server).
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
    SELECT locked.id, x.added, locked.classifications AS old,
           CASE WHEN CAST(locked.classifications ->> 'mentions' AS integer) > jsonb_array_length(locked.provenance -> 'evidence')
                     AND split_part(locked.description, chr(10), 1) ~ {_GATHERED_HEADER}
                THEN locked.description
                WHEN CAST(locked.classifications ->> 'mentions' AS integer) = jsonb_array_length(locked.provenance -> 'evidence')
                THEN {_ONE_SOURCE_GATHERED}
           END AS old_description
    FROM locked JOIN x ON x.id = locked.id
    WHERE locked.status = 'draft' AND locked.edited_at IS NULL
          AND jsonb_typeof(locked.classifications -> 'mentions') = 'number'
          AND jsonb_typeof(locked.provenance -> 'evidence') = 'array'
),
open AS MATERIALIZED (
    SELECT stored.id, stored.added, stored.old, stored.old_description,
           split_part(stored.old_description, chr(10), 1) AS header,
           CAST(substring(split_part(stored.old_description, chr(10), 1) FROM ' raised in ([0-9]+) signals [(]') AS integer) AS signals,
           CAST(stored.old ->> 'mentions' AS integer) AS mentions,
           (SELECT coalesce(sum(jsonb_array_length(s.value -> 'evidence')), 0)
            FROM jsonb_array_elements(stored.added) AS s(value)) AS added_mentions
    FROM stored
    WHERE stored.old_description IS NOT NULL
),
merged AS (
    SELECT m.id, {_GROWN_CLASSIFICATIONS} AS classifications, {_GROWN_DESCRIPTION} AS description
    FROM open AS m
),
appended AS (
    UPDATE insights SET
        classifications = merged.classifications,
        description = merged.description,
        product_id = coalesce(insights.product_id, :product_id),
        updated_at = :now
    FROM merged
    WHERE insights.id = merged.id AND insights.workspace_id = :ws
    RETURNING insights.id, insights.description, insights.classifications, insights.product_id
),
sources AS (
    INSERT INTO insight_sources (workspace_id, insight_id, signal_id, source)
    SELECT :ws, appended.id, CAST(:signal_id AS varchar), s.value
    FROM appended JOIN x ON x.id = appended.id
    CROSS JOIN LATERAL jsonb_array_elements(x.added) WITH ORDINALITY AS s(value, n)
    ORDER BY appended.id, s.n
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
    each draft it appended to, by id. A draft a person edited or published, or that was deleted, since it was
    read is left alone (and not in the answer), as is one whose text is in no form the statement grows. Its
    row is locked from this statement to the commit only, where a read, a merge in Python and a flush held it
    for several round trips: jobs of signals that say the same thing queue on that lock (bench/README.md,
    "One worker")."""
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
