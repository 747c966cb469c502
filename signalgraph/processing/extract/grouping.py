"""From statements to findings: which statements make one point, and how a point is named and quoted.

A statement that only qualifies the one before it (a consequence, "so I lost the morning"; a question
about it; a weak pain right after it) joins that statement's finding; statements of one kind that share
their key terms group into one finding. A finding is named after its subject line, else its strongest
statement with a good name, and described by quoting its evidence (parts of one sentence quoted as one).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ..patterns import alternation, any_word
from . import cues
from .base import KIND_LABELS, Evidence, Finding
from .naming import is_analyst_name, name_key, strip_openers
from .segment import INLINE_ITEM, Span

DESCRIPTION_QUOTES = 5
SEVERITY_ORDER = ("low", "medium", "high", "critical")
# "This is blocking us", "It's really annoying": how bad the previous statement is, not a new finding.
CONSEQUENCE = re.compile(
    r"^(?:and |so |but )?(?:(?:this|that|it|which)(?:'s| is| was| has been| makes| means| really| just| also)+\b|"
    r"(?:this|that|which)(?: alone)? would (?!be \w+ (?:if|to)\b))",
    re.IGNORECASE,
)
# A weakly-cued pain right after another statement by the same speaker tells how that one hurts
# ("Right now I copy paste everything"), unless it has a topic of its own that groups elsewhere.
ELABORATION_MAX_SCORE = 1.5
ELABORATION_MAX_GAP = 400
# A statement with a subject of its own ("The FX fees aren't shown…") makes a point of its own.
OWN_SUBJECT = re.compile(r"(?:the|a|an|our|my|their|his|her|its|these|those)\s+\w+", re.IGNORECASE)
# "Support just sends canned replies", "Docs for the provider are thin": a noun (not a pronoun, not an elided
# subject as in "Takes forever" or "Had to fix it") followed by its verb.
_NOT_A_NOUN_SUBJECT_TEXT = """i we you your they it he she this that these those there here then now right every each also
    just still someone somebody anyone anybody everyone everybody nobody no_one one people so and but had has have
    took takes take spent spend spends lost got gets keeps kept need needs wish ended tried tries went goes makes made"""
NOUN_SUBJECT = re.compile(
    rf"(?!(?:{alternation(_NOT_A_NOUN_SUBJECT_TEXT)})\b)[a-z][\w-]*(?<!ed)(?: [a-z][\w-]*)?"
    r"(?: (?:for|of|on|in|with) (?:the |a |an |our |your |their )?[\w-]+(?: [\w-]+)?)? (?:just |also |still |now |really |always |"
    r"never |only |simply |even |got )?(?:is|are|was|were|has|have|had|got|gets|keeps|kept|feels|felt|looks|seems|"
    r"[a-z]+[^s\W]s)\b",
    re.IGNORECASE,
)
# "So if two recipes need onions…": a sentence that works out what the one before it said.
WORKS_OUT = any_word("so and_so which_means that_means meaning", leading=True)
# "We've lost money on about 40 orders", "It cost us two deals": what the point before it cost.
LOSS = re.compile(
    r"^(?:(?:we|i|they|our [\w ]{1,20}?)(?:'ve| have| had)? (?:already |now |probably )?(?:lost|losing|missed) "
    r"(?:money|revenue|sales|deals?|customers|orders|\w+ (?:orders|customers|deals|sales|hours|days))|"
    r"(?:this|that|it) (?:has )?(?:cost|is costing) (?:us|me|them)\b|"
    r"(?:two|three|four|several|some|many|a few|a couple of|\d+|our|my)? ?(?:of our )?(?:clients|customers|users|"
    r"people|patients|parents|candidates) (?:have |had |has )?(?:complained|called|churned|cancell?ed|left)\b)",
    re.IGNORECASE,
)
# "…are thin; took me an afternoon to figure out…": no subject of its own, so the one before it
ELIDED = re.compile(r"^(?:took|takes|spent|spends|had to|cost|costs|needed|ended up) (?=\w)", re.IGNORECASE)
# "For example…", "We had a contractor who left on the 3rd still able to log in": a case of the point before.
EXAMPLE = re.compile(
    r"^(?:for (?:example|instance)|e\.g\.|(?:just )?(?:last|this) (?:week|month)|yesterday)\b|"
    r"^(?:we|i) (?:had|have|got) (?:a|an|one|two|three|several|\d+) [\w -]{1,30}? (?:who|that|whose|where)\b",
    re.IGNORECASE,
)
ADJACENT_GAP = 160
COORDINATION = re.compile(r"\b(?:and|or)\b|[&+]", re.IGNORECASE)
TOPIC_MAX_WORDS = 3
TOPIC_LABEL = re.compile(r"^[^:—–]{1,40}(?::|\s[—–-]\s)")
# A clause with a verb of its own ("Half my route has no signal", "who starts this month"), not a bare
# noun phrase ("Keyboard shortcuts"): after a point under the same heading, it explains that point.
CLAUSE_MIN_WORDS = 6
CLAUSE = any_word(
    "i we you they it he she my our their who is are was were has have had can can't won't doesn't don't isn't aren't will would"
)
# "Also the app still says 'Free plan'…", "Oh and…", "One more thing:": a new point, not more of the last one.
ADDITIVE = re.compile(
    r"^(?:also|and also|oh,? and|plus|another thing|one more thing|on top of that|separately|ps|p\.s\.)\b", re.IGNORECASE
)
JOINED_PARTS = re.compile(r"[\s,;]*(?:and|but|so|or)?[\s,;]*")
# "…, and they just never go off": a statement about "it" or "they" continues the one before it.
PRONOUN_SUBJECT = re.compile(r"^(?:and |so |but |also )?(?:it|they|these|those)(?:'s|'re)?\b(?! would\b|'d\b)", re.IGNORECASE)
# "Can that be a setting?", "Any fix planned?": a question about what was just said.
ABOUT_PREVIOUS = re.compile(
    r"^(?:and |so |also )?(?:can|could|will|would|is|are|does|do|any)\b[^?]{0,25}?\b(?:that|this|it|they|fix|eta)\b"
    r"[^?]{0,30}\?",
    re.IGNORECASE,
)


@dataclass
class Statement:
    span: Span
    quote: str
    kind: str
    score: float
    severity: str
    terms: frozenset[str]
    name: str
    joins_previous: bool = False
    name_source: str = ""  # the words the name was taken from
    contentless: bool = False  # its name has no topic word ("12 a month"): evidence for another or nothing
    hint_only: bool = False  # of its kind only because of the heading or question it answers
    joins_next: bool = False  # a topic named before the statement that says what about it ("Time tracking. People…")


@dataclass
class Group:
    kind: str
    members: list[Statement] = field(default_factory=list)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset().union(*(m.terms for m in self.members))


def facets_of(terms: frozenset[str]) -> frozenset[str]:
    return frozenset(t for t in terms if t.startswith("~"))


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """Same topic: identical terms, or half the smaller set shared with a topic word among them —
    unless both say different things about it (slow vs. hard to find)."""
    if a == b:
        return True
    if facets_of(a) and facets_of(b) and not facets_of(a) & facets_of(b):
        return False
    shared = a & b
    if not shared - facets_of(shared):
        return False
    if len(shared) >= 2:
        return len(shared) / min(len(a), len(b)) >= 0.3
    # One shared word: the whole topic of one of them ("The dashboard is easy to use"), or half of both.
    a, b = a - facets_of(a), b - facets_of(b)
    return min(len(a), len(b)) == 1 or len(shared) / max(len(a), len(b)) >= 0.5


def _same_subject(a: Statement, b: Statement) -> bool:
    """Requests whose names name one subject, one more narrowly: "SSO" and "SSO with Okta"."""
    if a.kind != "feature_request":
        return False
    x, y = set(name_key(a.name).split()), set(name_key(b.name).split())
    return bool(x and y) and (x <= y or y <= x)


def group(statements: list[Statement]) -> list[Group]:
    """Statements of one kind that share their key terms, in order of first mention; a statement that
    only qualifies the one before it joins that one's group, and the first statement of a subject
    line's kind in the body restates the subject."""
    groups: list[Group] = []
    last: Group | None = None
    topics: list[Statement] = []  # topics waiting for the statement about them
    for statement in statements:
        if statement.joins_previous and last is not None and _may_join(last.kind, statement.kind):
            last.members.append(statement)
            continue
        if statement.contentless:
            continue
        if statement.joins_next:
            topics.append(statement)
            continue
        home = next(
            (
                g
                for g in groups
                if g.kind == statement.kind
                and all(m.span.subject for m in g.members)
                and not statement.span.subject
                and not ADDITIVE.match(statement.quote)
            ),
            None,
        ) or next(
            (
                g
                for g in groups
                if g.kind == statement.kind
                and any(_similar(statement.terms, m.terms) or _same_subject(statement, m) for m in g.members)
                and not any(m.span == statement.span for m in g.members)  # items of one list stay apart
            ),
            None,
        )
        if home is None:
            home = Group(statement.kind)
            groups.append(home)
        home.members.append(statement)
        home.members += topics
        topics.clear()
        last = home
    for topic in topics:
        groups.append(Group(topic.kind, [topic]))
    return groups


