"""The local, deterministic extractor: cue phrases, no network, no model.

Clauses are classified by the cue tables in `cues` (weighted by the analysis profile); clauses of one
kind that share their key terms are grouped into one finding, named after its strongest clause and
described by quoting its evidence. An interviewer's lines (a role label, or a speaker who mostly asks
questions) are not evidence. `additionalContext` only informs the inferred context.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from . import cues, segment
from .base import KIND_LABELS, Evidence, Extraction, ExtractionRequest, Finding
from .naming import stem
from .parties import find_parties
from .segment import Span

NAME_MAX = 72
NAME_MIN_WORDS = 4
PART_BREAK = re.compile(r",?\s+and\s+|,\s+")
NAME_BREAK = re.compile(r",\s|;\s|\s(?:that|which|because|since|and|when|while)\s")
DESCRIPTION_QUOTES = 5
MIN_STATEMENT_WORDS = 2
NEGATED_KINDS = frozenset({"bug", "pain_point", "praise"})
SEVERITY_ORDER = ("low", "medium", "high", "critical")
COMPILED_CUES = {
    kind: tuple((re.compile(pattern), weight, facet) for pattern, weight, facet in entries)
    for kind, entries in cues.KIND_CUES.items()
}
NEGATION = re.compile(cues.NEGATION)
FILLER = re.compile(cues.FILLER_PREFIX, re.IGNORECASE)


@dataclass
class Statement:
    span: Span
    quote: str
    kind: str
    score: float
    severity: str
    terms: frozenset[str]


@dataclass
class Group:
    kind: str
    members: list[Statement] = field(default_factory=list)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset().union(*(m.terms for m in self.members))


def classify(quote: str, profile: str) -> tuple[str, float, list[tuple[int, int]], set[str]] | None:
    """(kind, score, cue spans, facets of that kind) for the best kind over the threshold, else None."""
    lowered = quote.lower()
    weights = cues.PROFILE_WEIGHTS.get(profile, {})
    scores: dict[str, float] = {}
    cue_spans: list[tuple[int, int]] = []
    facets: dict[str, set[str]] = {}
    for kind, entries in COMPILED_CUES.items():
        for pattern, weight, facet in entries:
            match = pattern.search(lowered)
            if match is None:
                continue
            if kind in NEGATED_KINDS and NEGATION.search(lowered[max(0, match.start() - 30) : match.start()]):
                continue
            scores[kind] = scores.get(kind, 0.0) + weight * weights.get(kind, 1.0)
            cue_spans.append(match.span())
            if facet:
                facets.setdefault(kind, set()).add(facet)
    best = max(cues.KIND_PRECEDENCE, key=lambda k: (scores.get(k, 0.0), -cues.KIND_PRECEDENCE.index(k)))
    if scores.get(best, 0.0) < cues.KIND_THRESHOLD:
        return None
    return best, scores[best], cue_spans, facets.get(best, set())


def key_terms(lowered: str, cue_spans: list[tuple[int, int]], facets: set[str]) -> frozenset[str]:
    chars = list(lowered)
    for start, end in cue_spans:
        chars[start:end] = " " * (end - start)
    words = re.findall(r"[a-z0-9]+", "".join(chars).replace("'", ""))
    terms = {stem(w) for w in words if w not in cues.STOPWORDS and (len(w) >= 3 or w.isdigit())}
    return frozenset(terms | facets)


def statement_severity(kind: str, lowered: str) -> str:
    if kind == "praise":
        return "low"
    for level, pattern in cues.SEVERITY_CUES:
        if re.search(pattern, lowered):
            return level
    return cues.BASE_SEVERITY[kind]


def interviewers(text: str, turns: list[Span]) -> set[str]:
    """Speakers who run the conversation: a role label, or mostly questions (with another speaker present)."""
    speakers = {t.speaker for t in turns if t.speaker}
    found = set()
    for speaker in speakers:
        label, _, role = speaker.lower().partition("(")
        role = role.rstrip(")").strip()
        lines = [text[t.start : t.end] for t in turns if t.speaker == speaker]
        sentences = [s for line in lines for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
        questions = sum(s.rstrip().endswith("?") for s in sentences)
        mostly_questions = questions >= 2 and questions >= cues.INTERVIEWER_QUESTION_SHARE * len(sentences)
        if {label.strip(), role} & cues.INTERVIEWER_LABELS or (len(speakers) > 1 and mostly_questions):
            found.add(speaker)
    return found if found != speakers else {s for s in found if s.lower() in cues.INTERVIEWER_LABELS}


def _facets(terms: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in terms if t.startswith("~"))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Same topic: identical terms, or half the smaller set shared with a topic word among them —
    unless both say different things about it (slow vs. hard to find)."""
    if a == b:
        return True
    if _facets(a) and _facets(b) and not _facets(a) & _facets(b):
        return False
    shared = a & b
    if not shared - _facets(shared):
        return False
    return len(shared) / min(len(a), len(b)) >= (0.3 if len(shared) >= 2 else 0.5)


def group(statements: list[Statement]) -> list[Group]:
    """Statements of one kind that share their key terms, in order of first mention."""
    groups: list[Group] = []
    for statement in statements:
        home = next(
            (
                g
                for g in groups
                if g.kind == statement.kind and any(_similar(statement.terms, m.terms) for m in g.members)
            ),
            None,
        )
        if home is None:
            home = Group(statement.kind)
            groups.append(home)
        home.members.append(statement)
    return groups


