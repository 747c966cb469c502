"""The local, deterministic extractor: cue phrases, and a small learned model for clauses no cue claims.

The text is cut into evidence (`segment`: speaker turns, lines under their headings, sentences,
clauses); an interviewer's lines (a role label, or a speaker who mostly asks questions) are not
evidence, but their question tells what the answer is about, as a heading does. Clauses are
classified by the cue tables in `cues` (weighted by the analysis profile and the heading's hint); a
request or praise that lists several things becomes one statement per thing, named by `naming` as
an analyst would. `grouping` makes findings of the statements. `additionalContext` only informs the
inferred context.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from itertools import pairwise

from ..patterns import any_word
from . import clause_model, cues, segment
from .base import Extraction, ExtractionRequest, Finding
from .clause_model import ClauseModel
from .grouping import (
    ADDITIVE,
    CONSEQUENCE,
    NOUN_SUBJECT,
    OWN_SUBJECT,
    Group,
    Statement,
    facets_of,
    group,
    mark_elaborations,
    to_finding,
)
from .naming import (
    BACK_REFERENCE,
    BANNED_FIRST_WORDS,
    NOT_ITEM_STARTS,
    insight_name,
    spell_contractions,
    stem,
    strip_openers,
    subject_items,
)
from .parties import find_parties
from .segment import Span

PART_BREAK = re.compile(r",?\s+and\s+|,\s+")
# Between two items of a list: a few words with "and", "or" or "plus" among them ("and the fact that"),
# or a comma when one of those follows.
LIST_WORD = re.compile(r"\b(?:and|or|plus)\b")
LIST_GAP_WORDS = 6
# "Could the system…?", "Also can we get…?": whether the product could do something, not asked of "you".
ASKS_FOR = re.compile(
    r"^(?:(?:and|also|oh|so|but|just|ok|okay|plus)\W+)*(?:can|could)\s+(?!you\b|i ask\b)"
    r"(?![^?]*\b(?:refund|credit|discount))[^?]{3,}\?",
    re.IGNORECASE,
)
# "Is there a way to batch them?", "Are you ever going to do e-signing?", "Any plans for SSO?": a capability asked
# after, the point of the question.
ASKS_FOR_PLANS = re.compile(
    r"^(?:(?:and|also|oh|so|but|just|ok|okay|plus)\W+)*(?:is there (?:a|any) (?:way|option|setting|plan)s? to|"
    r"any (?:way|option|plans?) (?:to|for)|are you(?: guys| all)? (?:ever |still )?(?:going|planning) to|"
    r"(?:do|does) (?:you|the team) (?:have )?(?:any )?plans? (?:to|for)|will you (?:ever )?(?:add|support|build|offer))\b"
    r"(?![^?]*\b(?:refund|credit|discount))[^?]{3,}\?",
    re.IGNORECASE,
)
MIN_STATEMENT_WORDS = 2
NEGATED_KINDS = frozenset({"bug", "pain_point", "praise"})
COMPILED_CUES = {
    kind: tuple((re.compile(pattern), weight, facet) for pattern, weight, facet in entries)
    for kind, entries in cues.KIND_CUES.items()
}
NEGATION = re.compile(cues.NEGATION)
PEOPLE = re.compile(cues.PEOPLE_BEFORE)
PEOPLE_WONT = re.compile(r"(?:never|don't|doesn't|didn't|won't|do not|does not|did not)\b")
# A hint alone makes a bare clause of its kind ("Renewal forecasting" under "What they asked for");
# with cues of its own, a clause only leans toward it.
HINT_ALONE = 1.0
HINT_LEAN = 0.5
FOLLOW_UP_MAX_WORDS = 6
FOLLOW_UP = any_word("that it this then now those them")
NOT_A_PROBLEM = re.compile(
    r"\b(which|that|it)(?:'s| is) (fine|ok|okay|not a (big )?(deal|problem|issue))\b|\bno big deal\b|"
    r"\bdoesn't bother\b|\bdon't mind\b|\bonly takes (a|one) (minute|second|moment)\b"
)
# "…, please add a setting to disable it": a request about "it" asks about the thing just named.
PRONOUN_END = re.compile(r"\b(?:it|them|this|that)\W*$", re.IGNORECASE)
COMPLAINT = re.compile(
    r"\b(too|so|forever|ages|painful\w*|slow\w*|hard|annoy\w*|frustrat\w*|still|only|but|tedious|wast\w*)\b",
    re.IGNORECASE,
)
NOT_A_COMPLAINT = re.compile(r"\b(fine|ok|okay|alright|decent|good|great|nice|love|like|works)\b")
CONSEQUENCE_MAX_TERMS = 2
# A later part of a sentence that says what followed ("…, so I lost the morning") belongs to the part before.
FOLLOW_ON = re.compile(r"^(?:and )?(?:so|which|causing|meaning|resulting in|that means|then|and then)\b", re.IGNORECASE)
# "…, because fraud is found too late": the reason for the part before it, which it is about
# "…, dragging a phase and …": an action, said of the thing before it
SUBORDINATE = any_word("once when whenever after before until as_soon_as", leading=True)
GERUND = re.compile(r"^\w+ing\b(?! (?:is|are|was|were)\b)", re.IGNORECASE)
REASON = any_word("because since as_otherwise otherwise", leading=True)
PRONOUN_LED = re.compile(r"(?:i|we|you|they|it|he|she)(?:'\w+)?\b", re.IGNORECASE)
RELATIVE_START = any_word("which that who where when whose", leading=True)
# A request for "it" asks for what the statement before it named ("they would pay extra for it").
PRONOUN_OBJECT = re.compile(
    r"^(?:\w+ )?without (?:it|this|that|them)\b|\b(?:pay(?: extra)? for|need|want|love|miss|asked for) "
    r"(?:it|this|that|them)\b(?! to\b| \w+ (?:to|for|with|in)\b)|"
    r"^(?:i |we )?(?:had|have|has|needed|ended up having) to \w+ (?:it|them|this|that|those)\b",
    re.IGNORECASE,
)
# A review's title that only rates the product ("Good habit tracker but", "Solid CRM for a small sales team"):
# an evaluative adjective, a product noun and perhaps its audience, no verb. General sentiment, not a finding.
_VERDICT = (
    r"(?:an? |the )?(?:really |very |pretty |super )?(?:good|great|solid|nice|decent|excellent|awesome|"
    r"fantastic|amazing|best|perfect|fine|lovely|brilliant|superb|reliable|simple|powerful|painful|bad|terrible|"
    r"mediocre|okay|ok)(?: [\w-]+){0,3}?(?: (?:for|beyond|above|below|under|past) (?:a |an |the )?[\w -]{1,40}?)?"
)
VERDICT = re.compile(rf"[\"“]?{_VERDICT}(?:,\s*{_VERDICT})*(?:,? but)?[\s.!\"”]*", re.IGNORECASE)
TITLE_MAX_WORDS = 14
TITLE_LEAD = re.compile(r"[\s★☆\"“]*(?:title:)?[\s\"“]*", re.IGNORECASE)
CONTENT_MIN_TERMS = 2
# The learned model reads only clauses of a few words at least ("Thanks so much" is no finding).
LEARNED_MIN_WORDS = 3
SHARED_TERM_CHARS = 4  # a shared stem shorter than this ("new", "day") ties unrelated sentences
QUOTE_LEAD_WORDS = 3  # words of its own before a statement opens a quotation
# "Nobody asked for changes here.", "No one mentioned performance.": the analyst noting what nobody raised
NOBODY_RAISED = re.compile(
    r"^[\s*•-]*(?:nobody|no one|no-one|none of them)\s+(?:\w+ly\s+)?(?:asked|wanted|mentioned|requested|raised|"
    r"complained|missed)\b[^,;:]{0,40}(?:,\s*(?:despite|though|even|although)\b[^,;:]{0,40})?[.!]?$",
    re.IGNORECASE,
)
# The report's own metadata, not what a customer said: "Interviews: 6 owner-operators (van-based)", "Method: 5 site
# visits…", "This round looked at where applicants drop out", "Spent Tues/Wed on site with radiology".
STUDY_NOTE = re.compile(
    r"^[\s*•-]*(?:(?:interviews|interviewees|method(?:ology)?|respondents|sample|sources|period|dates?|researchers?|"
    r"author)\s*:|(?:this|the|our|last) (?:round|study|research|sprint|visit|session)s? (?:looked at|covered|covers|"
    r"focused on|explored|examined)\b|(?:we |i )?spent \S+(?: \S+)? (?:on site|on-site|onsite)\b)",
    re.IGNORECASE,
)
# The analyst's note to self ("Could be their side, needs checking.") and a lead-in that announces points to come
# ("Also while I have you — two things that aren't urgent:"): neither is a point of the customer's.
ASIDE = re.compile(
    r"(?:\b(?:needs?|worth|to be) (?:checking|double-checking|confirm(?:ed|ing)|verif(?:ied|ying)|follow(?:ing)?[- ]up)"
    r"|\btbc|\b(?:a few|two|three|four|some|a couple of|several) (?:more |other )?(?:things|points|issues|items|"
    r"questions|requests)\b[^:.?!]{0,40}:)[\s.!]*$",
    re.IGNORECASE,
)
# "Even a one-way export would be something.", "but even read-only would help": the less a request before it would
# settle for, not another point.
FALLBACK = re.compile(
    r"^\W*(?:(?:but|and|or|so)\s+)?even\b[^.?!]{0,60}\b(?:would|'d|will|could)\s+(?:still\s+)?(?:help|do|work|be "
    r"(?:something|a start|fine|ok(?:ay)?|enough|better than nothing|useful|great|nice|good|a big help))\b",
    re.IGNORECASE,
)
# a quotation under a short attribution: `Agent: "…`, `Dr. said the install "…`, `One owner put it: "…`
ATTRIBUTED = re.compile(r"^[\s*•-]*(?:[^\s\"“:]+\s+){0,3}(?:[^\s\"“:]+:|said\b[^\"“:]{0,30}|put it:?)\s*[\"“]", re.IGNORECASE)
OPEN_QUOTE = re.compile(r'(?<![\w"])"(?=\w)[^"]*$|“(?=\w)[^”]*$')  # a quotation still open at the end
PRICE_NAME = "Price"
# Praise of nothing in particular ("Love this app!") is a sentiment, not a finding.
GENERIC_TERMS = frozenset({"app", "product", "tool", "platform", "servic", "softwar", "system", "solution", "it"})
# The side of a point a kind is on: a fault (a bug), a cost or what it asks for (a pain, a request), praise, or a
# question. A learned clause that shares a subject word only with findings of another side makes a point of its
# own ("The wind widget mixes knots and km/h" after "Love the wind widget", or after "Booking a boat needs a
# phone call"), since it says something else about the subject. A pain and the request it motivates stay one side:
# apart, they repeat each other more often than not.
SIDE = {"bug": "fault", "pain_point": "complaint", "feature_request": "complaint", "praise": "praise",
        "question": "question"}
# Where a lead-in before a clause's point may end ("P2 and P6: when a client…", "Oh, one more — is the footage kept").
LEAD_IN_END = re.compile(r"\s*(?::|[—–]|\s-|,)\s+")
# Words that name no subject: units, and the bare states a cue already says ("Broken", "Still broken").
_NAME_NOISE_TEXT = """second seconds minute minutes hour hours day days week weeks month months year years time lot bit
    thing stuff broken wrong slow issue issues problem bug error fine great good nice work still per easily honest
    painful annoying frustrating terrible awful horrible bad rough meh"""
NAME_NOISE = frozenset(stem(word) for word in _NAME_NOISE_TEXT.split())
# Questions that are rhetorical or not to the vendor.
RHETORICAL = re.compile(r"^(?:so )?(?:which is it|why|what|right|really|seriously|huh|ok)\??$|\?\?", re.IGNORECASE)
# A question offering alternatives asks how things are; the effort it names is a supposition, not a complaint.
ASKS_WHICH = re.compile(r"\bor (?:do|does|is|are|can|will|should|would|has|have) \w+[^?]*\?\s*$")
# The second half of a comparison with another product: "…; ours is fixed", "…, while ours only…"
OURS = re.compile(r"(?:and |but |while |whereas )?(?:ours|yours)\b", re.IGNORECASE)
QUESTION_START = re.compile(
    r"^(?:and,? |also,? |so,? |but,? |oh,? |quick question\s*[,:—–-]*\s*)?(?:is|are|do|does|did|can|could|will|would|should|how|"
    r"what|when|where|which|who|why|any|has|have|was|were|i was wondering|wondering)\b",
    re.IGNORECASE,
)

# How a transcript's header or a turn introduces a speaker: "Priya (Product Manager)", "CSM (Nadia)",
# "Interviewer: Mei".
INTRODUCED = re.compile(r"(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,2}) \((?P<role>[^()\n]{1,60})\)")
INTRODUCED_BY_ROLE = re.compile(r"(?P<role>\b[A-Za-z][\w ]{0,30}?)[ \t]*[:=][ \t]*(?P<name>[A-Z][\w'’-]+)")


def normalise(quote: str) -> str:
    """The quote as the cues read it: lower case, straight apostrophes, and contractions typed without
    their apostrophe ("cant log in", "doesnt work") spelled out."""
    return spell_contractions(quote.lower().replace("’", "'"))


def classify(
    quote: str, profile: str, hint: str | None = None, prefer: str | None = None
) -> tuple[str, float, list[tuple[int, int]], set[str]] | None:
    """(kind, score, cue spans, facets of that kind) for the best kind over the threshold, else None;
    `prefer` wins when it is over the threshold too (a clause whose later part only qualifies the first)."""
    lowered = normalise(quote)
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
            if kind == "bug" and _people_not_doing(lowered, match):
                continue  # "managers never complete their tasks": what people do, not the product failing
            scores[kind] = scores.get(kind, 0.0) + weight * weights.get(kind, 1.0)
            cue_spans.append(match.span())
            if facet:
                facets.setdefault(kind, set()).add(facet)
    if "question" in scores and (not QUESTION_START.search(lowered) or RHETORICAL.search(lowered.strip())):
        scores["question"] -= 1.2
    if "pain_point" in scores and NOT_A_PROBLEM.search(lowered):
        scores["pain_point"] *= 0.3  # "…, which is fine, it only takes a minute"
    if "pain_point" in scores and "question" in scores and scores["question"] > 0 and ASKS_WHICH.search(lowered):
        scores["pain_point"] *= 0.5  # "does it sync automatically or do teachers have to push grades manually?"
    _apply_hint(scores, hint, lowered)
    best = max(cues.KIND_PRECEDENCE, key=lambda k: (scores.get(k, 0.0), -cues.KIND_PRECEDENCE.index(k)))
    if prefer is not None and scores.get(prefer, 0.0) >= cues.KIND_THRESHOLD:
        best = prefer
    if scores.get(best, 0.0) < cues.KIND_THRESHOLD:
        return None
    return best, scores[best], cue_spans, facets.get(best, set())


def _people_not_doing(lowered: str, match: re.Match[str] | None = None) -> bool:
    """ "Reviewers never open the reminder emails": what people do not do (at `match`, else anywhere)."""
    if match is None:
        return any(_people_not_doing(lowered, m) for m in PEOPLE_WONT.finditer(lowered))
    return PEOPLE_WONT.match(match.group()) is not None and PEOPLE.search(lowered[: match.start()]) is not None


def _apply_hint(scores: dict[str, float], hint: str | None, lowered: str) -> None:
    if hint is None or hint == "skip":
        return
    if hint == "negative":
        scores["praise"] = scores.get("praise", 0.0) * 0.3
        target = "pain_point"
    else:
        target = hint
        if hint == "feature_request":
            scores["praise"] = scores.get("praise", 0.0) * 0.5
    strong = any(score >= cues.KIND_THRESHOLD for score in scores.values())
    if strong and hint != "negative":
        scores[target] = scores.get(target, 0.0) + HINT_LEAN
    elif _bare_clause(lowered) and not (hint == "negative" and NOT_A_COMPLAINT.search(lowered)):
        scores[target] = scores.get(target, 0.0) + HINT_ALONE


def _bare_clause(lowered: str) -> bool:
    """A phrase that can stand for a finding by itself: a few words, not opening with a pronoun."""
    words = re.findall(r"[a-z0-9'/-]+", strip_openers(lowered))
    if sum(len(w) >= 3 and w.replace("-", "").isalpha() for w in words) < MIN_STATEMENT_WORDS and len(words) < 3:
        return False  # "ticket #48213"
    if lowered.rstrip().endswith("?"):
        return len(words) >= MIN_STATEMENT_WORDS  # under a "Questions" heading
    return len(words) >= MIN_STATEMENT_WORDS and words[0] not in BANNED_FIRST_WORDS | NOT_ITEM_STARTS


def key_terms(lowered: str, cue_spans: list[tuple[int, int]], facets: set[str]) -> frozenset[str]:
    chars = list(lowered)
    for start, end in cue_spans:
        chars[start:end] = " " * (end - start)
    return frozenset(_terms("".join(chars)) | facets)


def _terms(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("’", ""))
    return {stem(w) for w in words if w not in cues.STOPWORDS and (len(w) >= 3 or w.isdigit())}


def statement_severity(kind: str, lowered: str) -> str:
    if kind == "praise":
        return "low"
    for level, pattern in cues.SEVERITY_CUES:
        if re.search(pattern, lowered):
            return level
    return cues.BASE_SEVERITY[kind]


def interviewers(text: str, turns: list[Span]) -> set[str]:
    """Speakers who run the conversation: a role label or an introduction as the vendor's; failing those, those who
    mostly ask questions (with another speaker present). A customer who asks the vendor questions is not the
    interviewer when the vendor's side is known by its role."""
    speakers = {t.speaker for t in turns if t.speaker}
    known, asking = set(), set()
    for speaker in speakers:
        label, _, role = speaker.lower().partition("(")
        role = role.rstrip(")").strip()
        lines = [text[t.start : t.end] for t in turns if t.speaker == speaker]
        sentences = [s for line in lines for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
        questions = sum(s.rstrip().endswith("?") for s in sentences)
        asking_turns = sum(line.rstrip().endswith("?") for line in lines)
        mostly_questions = (questions >= 2 and questions >= cues.INTERVIEWER_QUESTION_SHARE * len(sentences)) or (
            len(lines) >= 2 and asking_turns >= cues.INTERVIEWER_QUESTION_SHARE * len(lines)
        )
        if {label.strip(), role} & cues.INTERVIEWER_LABELS or segment.is_vendor(speaker):
            known.add(speaker)
        elif len(speakers) > 1 and mostly_questions:
            asking.add(speaker)
    introduced = _introduced_vendors(text)

    def named_again(found: set[str]) -> set[str]:
        # "Renée" later in a conversation where she was introduced as "Renée (Account Exec)"
        names = {s.partition("(")[0].strip().lower() for s in found if "(" in s} | introduced
        # a first name, not the generic word of "Speaker 1 (Priya, CSM)", which "Speaker 2" shares
        first_names = {n.split(" ")[0] for n in names} - cues.GENERIC_LABELS
        return found | {s for s in speakers if s.lower() in names or s.lower().split(" ")[0] in first_names}

    found = named_again(known) or named_again(asking)
    return found if found != speakers else {s for s in found if s.lower() in cues.INTERVIEWER_LABELS}


def _introduced_vendors(text: str) -> set[str]:
    """Names a header or a turn introduces on the vendor's side, lower case: "Priya (Product Manager)",
    "CSM (Nadia)", "Interviewer: Mei (Product)"; her later turns, labelled "Priya" or "NADIA", are not evidence."""
    names = set()
    for m in INTRODUCED.finditer(text):
        name, role = m.group("name"), m.group("role")
        if any(segment.VENDOR_ROLE.fullmatch(part.strip()) for part in role.split(",")):
            names.add(name.lower())
        elif segment.VENDOR_ROLE.fullmatch(name):
            names.add(role.split(",")[0].strip().lower())
    by_role = INTRODUCED_BY_ROLE.finditer(text)
    return names | {m.group("name").lower() for m in by_role if segment.VENDOR_ROLE.fullmatch(m.group("role"))}


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


def _statements(
    text: str, span: Span, profile: str, named: Span | None = None, prefer: str | None = None
) -> list[Statement]:
    """The clause as statements: one, or one per thing when it asks for or praises a list of things.
    `named` is the part of the clause that carries the finding, when the rest only sets the scene."""
    quote = text[span.start : span.end]
    found = classify(quote, profile, span.hint, prefer) if len(quote.split()) >= MIN_STATEMENT_WORDS else None
    if found is None:
        return []
    kind, score, cue_spans, facets = found
    lowered = normalise(quote)
    severity = statement_severity(kind, lowered)
    terms = key_terms(lowered, cue_spans, facets)
    if kind == "praise" and not terms - facets_of(terms) - GENERIC_TERMS:
        return []
    if kind in ("praise", "pain_point") and VERDICT.fullmatch(quote) and _in_title(text, span):
        return []
    source = text[named.start : named.end] if named else quote
    names = [insight_name(span.label)] if span.label else subject_items(source, kind)
    if len(names) == 1:
        # A name without a topic ("Would be nice to see") still stands for a clause with a topic of its own
        # ("…which doctor I'm booked with").
        topic = {t for t in terms - facets_of(terms) if not t.isdigit() and t not in NAME_NOISE}
        # …or a clause that is all cue, with a one-word name ("Can't complain.", "she missed one."): no subject
        contentless = (not _name_terms(names[0]) and len(topic) < CONTENT_MIN_TERMS) or (
            not terms and len(_name_terms(names[0])) < CONTENT_MIN_TERMS
        )
        if contentless and "~cost" in terms:  # "It's steep for us": the price is the subject
            names, contentless = [PRICE_NAME], False
        joins = (
            (kind in ("pain_point", "bug") and bool(CONSEQUENCE.match(quote)) and "~cost" not in terms
             and len(terms - facets_of(terms)) <= CONSEQUENCE_MAX_TERMS)
            or bool(PRONOUN_OBJECT.search(quote))
            or contentless
        )
        statement = Statement(span, quote, kind, score, severity, terms, names[0], joins, source, contentless)
        statement.hint_only = not cue_spans
        return [statement]
    return [
        Statement(span, quote, kind, score, severity, frozenset(_terms(name)) or terms, name, False, name)
        for name in names
        if _name_terms(name)
    ]


def _in_title(text: str, span: Span) -> bool:
    """A review's title: the text's opening words, or a span on its first line when that line is short."""
    if TITLE_LEAD.fullmatch(text[: span.start]):
        return True
    head = text.lstrip()
    first_line = head.split("\n", 1)[0]
    offset = len(text) - len(head)
    return span.end <= offset + len(first_line) and len(first_line.split()) <= TITLE_MAX_WORDS


def _subject_terms(terms: frozenset[str]) -> set[str]:
    """The terms that can name a subject: not numbers."""
    return {t for t in terms if not t.isdigit()}


def _repeats(terms: set[str], claimed: frozenset[str]) -> bool:
    """Whether a learned statement is about a subject a rule's finding already has: a word of it that names a
    subject, not the product in general ("the app shows Fahrenheit" after "the app logs me out")."""
    return bool(terms & claimed - GENERIC_TERMS)


def _name_terms(name: str) -> set[str]:
    """The topic words of a name, without numbers and units ("12 a month" has none)."""
    return {t for t in _terms(name) if not t.isdigit() and t not in NAME_NOISE}


def statements_of(text: str, clause: Span, profile: str) -> list[Statement]:
    """The clause as statements, or as several when its parts ("slow and crashes") say different things.

    Parts without a cue of their own, or of the same kind with no topic of their own ("…, it saves us
    hours"), stay with the part before them.
    """
    cuts = [
        clause.start,
        *(b for m in PART_BREAK.finditer(text, clause.start, clause.end) for b in m.span()),
        clause.end,
    ]
    parts = [
        replace(clause, start=s, end=e)
        for s, e in (segment.strip_span(text, cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2))
        if e > s
    ]
    merged: list[tuple[Span, list[Statement], Span | None]] = []
    prefer: dict[int, str] = {}  # merged index → the kind of a part that a later part only qualifies
    for i, part in enumerate(parts):
        # "Once the data model is set up, building dashboards is fast": a condition of the part after it
        condition = i + 1 < len(parts) and SUBORDINATE.match(text[part.start : part.end]) is not None
        found = [] if condition else _statements(text, part, profile)
        if not merged:
            merged.append((part, found, part if found else None))
            continue
        last = merged[-1]
        joins = (
            not found
            or not last[1]
            or FOLLOW_ON.match(text[part.start : part.end]) is not None
            or REASON.match(text[part.start : part.end]) is not None
            or (found[0].kind == last[1][0].kind and _same_point(found[0], text[part.start : part.end]))
            or _qualifies(found[0], last[1][0], text[part.start : part.end])
            or (found[0].hint_only and GERUND.match(text[part.start : part.end]) is not None)
        )
        if found and last[1] and (
            _qualifies(found[0], last[1][0], text[part.start : part.end]) or REASON.match(text[part.start : part.end])
        ):
            prefer[len(merged) - 1] = last[1][0].kind
        if joins:
            words = text[part.start : part.end]
            follow_on = FOLLOW_ON.match(words) or RELATIVE_START.match(words) or PRONOUN_LED.match(words)
            named: Span | None
            if last[1] and found and found[0].score > last[1][0].score and not follow_on and not prefer.get(len(merged) - 1):
                named = part  # the stronger part names the point ("…, and it's tedious to keep them in sync")
            elif last[2] is not None:
                named = replace(last[2], end=part.end)
            else:
                named = part if found else None
            merged[-1] = (replace(last[0], end=part.end), last[1] or found, named)
        else:
            merged.append((part, found, part if found else None))
    if sum(bool(found) for _, found, _ in merged) < 2:
        return _statements(text, clause, profile, merged[0][2] if len(merged) == 1 else None, prefer.get(0))
    return [
        s for i, (span, _, named) in enumerate(merged) for s in _statements(text, span, profile, named, prefer.get(i))
    ]


def _qualifies(statement: Statement, before: Statement, part: str) -> bool:
    """A part that says what the part before it brings or costs, in the same sentence: a time or effort
    with no word of complaint after praise ("the templates are great, setting up a role takes five
    minutes"), the effort a bug causes ("…never match, and my team spends two days chasing pennies")."""
    if before.kind == "praise" and statement.kind == "pain_point":
        return facets_of(statement.terms) <= {"~speed", "~effort"} and not COMPLAINT.search(part)
    # after a bug, the effort it causes, or a part with no cue of its own: its symptom
    return before.kind == "bug" and statement.kind == "pain_point" and ("~effort" in statement.terms or statement.hint_only)


def _same_point(statement: Statement, part: str) -> bool:
    """A part of the same kind as the one before that adds no point of its own: a bug or pain described
    further ("doesn't save drafts, so managers lost their writing"), or a part about "it" or "they"."""
    return (
        statement.kind in ("bug", "pain_point")
        or not statement.terms - facets_of(statement.terms)
        or (statement.kind == "praise" and "~time-saved" in statement.terms and not OWN_SUBJECT.match(part))
        or (statement.kind == "praise" and re.search(r"\b(?:it|them)\b", part, re.IGNORECASE) is not None)
        or (statement.kind == "feature_request" and PRONOUN_END.search(part) is not None)
        or (statement.kind == "praise" and re.match(r"(?:it|they|this|that|which|these)\b", part, re.IGNORECASE) is not None)
    )


def _refer_back(text: str, clauses: list[Span], profile: str) -> list[Span]:
    """A clause that only states a fact ("The reminder emails go out", "Fuel card data is imported weekly
    by CSV") and the next one, which says what is wrong with "them" or asks for "it" otherwise: one clause,
    so the finding is about the fact's subject."""
    merged: list[Span] = []
    for clause in clauses:
        last = merged[-1] if merged else None
        if (
            last is not None
            and BACK_REFERENCE.search(text, clause.start, clause.end)
            and not _statements(text, last, profile)
            and _statements(text, clause, profile)
        ):
            merged[-1] = replace(last, end=clause.end)
        else:
            merged.append(clause)
    return merged


def _join_comparisons(text: str, clauses: list[Span]) -> list[Span]:
    """"CaseStack has native e-signature; ours needs an add-on": a clause about another product and the
    one that sets ours against it make one point, the capability ours lacks."""
    joined: list[Span] = []
    for clause in clauses:
        if joined and OURS.match(text, clause.start, clause.end):
            joined[-1] = replace(joined[-1], end=clause.end)
        else:
            joined.append(clause)
    return joined


def evidence_spans(request: ExtractionRequest) -> tuple[list[Span], list[Span], set[str]]:
    """(the evidence lines, the speaker turns, the interviewers): an interviewer's question is the
    hint for the answer that follows it."""
    text = request.text
    turns = segment.speaker_turns(text) if request.is_conversation else []
    if not turns:
        lines = segment.prose_spans(text)
        if request.profile == "discovery_report" and lines and _is_title(text, lines[0]):
            lines = lines[1:]
        return lines, [], set()
    asking = interviewers(text, turns)
    spans: list[Span] = []
    hint: str | None = None
    for turn in turns:
        if turn.speaker in asking:
            questions = [s for s in re.split(r"(?<=[.!?])\s+", text[turn.start : turn.end]) if s.endswith("?")]
            hint = segment.heading_hint(questions[-1]) if questions else None
            continue
        for span in segment.prose_spans(text, turn.start, turn.end, turn.speaker):
            spans.append(replace(span, hint=span.hint or hint))
    return spans, turns, asking


def _opens_topic(turn: str, answer: str = "") -> bool:
    """An interviewer's question that moves on ("Anything else?", "How does billing work?"), not a
    follow-up about what was just said ("How do you handle that now?", or a word of the answer taken
    up again: "…a lot of chasing." — "What's the chasing about?")."""
    questions = [q for q in re.split(r"(?<=[.!?])\s+", turn) if q.endswith("?")]
    if not questions or FOLLOW_UP.search(questions[-1]):
        return False
    taken_up = _terms(questions[-1]) & _terms(answer) - GENERIC_TERMS
    return not (answer and taken_up and len(questions[-1].split()) <= FOLLOW_UP_MAX_WORDS)


def _is_title(text: str, span: Span) -> bool:
    """A report's first line when it reads as a title: no sentence punctuation at its end (a label before
    it, "Win/loss notes: lost deal, …", is part of the title)."""
    return "\n" not in text[: span.start].strip() and not text[span.start : span.end].rstrip().endswith((".", "!", "?"))


def _no_point(quote: str) -> bool:
    """What nobody raised, the report's own metadata or the analyst's aside: no point of the customer's."""
    return bool(NOBODY_RAISED.match(quote) or STUDY_NOTE.match(quote) or ASIDE.search(quote))


def clauses_of(request: ExtractionRequest) -> tuple[list[Span], list[Span], set[str]]:
    """(the clauses the statements are read from, the speaker turns, the interviewers)."""
    text = request.text
    spans, turns, asking = evidence_spans(request)
    found: list[Span] = []
    for span in spans:
        hint = span.hint
        numbered = False  # after "Q2.", a question is the form's
        for sentence in segment.sentences(text, span):
            quote = text[sentence.start : sentence.end]
            after_number, numbered = numbered, bool(segment.QUESTION_NUMBER.fullmatch(quote))
            if numbered:
                continue
            if (
                segment.is_prompt(quote)
                or (after_number and quote.rstrip().endswith("?"))
                or segment.NUMBERED_PROMPT.fullmatch(quote)
            ):
                hint = segment.heading_hint(text[sentence.start : sentence.end]) or span.hint
                continue
            label = segment.read_label(text, sentence.start, sentence.end)
            if label is not None and label.start > sentence.start or label is not None and label.topic:
                # "… on average. Reasons given: logging a workout takes too many taps"
                sentence = replace(sentence, start=label.start, label=label.topic or sentence.label)
                if label.hint:
                    sentence = replace(sentence, hint=label.hint)
            clauses = _join_comparisons(text, segment.clauses(text, replace(sentence, hint=hint)))
            found += _refer_back(text, clauses, request.profile)
    return found, turns, asking


def clause_features(text: str, clause: Span, profile: str, rule_kinds: Iterable[str] = ()) -> list[str]:
    """The clause as the learned model reads it: its words and shape, and the kinds the rules gave it."""
    quote = text[clause.start : clause.end]
    return clause_model.features(quote, profile, clause.hint, clause.subject, tuple(sorted(rule_kinds)))


def readings(request: ExtractionRequest) -> tuple[list[tuple[Span, list[Statement], list[str]]], list[Span], set[str]]:
    """(each clause with the rules' statements and the learned model's features, the turns, the interviewers)."""
    text = request.text
    clauses, turns, asking = clauses_of(request)
    found = []
    for clause in clauses:
        statements = statements_of(text, clause, request.profile)
        found.append((clause, statements, clause_features(text, clause, request.profile, {s.kind for s in statements})))
    return found, turns, asking


def learned_statements(text: str, clause: Span, feats: list[str], model: ClauseModel) -> list[Statement]:
    """A clause no rule claimed, as the statements of the kind the learned model is sure it states."""
    quote = text[clause.start : clause.end]
    if clause.hint == "skip" or len(quote.split()) < LEARNED_MIN_WORDS:
        return []
    kind = model.kind_of(feats)
    if kind is None:
        return []
    lowered = normalise(quote)
    terms = key_terms(lowered, [], set())
    if kind == "praise" and not terms - GENERIC_TERMS or kind == "bug" and _people_not_doing(lowered):
        return []
    names = [insight_name(clause.label)] if clause.label else _topical_names(quote, kind)
    severity = statement_severity(kind, lowered)
    return [
        Statement(clause, quote, kind, cues.KIND_THRESHOLD, severity, frozenset(_terms(name)) or terms, name, False, quote)
        for name in names
        if _name_terms(name)
    ]


def _topical_names(quote: str, kind: str) -> list[str]:
    """The clause's names; when they name nothing (a lead-in such as "P2 and P6:", "Not a problem, more a question:",
    "Oh, one more —"), those of the words after the first colon, dash or comma that give a name with a topic."""
    names = subject_items(quote, kind)
    for separator in LEAD_IN_END.finditer(quote):
        if any(_name_terms(name) for name in names):
            break
        names = subject_items(quote[separator.end() :], kind)
    return names


def reviewed(found: list[Statement], feats: list[str], model: ClauseModel) -> list[Statement]:
    """A rule's statements as the learned model sees their clause: none when it is sure the clause states
    nothing, of another kind when it is sure of that kind and the rules' cues were weak."""
    kind, probability = model.predict(feats)
    if kind == clause_model.NONE and probability >= model.veto:
        return [s for s in found if s.joins_previous]  # "This is blocking us" only says how bad the point before is
    if kind != clause_model.NONE and probability >= model.relabel and all(s.score < model.relabel_score for s in found):
        for statement in found:
            statement.kind = kind
    return found


def _listed(finding: Finding, other: Finding) -> bool:
    """Whether the two findings' names are items of one list in a quote of `other` ("a dark mode and
    keyboard shortcuts", "SSO, audit logs and SCIM")."""
    a, b = finding.name.lower(), other.name.lower()
    for evidence in other.evidence:
        quote = evidence.quote.lower()
        i, j = quote.find(a), quote.find(b)
        if i < 0 or j < 0:
            continue
        gap = quote[min(i + len(a), j + len(b)) : max(i, j)]
        if len(gap.split()) > LIST_GAP_WORDS:
            continue
        if LIST_WORD.search(gap) or gap.strip() == "," and LIST_WORD.search(quote[max(i, j) :]):
            return True
    return False


def without_repeats(findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The findings less those whose every quote lies inside another's evidence: the same point cut in two
    ("…cash out the same day, even for a fee…" made "Cash out the same day" and "For a fee"), a consequence
    or an aside of the sentence another finding holds. Items of one list of the same kind stay apart; of
    findings with the same quotes, the first stays."""
    kept = []
    for i, finding in enumerate(findings):
        quotes = [e.quote for e in finding.evidence]
        repeats = False
        for j, other in enumerate(findings):
            others = [e.quote for e in other.evidence]
            if i == j or not all(any(q in o for o in others) for q in quotes):
                continue
            if j > i and set(quotes) == set(others):
                continue
            if finding.kind == other.kind and _listed(finding, other):
                continue
            repeats = True
            break
        if not repeats:
            kept.append(finding)
    return tuple(kept)


def asked_for(g: Group) -> Group:
    """A question that asks whether the product could do something ("Could the system calculate the adjustment
    from a policy rule?", "Can we pay in instalments?") asks for it: a feature request. One that asks the
    vendor ("Can you confirm…") or about the customer's money ("Can I get a refund…") stays a question."""
    first = min(g.members, key=lambda m: m.span.start)
    asked = strip_openers(first.quote).strip(" \"'“”")
    if g.kind == "question" and (ASKS_FOR.match(asked) or ASKS_FOR_PLANS.match(asked)):
        for member in g.members:
            if member.kind == "question":
                member.kind = "feature_request"
        g.kind = "feature_request"
    return g


def _own_point(text: str, before: Statement, statement: Statement) -> bool:
    """A learned statement of another kind, in a sentence of its own that opens (after "also", "and") with a subject
    of its own ("The password reset email never reaches our team." after a request): a point of its own, not more
    of the rule's statement before it on the line."""
    quote = statement.quote.lstrip(" \t\"'“‘*-•")
    additive = ADDITIVE.match(quote)
    quote = quote[m.end() :].lstrip(" ,") if (m := additive or re.match(r"and\b", quote, re.IGNORECASE)) else quote
    return (
        statement.kind != before.kind
        and re.search(r"[.!?]", text[before.span.end - 1 : statement.span.start]) is not None
        and (OWN_SUBJECT.match(quote) is not None or NOUN_SUBJECT.match(quote) is not None)
        # after a complaint, a complaint of another kind is most likely its symptom or cost, unless "also…"
        and (additive is not None or not {before.kind, statement.kind} <= {"bug", "pain_point"})
    )


def _in_quote_of(text: str, before: Statement, statement: Statement) -> bool:
    """Whether `statement` goes on with a quotation that `before` opened after some words of its own, on one line
    ("Paralegals like the conflict check…: "saves me 10 minutes a case and I never miss an adverse party.""): the
    participant's words given as evidence of that point, not a point of their own. A quotation that holds both
    (a survey answer quoted whole) is not one."""
    own = text[before.span.start : before.span.end]
    gap = text[before.span.end : statement.span.start]
    opening = OPEN_QUOTE.search(own)
    return (
        opening is not None
        and len(own[: opening.start()].split()) >= QUOTE_LEAD_WORDS
        and "\n" not in gap
        and not re.search(r'["”]', gap)
    )


def _quotes_the_point(text: str, before: Statement, statement: Statement) -> bool:
    """A participant's words quoted under their attribution (`Agent: "If your system could send it…"`) right after
    a point with a subject word of theirs: the evidence of that point, not a second one."""
    shared = _subject_terms(statement.terms) & _subject_terms(before.terms) - GENERIC_TERMS
    return (
        ATTRIBUTED.match(statement.quote) is not None
        and ATTRIBUTED.match(before.quote) is None  # one attributed row after another: each its own
        and "\n\n" not in text[before.span.end : statement.span.start]
        and bool(shared)
    )


def _says_again(text: str, before: Statement, statement: Statement) -> bool:
    """The next sentence on the line (a turn, a paragraph, a bullet), of the same kind and sharing a subject word
    with the one before ("It has to land in ServiceNow. If it doesn't raise a ServiceNow incident my night shift
    won't see it."): the point said again, not a second one. "Also…" opens another."""
    between = text[before.span.end - 1 : statement.span.start]
    quote = statement.quote.lstrip(" \t\"'“‘*-•")
    return (
        statement.kind == before.kind
        and statement.span.speaker == before.span.speaker
        and "\n" not in between
        and re.search(r"[.!?]", between) is not None
        and not ADDITIVE.match(quote)
        and not re.match(r"and\b|(?:\S+\s+){0,2}also\b", quote, re.IGNORECASE)  # "We also lose on…": another point
        # a word of the subject, not "new" or "app", nor a complaint's facet: "The app crashes on login. Sync fails
        # every night." are two bugs
        and any(
            len(t) >= SHARED_TERM_CHARS
            for t in _subject_terms(statement.terms) & before.terms - GENERIC_TERMS - facets_of(before.terms)
        )
    )


def extract(request: ExtractionRequest, model: ClauseModel | None = None) -> Extraction:
    """The findings of the request's text: the cue rules' statements, and for clauses no rule claimed,
    those the learned model is sure of (`model`, else the one shipped with the package)."""
    text = request.text
    model = model or clause_model.default_model()
    read, turns, asking = readings(request)
    statements: list[Statement] = []
    unclaimed: list[tuple[Span, list[str]]] = []
    for clause, found, feats in read:
        if found and model is not None:
            found = reviewed(found, feats, model)
        if not found:
            unclaimed.append((clause, feats))
        statements += found
    if model is not None:
        # A learned statement about a subject a rule already found would only repeat it. A number is no
        # subject: "00" of a transcript's timestamps or "2" of a count would tie unrelated clauses.
        # …of the same side: praise of a thing is not a repeat of a complaint about it, nor a question of either.
        claimed = {
            side: frozenset().union(
                *(_name_terms(s.name) | (s.terms - facets_of(s.terms)) for s in statements if SIDE[s.kind] == side)
            )
            for side in set(SIDE.values())
        }
        learned = [
            s
            for clause, feats in unclaimed
            for s in learned_statements(text, clause, feats, model)
            if not _repeats(_subject_terms(s.terms), claimed[SIDE[s.kind]])
        ]
        statements = sorted(statements + learned, key=lambda s: s.span.start)
        is_learned = {id(s) for s in learned}
        for before, statement in pairwise(statements):
            if (
                id(statement) in is_learned
                and id(before) not in is_learned
                and "\n" not in text[before.span.end : statement.span.start]
                and not _own_point(text, before, statement)
            ):
                # said on the same line as a finding the rules made: most likely more about it
                statement.joins_previous = True
            elif (
                id(before) in is_learned
                and id(statement) not in is_learned
                and before.kind == statement.kind
                and "\n" not in text[before.span.end : statement.span.start]
            ):
                # the same kind said just before a finding the rules made, on its line: most likely its context
                before.joins_next = True
    statements = [s for s in statements if not _no_point(s.quote)]
    for before, statement in pairwise(statements):
        if FALLBACK.match(statement.quote) and SIDE[before.kind] in {SIDE["bug"], SIDE["feature_request"]}:
            # "Even a one-way export would be something.": the request before it, asked for less
            statement.kind, statement.joins_previous = before.kind, True
        if _quotes_the_point(text, before, statement):
            statement.kind, statement.joins_previous = before.kind, True
        if _says_again(text, before, statement):
            statement.joins_previous = True
        if _in_quote_of(text, before, statement):
            statement.kind, statement.joins_previous = before.kind, True
    new_topics = [
        t.start
        for i, t in enumerate(turns)
        if t.speaker in asking
        and _opens_topic(text[t.start : t.end], text[turns[i - 1].start : turns[i - 1].end] if i else "")
    ]
    mark_elaborations(text, statements, new_topics)
    findings = without_repeats(tuple(to_finding(text, asked_for(g)) for g in group(statements)))
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

    def __init__(self, model: ClauseModel | None = None) -> None:
        self.model = model  # None: the model shipped with the package

    async def extract(self, request: ExtractionRequest) -> Extraction:
        return await asyncio.to_thread(extract, request, self.model)