def _new_cost(statement: Statement, previous: Statement) -> bool:
    """A price complaint after a point about something else: the price is a point of its own."""
    return "~cost" in statement.terms and "~cost" not in previous.terms


def _may_join(group_kind: str, kind: str) -> bool:
    """A qualifying statement joins a finding of its own kind, or says how bad a bug, pain or missing
    feature is, or asks about it."""
    return group_kind == kind or (kind in ("pain_point", "bug", "question") and group_kind != "praise")


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


def _representative(g: Group) -> Statement:
    """The member that names the group: a subject line, else the strongest statement with a good name."""
    own = [m for m in g.members if not m.joins_previous and m.kind == g.kind] or g.members
    return max(own, key=lambda m: (m.span.subject, is_analyst_name(m.name), m.score, -m.span.start))


def to_finding(text: str, g: Group) -> Finding:
    representative = _representative(g)
    severity = max((m.severity for m in g.members), key=SEVERITY_ORDER.index)
    if len(g.members) >= cues.SEVERITY_BUMP_MENTIONS and g.kind != "praise" and severity != "critical":
        severity = SEVERITY_ORDER[SEVERITY_ORDER.index(severity) + 1]
    evidence: list[Evidence] = []
    for m in sorted(dict.fromkeys((m.span.start, m.span.end, m.span.speaker) for m in g.members)):
        start, end, speaker = m
        last = evidence[-1] if evidence else None
        last_start, last_end = (last.start or 0, last.end or 0) if last is not None else (0, 0)
        if (
            last is not None
            and last.speaker == speaker
            and not last.quote.endswith((".", "!", "?"))
            and JOINED_PARTS.fullmatch(text, last_end, start)
        ):
            evidence[-1] = Evidence(text[last_start:end], last_start, end, speaker)  # parts of one sentence
        elif last is None or start >= last_end:
            evidence.append(Evidence(text[start:end], start, end, speaker))
    basis = " ".join(sorted(g.terms)) or " ".join(representative.quote.lower().split())
    return Finding(
        key=f"{g.kind}:{hashlib.sha1(basis.encode()).hexdigest()[:20]}",
        kind=g.kind,
        name=representative.name,
        description=describe(g.kind, evidence),
        sentiment=cues.SENTIMENT_BY_KIND[g.kind],
        severity=severity,
        evidence=tuple(evidence),
    )