def short_name(quote: str) -> str:
    """The clause without filler, cut at its first natural break after a few words, capitalised."""
    text = FILLER.sub("", " ".join(quote.split())).strip(" ,.;:!?-–—\"'“”‘’")
    for m in NAME_BREAK.finditer(text):
        if len(text[: m.start()].split()) >= NAME_MIN_WORDS:
            text = text[: m.start()]
            break
    if len(text) > NAME_MAX:
        text = text[: NAME_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return text[:1].upper() + text[1:]


def describe(kind: str, evidence: list[Evidence]) -> str:
    speakers = list(dict.fromkeys(e.speaker for e in evidence if e.speaker))
    times = "once" if len(evidence) == 1 else f"{len(evidence)} times"
    lines = [
        f"{KIND_LABELS[kind]} mentioned {times}" + (f" by {', '.join(speakers)}" if speakers else "") + ":"
    ]
    lines += [
        f"“{e.quote}”" + (f" — {e.speaker}" if e.speaker else "") for e in evidence[:DESCRIPTION_QUOTES]
    ]
    if len(evidence) > DESCRIPTION_QUOTES:
        lines.append(f"(and {len(evidence) - DESCRIPTION_QUOTES} more)")
    return "\n".join(lines)


def to_finding(g: Group) -> Finding:
    representative = max(g.members, key=lambda m: (m.score, -m.span.start))
    severity = max((m.severity for m in g.members), key=SEVERITY_ORDER.index)
    if len(g.members) >= cues.SEVERITY_BUMP_MENTIONS and g.kind != "praise" and severity != "critical":
        severity = SEVERITY_ORDER[SEVERITY_ORDER.index(severity) + 1]
    evidence = [Evidence(m.quote, m.span.start, m.span.end, m.span.speaker) for m in g.members]
    basis = " ".join(sorted(g.terms)) or " ".join(representative.quote.lower().split())
    return Finding(
        key=f"{g.kind}:{hashlib.sha1(basis.encode()).hexdigest()[:20]}",
        kind=g.kind,
        name=short_name(representative.quote),
        description=describe(g.kind, evidence),
        sentiment=cues.SENTIMENT_BY_KIND[g.kind],
        severity=severity,
        evidence=tuple(evidence),
    )


def infer_context(request: ExtractionRequest, kinds: list[str]) -> str:
    text, extra = request.text.lower(), (request.additional_context or "").lower()

    def cue_count(context: str) -> int:
        pattern = cues.CONTEXT_CUES[context]
        return len(re.findall(pattern, text)) + cues.ADDITIONAL_CONTEXT_WEIGHT * len(
            re.findall(pattern, extra)
        )

    if (
        request.profile != "discovery_report"
        and cue_count("churn_risk") >= cues.CONTEXT_CUE_MINIMUM["churn_risk"]
    ):
        return "churn_risk"
    base = cues.CONTEXT_BY_PROFILE.get(request.profile, "general_feedback")
    if base == "user_interview" and cue_count("sales_call") >= cues.CONTEXT_CUE_MINIMUM["sales_call"]:
        return "sales_call"
    if base != "feature_feedback":
        return base
    counts = Counter(kinds)
    if not counts:
        return "general_feedback"
    if counts["praise"] == len(kinds):
        return "praise"
    return "bug_report" if counts["bug"] * 2 > len(kinds) else "feature_feedback"


def _statement(text: str, span: Span, profile: str) -> Statement | None:
    quote = text[span.start : span.end]
    found = classify(quote, profile) if len(quote.split()) >= MIN_STATEMENT_WORDS else None
    if found is None:
        return None
    kind, score, cue_spans, facets = found
    lowered = quote.lower()
    return Statement(
        span, quote, kind, score, statement_severity(kind, lowered), key_terms(lowered, cue_spans, facets)
    )


def statements_of(text: str, clause: Span, profile: str) -> list[Statement]:
    """The clause as one statement, or as several when its parts ("slow and crashes") say different things.

    Parts without a cue of their own, or of the same kind with no topic of their own ("…, it saves us
    hours"), stay with the part before them.
    """
    cuts = [
        clause.start,
        *(b for m in PART_BREAK.finditer(text, clause.start, clause.end) for b in m.span()),
        clause.end,
    ]
    parts = [
        Span(*segment.strip_span(text, cuts[i], cuts[i + 1]), clause.speaker) for i in range(0, len(cuts), 2)
    ]
    merged: list[tuple[Span, Statement | None]] = []
    for part in parts:
        statement = _statement(text, part, profile)
        last = merged[-1] if merged else None
        joins = last is not None and (
            statement is None
            or last[1] is None
            or (statement.kind == last[1].kind and not statement.terms - _facets(statement.terms))
        )
        if joins:
            span = Span(last[0].start, part.end, clause.speaker)
            merged[-1] = (span, last[1] or statement)
        else:
            merged.append((part, statement))
    if sum(statement is not None for _, statement in merged) < 2:
        whole = _statement(text, clause, profile)
        return [whole] if whole else []
    return [s for s in (_statement(text, span, profile) for span, _ in merged) if s is not None]


def extract(request: ExtractionRequest) -> Extraction:
    text = request.text
    turns = segment.speaker_turns(text) if request.is_conversation else []
    asking = interviewers(text, turns)
    statements = [
        statement
        for span in turns or segment.prose_spans(text)
        if span.speaker not in asking
        for sentence in segment.sentences(text, span)
        for clause in segment.clauses(text, sentence)
        for statement in statements_of(text, clause, request.profile)
    ]
    findings = tuple(to_finding(g) for g in group(statements))
    people, companies = find_parties(text, turns, asking)
    return Extraction(
        findings=findings,
        context=infer_context(request, [f.kind for f in findings]),
        extractor="local",
        people=people,
        companies=companies,
    )


class LocalExtractor:
    name = "local"

    async def extract(self, request: ExtractionRequest) -> Extraction:
        return await asyncio.to_thread(extract, request)