def _topic_only(quote: str) -> bool:
    """ "Time tracking.", "The equipment step.", "And returns: we do…": a few words that name a topic."""
    head = re.split(r"\s*[:—–]\s*|\s+-\s+", quote, maxsplit=1)[0]
    return len(strip_openers(head).strip(" .!?").split()) <= TOPIC_MAX_WORDS


def _same_sentence(text: str, previous: Statement, statement: Statement) -> bool:
    """Two clauses of one sentence ("Overloads are down, tyre life is up, the tyre guys reckon 15 percent"):
    said in one breath, a second statement of the same kind is more of the first point, not a new one.
    Items of one list (one clause named several times, or requests joined by "and" / "or") stay apart."""
    if previous.span == statement.span or previous.span.end > statement.span.start:
        return False
    between = text[previous.span.end - 1 : statement.span.start]
    if statement.kind == "feature_request" and COORDINATION.search(between):
        return False  # "We'd want bulk export, and ideally a way to pause syncs": a list, one finding per thing
    if INLINE_ITEM.search(between):
        return False  # "1) native gRPC-Web transcoding 2) OpenTelemetry traces": numbered items
    return "\n" not in between and re.search(r"[.!?]", between) is None


def _praises_its_own_subject(statement: Statement) -> bool:
    """Praise under a praise heading, in a sentence that opens with a subject of its own ("Belt grading is well
    organised…", "The eviction history search covers…" after "Coaches are brilliant with the kids."): another
    thing liked, not more about the one before."""
    quote = statement.quote.lstrip(" \t\"'“‘*-•")
    return statement.kind == "praise" and bool(OWN_SUBJECT.match(quote) or NOUN_SUBJECT.match(quote))


def mark_elaborations(text: str, statements: list[Statement], questions: Sequence[int] = ()) -> None:
    """A weak pain right after another statement of the same speaker (in prose: on the same line; in a
    conversation: with no interviewer's question between them, at `questions`) joins it."""
    for previous, statement in pairwise(statements):
        if (
            previous.hint_only
            and _topic_only(previous.quote)
            # a bare request is an item of its own ("Recurring invoices. And the ability to…"); a labelled
            # one ("Returns: …") or a complaint's topic ("Time tracking. People forget…") is what follows
            and (previous.kind != "feature_request" or TOPIC_LABEL.search(previous.quote) is not None)
            and not ADDITIVE.match(statement.quote)
            and not re.match(r"and\b", statement.quote, re.IGNORECASE)
            and previous.span.speaker == statement.span.speaker
            and (previous.kind == "praise") == (statement.kind == "praise")
            and statement.kind != "question"
            and "\n" not in text[previous.span.end : statement.span.start]
            and not any(previous.span.end <= q < statement.span.start for q in questions)
        ):
            previous.joins_next = True
        adjacent = (
            previous.span.speaker == statement.span.speaker
            and 0 <= statement.span.start - previous.span.end <= ADJACENT_GAP
            and "\n\n" not in text[previous.span.end : statement.span.start]
        )
        if statement.kind == previous.kind and _same_sentence(text, previous, statement):
            statement.joins_previous = True
            continue
        # "What happens to our data if we leave? Is there an export of the full records?": a second question
        # in one breath asks the first again, more precisely.
        if (
            statement.kind == previous.kind == "question"
            and adjacent
            and "\n" not in text[previous.span.end : statement.span.start]
            and not ADDITIVE.match(statement.quote)
        ):
            statement.joins_previous = True
            continue
        if adjacent and (
            ABOUT_PREVIOUS.match(statement.quote)
            or WORKS_OUT.match(statement.quote)
            or (ELIDED.match(statement.quote) and _may_join(previous.kind, statement.kind))
            or (EXAMPLE.match(statement.quote) and statement.kind == previous.kind)
        ):
            statement.joins_previous = True
            continue
        if (
            statement.hint_only
            and (CLAUSE.search(statement.quote) or len(statement.quote.split()) >= CLAUSE_MIN_WORDS)
            and not ADDITIVE.match(statement.quote)
            and not re.match(r"and\b", statement.quote, re.IGNORECASE)  # "And a local emulator": one more item
            and previous.span.speaker == statement.span.speaker
            and "\n" not in text[previous.span.end : statement.span.start]
            and re.search(r"[.!?]", text[previous.span.end - 1 : statement.span.start])  # items of one list stay apart
            and not any(previous.span.end <= q < statement.span.start for q in questions)
            and not _praises_its_own_subject(statement)
        ):
            statement.joins_previous = True
            continue
        if (
            LOSS.match(strip_openers(statement.quote))
            and previous.kind in ("bug", "pain_point")
            and previous.span.speaker == statement.span.speaker
            and not any(previous.span.end <= q < statement.span.start for q in questions)
        ):
            statement.joins_previous = True
            continue
        if adjacent and statement.kind == previous.kind and not _new_cost(statement, previous) and (
            (statement.kind in ("bug", "pain_point") and PRONOUN_SUBJECT.match(statement.quote))
            or CONSEQUENCE.match(statement.quote)
            # "Enterprise is priced per seat… Per-seat pricing just doesn't work for us": nothing but the
            # cue of the point before it, said again
            or (not statement.terms - facets_of(statement.terms) and facets_of(statement.terms) & previous.terms)
        ):
            statement.joins_previous = True
            continue
        if (
            (
                (statement.kind == "pain_point" and previous.kind != "praise")
                or (statement.kind == "praise" == previous.kind)
            )
            and statement.score < ELABORATION_MAX_SCORE
            and not statement.span.subject
            and not _new_cost(statement, previous)
            and previous.span.speaker == statement.span.speaker
            and statement.span.start - previous.span.end <= ELABORATION_MAX_GAP
            and (statement.span.speaker is not None or "\n" not in text[previous.span.end : statement.span.start])
            and not OWN_SUBJECT.match(strip_openers(statement.quote))
            and not NOUN_SUBJECT.match(strip_openers(statement.quote))
            and not any(previous.span.end <= q < statement.span.start for q in questions)
        ):
            statement.joins_previous = True
