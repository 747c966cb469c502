"""Cutting text into the pieces that can be evidence, keeping exact character offsets.

Transcripts are split by speaker turns ("Name: text", "[00:01] Name: text", "Name (00:01): text",
"Name  00:01  text", or a "Name  00:01" line above the text). Other text is read line by line: e-mail
headers, quoted replies, the vendor's notes and replies in a ticket's thread, greetings, sign-offs with the
signature under them, and "Sent from my phone" lines are not evidence; a forwarded message is, and so is
the respondent's text of an export's row; a subject or title line is; a section heading ("What do you
dislike?", "Requests", "Pros:") is not evidence but tells what the lines under it are (a `hint`), and so
does a label before a line's text ("Cons: …", "Asked for: …"). Everything is then split into sentences,
and sentences into clauses at contrasting conjunctions ("…, but …"). Every piece is an exact slice of the
original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from . import cues

TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
LABEL = (
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:\s*\((?!\s*\d{1,2}:\d{2})[^)\n]{1,60}\))?|[Ss]peaker\s*\d+"
    r"(?:\s*\([^)\n]{1,60}\))?"
)
BOLD = r"(?:\*\*|__)?"  # "**Renée (Account Exec):** …"
TURN_LINE = re.compile(
    rf"^[ \t]*(?:[\[(]?{TIME}[\])]?[ \t]*[-–]?[ \t]*)?{BOLD}(?P<speaker>{LABEL})"
    rf"[ \t]*(?:[\[(]{TIME}[\])])?[ \t]*{BOLD}:{BOLD}[ \t]+(?=\S)",
    re.MULTILINE,
)
# The vendor's side of a conversation, by the role a speaker label gives ("Priya Raman (Customer Success)",
# "Agent (Luis)", "Renée (Account Exec)"): their words are not the customer's evidence.
VENDOR_ROLE = re.compile(
    r"\b(?:interviewer|moderator|facilitator|researcher|ux research\w*|customer success|success manager|csm|"
    r"account exec\w*|account manager|ae|sdr|bdr|sales(?: engineer| rep)?|solutions? engineer|se|pm|"
    r"product manager|product designer|support agent|agent|support|vendor|host)\b",
    re.IGNORECASE,
)
# "This message may contain confidential information… If you received it in error…": an e-mail's footer.
DISCLAIMER = re.compile(
    r"\b(?:(?:this|the) (?:e-?mail|message|communication)(?: and any attachments)? (?:may contain|contains|is "
    r"(?:confidential|intended))|received (?:this|it) (?:message |e-?mail )?in error|confidentiality notice)\b",
    re.IGNORECASE,
)
# "Q1.", "Q3)": a survey form's numbered question, whose question sentence is the form's, not evidence.
QUESTION_NUMBER = re.compile(r"[ \t]*(?:q|question)[ \t]*\d{1,2}[.):]?[ \t]*", re.IGNORECASE)
# "Question 1: How likely are you to recommend…?", "Q3) Anything else?": the form's question with its number.
NUMBERED_PROMPT = re.compile(r"[ \t]*(?:q|question)[ \t]*\d{1,2}[ \t]*[.):][^\n]*\?[\s\"”)]*", re.IGNORECASE)
SPEAKER_HEADER = re.compile(rf"^[ \t]*(?P<speaker>{LABEL})[ \t]+[\[(]?{TIME}[\])]?[ \t]*$", re.MULTILINE)
# "Priya  00:01:10  ok I think we're recording": the name and the time in columns before the words (auto
# transcripts); the wide gap after the time tells it from a sentence that mentions a time.
SPEAKER_TIME_LINE = re.compile(rf"^[ \t]*(?P<speaker>{LABEL})[ \t]+[\[(]?{TIME}[\])]?(?:[ \t]{{2,}}|\t)(?=\S)", re.MULTILINE)
HEADER_LINE = re.compile(r"^[ \t]*(from|to|cc|bcc|date|sent|reply-to)[ \t]*:", re.IGNORECASE)
SUBJECT_LINE = re.compile(
    r"^[ \t]*(?:subject|title|re|fw|fwd)[ \t]*:[ \t]*(?:(?:re|fw|fwd|aw)[ \t]*:[ \t]*)*(?:\[[^\]\n]{1,20}\][ \t]*)?",
    re.IGNORECASE,
)
QUOTED_REPLY = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*original message[ \t]*-{2,}|on\b.{3,120}\bwrote:[ \t]*$|_{8,})",
    re.IGNORECASE,
)
# "---------- Forwarded message ---------": what is forwarded is what the sender passes on to the vendor (a
# colleague's or a customer's report), so it is evidence; unlike a quoted reply, the marker ends nothing.
FORWARD_MARK = re.compile(r"^[ \t]*-{2,}[ \t]*(?:end (?:of )?)?forwarded message[ \t]*-{2,}[ \t]*$", re.IGNORECASE)
QUOTED_LINE = re.compile(r"^[ \t]*>")
# "Agent note (Kevin, L1): …", "=== Support reply (Jiyoung, Tier 2) ===", "Reply from Ines, 2 Dec 2026 10:47:":
# who writes the lines that follow in a ticket's thread. A note or reply of the vendor's side is not evidence.
NOTE_HEADER = re.compile(
    r"^[ \t]*(?:[-=*]{2,}[ \t]*)?(?:(?P<role>[A-Za-z]\w*(?: [A-Za-z]\w*){0,2}) (?:note|reply|response|comment)|"
    r"(?:reply|response|note|message) from (?P<who>[^,:(\n—–]{1,60}?))[ \t]*(?:\([^)\n]{0,80}\))?"
    r"(?:[ \t]*[,—–-][ \t]*(?:[^:\n]|(?<=\d):(?=\d)){0,40}?)?[ \t]*(?::(?!\d)|[-=]{2,}[ \t]*$|$)",
    re.IGNORECASE,
)
# "--- Hector Alvarado, 2026-08-20 09:41 ---", "---- Kevin (Support), Feb 27, 16:02 ----": who writes the message
# under it in a ticket's thread, framed by dashes, with its date. The vendor's message is not evidence.
AUTHOR_LINE = re.compile(
    r"^[ \t]*[-=]{2,}[ \t]*(?P<who>[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*(?:\((?P<role>[^)\n]{1,60})\))?"
    r"[ \t]*,[^\n]*?\d[^\n]*?[-=]{2,}[ \t]*$"
)
SIGNATURE_MARK = re.compile(r"^[ \t]*(?:--|—|–)[ \t]*$|^[ \t]*sent from (?:my|outlook|mail|yahoo|gmail)\b", re.IGNORECASE)
SIGN_OFF = re.compile(cues.SIGN_OFF, re.IGNORECASE)
DASH_NAME = re.compile(r"^[ \t]*[—–-][ \t]*[A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,2}[ \t]*$")
GREETING = re.compile(cues.GREETING, re.IGNORECASE)
KEY_VALUE = re.compile(r"^[ \t]*(?P<key>[A-Za-z][\w'’/&+ -]{0,40}?\??)[ \t]*(?<![:\d])[:=][ \t]*(?P<value>.*)$")
MARKDOWN_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(?P<title>.+)$")
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]*_]*(?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*•]|\d+[.)])\s)|\n")
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "vs", "inc", "ltd", "approx", "no", "st", "p.s", "ps"}
)
CLAUSE_BREAK = re.compile(r"\s*(?:;|,?\s+\b(?:but|however|although|though|whereas)\b,?)\s+", re.IGNORECASE)
BULLET = re.compile(r"^(?:[-*•>]+|\d+[.)]|\(\d{1,2}\)|[★☆]+)\s+|^[★☆]+")
# "1) native gRPC-Web 2) OpenTelemetry traces 3) a config diff", "what would make it perfect: (1) … and (2) …":
# items numbered inside a line, the first at the line's start or after a colon.
INLINE_FIRST = re.compile(r"(?:^[ \t>*•-]*|:[ \t]*)\(?1\)[ \t]", re.MULTILINE)
INLINE_ITEM = re.compile(r"(?<=\s)\(?(?P<n>[2-9])\)[ \t]")
MIN_CLAUSE_WORDS = 3
SIGNATURE_LINES = 4
KEY_MAX_WORDS = 5
METADATA_MAX_WORDS = 3
SCORE = re.compile(
    r"^\s*(?P<key>nps(?: score)?|score|rating|stars?|csat|satisfaction)\s*[:=]?\s*(?P<value>\d+(?:\.\d+)?)"
    r"\s*(?:/\s*(?P<scale>\d+))?",
    re.IGNORECASE,
)
SCORE_REST = re.compile(r"\s*[-–—|:,]\s*(?=\S)")
LOW_SCORE = 0.6  # NPS 0-6, 1-3 of 5
HIGH_SCORE = 0.9
# "Segment: Mid-market | Role: HR Generalist": more fields after the first one's value.
METADATA_PAIRS = re.compile(r"^[^|·:\n]{1,40}(?:\s[|·]\s[\w' /&-]{1,30}:[ \t]*[^|·:\n]{1,40})+\s*$")
# "date,respondent_segment,score,comment": an export's header row; the rows under it hold metadata fields
# before the respondent's words.
CSV_HEADER = re.compile(r"^[ \t]*[A-Za-z_][\w.-]*(?:,[A-Za-z_][\w.-]*){2,}[ \t]*$")
CSV_SCORE_COLUMN = re.compile(r"^(?:nps|score|rating|csat|stars?)$")
HEADING_HEAD = re.compile(r"\b(?:from|of|for|by|with|about|on|to)\b")
LABEL_VERB = re.compile(r"\b(is|are|was|were|has|have|had|be)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    speaker: str | None = None
    hint: str | None = None  # what a heading or label says the text is: a kind, "negative" or "skip"
    subject: bool = False  # a subject or title line
    label: str | None = None  # the topic a line is labelled with ("Global payroll: we only cover 3 countries")


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to its non-blank part, without a leading bullet or rating stars."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    bullet = BULLET.match(text[start:end])  # (a pattern's "^" never matches at pos > 0)
    if bullet:
        start += bullet.end()
        while start < end and text[start].isspace():
            start += 1
    return start, end


def speaker_turns(text: str) -> list[Span]:
    """Turns of a transcript, each spanning the speaker's words (label excluded); [] when there are none."""
    marks: list[tuple[int, int, str]] = []  # (label start, words start, speaker)
    for m in TURN_LINE.finditer(text):
        marks.append((m.start(), m.end(), m.group("speaker").strip()))
    for m in SPEAKER_HEADER.finditer(text):
        marks.append((m.start(), m.end(), m.group("speaker").strip()))
    for m in SPEAKER_TIME_LINE.finditer(text):
        marks.append((m.start(), m.end(), m.group("speaker").strip()))
    marks.sort()
    turns = []
    for i, (_, words_start, speaker) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        start, stop = strip_span(text, words_start, end)
        if stop > start:
            turns.append(Span(start, stop, speaker))
    return turns


def _vendor_note(note: re.Match[str]) -> bool:
    """A thread's note or reply written by the vendor's side: by its role ("Agent note", "Internal note") or
    its author ("Reply from Shelfwise Support")."""
    role, who = note.group("role"), note.group("who")
    if role is not None:
        return role.lower() == "internal" or VENDOR_ROLE.fullmatch(role) is not None
    return VENDOR_ROLE.search(who) is not None


def is_vendor(speaker: str) -> bool:
    """A speaker label that names the vendor's side by its role: the label itself or the role in brackets."""
    label, _, role = speaker.partition("(")
    return bool(VENDOR_ROLE.fullmatch(label.strip()) or (role and VENDOR_ROLE.search(role)))


# A chat pasted into a ticket: "[08:04] Chloe: …" lines, with a header that says who is who ("Agent: Chloe",
# "Customer: Tobias Reinholt (tobias@…)", "Visitor: Lorenzo D.").
CHAT_LINE = re.compile(rf"^[ \t]*[\[(]?{TIME}[\])]?[ \t]*[-–]?[ \t]*(?P<speaker>{LABEL})[ \t]*:[ \t]*", re.MULTILINE)
CHAT_PARTY = re.compile(r"^[ \t]*(?P<role>[A-Za-z][\w ]{0,30}?)[ \t]*:[ \t]*(?P<name>[A-Z][\w'’-]+)", re.MULTILINE)
CHAT_CUSTOMER = re.compile(r"customer|visitor|requester|end user|user|contact", re.IGNORECASE)


def _first_name(speaker: str) -> str:
    return speaker.partition("(")[0].strip().split(" ")[0].lower()


def chat_vendors(text: str) -> set[str]:
    """First names (lower case) of the vendor's side of a chat pasted into a ticket: those its header introduces
    with a vendor role ("Agent: Chloe"), and, when it names the customer ("Visitor: Lorenzo D."), every other
    speaker of its timestamped lines ("[14:31] Aylin (Lumen): …", "[14:05] Bot: …")."""
    speakers = {_first_name(m.group("speaker")) for m in CHAT_LINE.finditer(text)}
    if len(speakers) < 2:
        return set()
    vendors, customers = set(), set()
    for m in CHAT_PARTY.finditer(text):
        name, role = m.group("name").lower(), m.group("role").strip()
        if name not in speakers or role.lower() in speakers:
            continue  # a line of the chat itself, or a header about someone who does not speak
        if VENDOR_ROLE.fullmatch(role):
            vendors.add(name)
        elif CHAT_CUSTOMER.fullmatch(role):
            customers.add(name)
    return vendors | (speakers - customers if customers else set())


def heading_hint(title: str) -> str | None:
    """What a heading or a line label says the text under it is, if anything."""
    lowered = title.lower()
    head = HEADING_HEAD.split(lowered, maxsplit=1)[0]  # "Open questions from participants" is about questions
    if re.search(cues.VENDOR_QUESTIONS, lowered):
        return "skip"
    for hint, pattern in cues.HEADING_HINTS:
        if hint == "skip" and re.search(cues.NOT_SET_ASIDE, lowered):
            continue
        if re.search(pattern, head if hint == "skip" else lowered):
            return hint
    return None


def is_prompt(sentence: str) -> bool:
    """A survey or review form's question to the respondent ("What do you like best?"), not evidence."""
    lowered = sentence.strip().lower()
    if not lowered.endswith(("?", ":")):
        return False
    short = lowered.endswith("?") and len(lowered.split()) <= 2 and re.match(r"(why|what|how|which|any)\b", lowered)
    return bool(re.search(cues.PROMPT, lowered)) or bool(short)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, position = [], start
    for m in re.finditer(r"\n", text[start:end]):
        spans.append((position, start + m.start()))
        position = start + m.end()
    spans.append((position, end))
    return spans


# "Hallström Marine AB · Varvsgatan 4 · 417 64 Göteborg": a signature's contact line, short fields in a row.
CONTACT_FIELDS = re.compile(r"^[^!?·|]{1,40}(?:[ \t][·|][ \t][^!?·|]{1,40}){2,}(?<![.!?])$")


def _is_short(line: str) -> bool:
    """A line a signature may hold: a few words, or a row of contact fields."""
    return (len(line.split()) <= 6 and not line.rstrip().endswith((".", "?", "!"))) or bool(
        CONTACT_FIELDS.match(line.strip())
    )


def prose_spans(text: str, start: int = 0, end: int | None = None, speaker: str | None = None) -> list[Span]:
    """The evidence lines of a message, survey row, review or report, each with the hint it falls under."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    section: str | None = None
    columns: list[str] = []  # the header row of an export, once one is seen
    skip_signature = 0
    lines = _lines(text, start, end)
    answers, questions = _form_answers(text, lines)
    own = _own_quotes(text, lines)
    vendors = chat_vendors(text[start:end])
    for i, (line_start, line_end) in enumerate(lines):
        if i in own:
            line_start += own[i]  # the sender's own earlier message, read without its quote marks
            if SUBJECT_LINE.match(text[line_start:line_end]):
                continue
        line = text[line_start:line_end]
        if not line.strip():
            continue
        if i in questions:
            section = heading_hint(line)  # "[Q7] What's missing?" over its quoted answer
            continue
        if QUOTED_REPLY.match(line):
            break
        if FORWARD_MARK.match(line):
            skip_signature = 0
            continue
        if skip_signature and _is_short(line):
            skip_signature -= 1
            continue
        skip_signature = 0
        if (QUOTED_LINE.match(line) and i not in answers) or HEADER_LINE.match(line) or DASH_NAME.match(line):
            continue
        if DISCLAIMER.search(line):
            continue
        turn = TURN_LINE.match(line)
        if turn and is_vendor(turn.group("speaker")):
            continue  # "Agent (Luis): Thanks for reaching out…" in a chat pasted into a ticket
        author = AUTHOR_LINE.match(line)
        if author and not NOTE_HEADER.match(line):
            role = author.group("role") or ""
            vendor = VENDOR_ROLE.fullmatch(author.group("who")) or VENDOR_ROLE.search(role)
            section = "skip" if vendor else None  # until the next heading or message
            continue
        chat = CHAT_LINE.match(line) if vendors else None
        if chat:
            if _first_name(chat.group("speaker")) in vendors:
                continue
            line_start += chat.end()  # the customer's words, without "[08:06] Lorenzo:"
        note = NOTE_HEADER.match(line)
        if note:
            if _vendor_note(note):
                section = "skip"  # until the next heading or a reply of the customer's
                continue
            section = None
            if not line[note.end() :].strip():
                continue
        if SIGNATURE_MARK.match(line) or SIGN_OFF.match(line):
            skip_signature = SIGNATURE_LINES
            continue
        subject = SUBJECT_LINE.match(line)
        if subject:
            s, e = strip_span(text, line_start + subject.end(), line_end)
            if e > s:
                spans.append(Span(s, e, speaker, heading_hint(text[s:e]) if _is_label(text[s:e]) else None, True))
            continue
        if CSV_HEADER.match(line):
            columns = [c.strip().lower() for c in line.split(",")]
            continue
        row = _csv_row(line, columns) if columns else None
        if row is not None:
            offset, row_hint = row
            s, e = _unquoted(text, line_start + offset, line_end)
            if e > s:
                spans.append(Span(s, e, speaker, row_hint or section))
            continue
        heading = MARKDOWN_HEADING.match(line)
        if heading:
            section = heading_hint(heading.group("title"))
            continue
        greeting = GREETING.match(line)
        if greeting:
            line_start += greeting.end()
            if not line[greeting.end() :].strip():
                continue
        s, e = strip_span(text, line_start, line_end)
        body = text[s:e]
        score = SCORE.match(body)
        rest = SCORE_REST.match(body, score.end()) if score else None
        if score and rest:
            section = score_hint(body) or section  # "NPS 2 - onboarding was a mess"
            s, e = strip_span(text, s + rest.end(), e)
            body = text[s:e]
        topic: str | None = None
        line_label = read_label(text, s, e)
        if line_label is not None:
            if line_label.heading:
                section = line_label.hint  # a heading line: "Pros:", "What they asked for:"
                continue
            if line_label.metadata:
                section = score_hint(body) or section  # "NPS: 3" — what follows is a complaint
                continue
            s, hint, topic = line_label.start, line_label.hint or section, line_label.topic
        else:
            next_line = next((text[a:b] for a, b in lines[i + 1 :] if text[a:b].strip()), "")
            if not BULLET.match(text[line_start:line_end].strip()) and _is_heading(body, next_line):
                section = heading_hint(body)
                continue
            hint = section
        if hint == "skip":
            continue
        if _single_prompt(text[s:e]):
            section = heading_hint(text[s:e])  # "Q: What would make the platform more useful?"
            continue
        s, e = strip_span(text, s, e)
        if e > s:
            spans.append(Span(s, e, speaker, hint, label=topic))
    return spans


QUOTED_FROM = re.compile(r"^(?P<marks>[ \t]*(?:>[ \t]*)+)from[ \t]*:[ \t]*(?P<name>[^<(\n]*)", re.IGNORECASE | re.MULTILINE)
FROM_NAME = re.compile(r"^[ \t]*from[ \t]*:[ \t]*(?P<name>[^<(\n]*)", re.IGNORECASE | re.MULTILINE)


def _sender(name: str) -> str:
    return " ".join(re.findall(r"[\w'’-]+", name.lower()))


def _own_quotes(text: str, lines: list[tuple[int, int]]) -> dict[int, int]:
    """The lines of an earlier message of the thread that the sender wrote ("From: Mei-Lin Tran" over the e-mail,
    ">> From: Mei-Lin Tran" over a quoted message): what the customer first reported, quoted under the reply.
    {line index: the length of its quote marks}. Quoted messages of anyone else (the vendor's reply) stay out."""
    header = next((m for a, b in lines if (m := FROM_NAME.match(text, a, b))), None)
    sender = _sender(header.group("name")) if header else ""
    if not sender:
        return {}
    own: dict[int, int] = {}
    depth: int | None = None  # the quote depth of the sender's message being read
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        marks = line[: len(line) - len(line.lstrip(" \t>"))]
        level = marks.count(">")
        quoted_from = QUOTED_FROM.match(text, start, end)
        if quoted_from:
            depth = level if _sender(quoted_from.group("name")) == sender else None
        if depth is None:
            continue
        if level == depth:
            own[i] = len(marks)
        elif level < depth:
            depth = None  # the sender's message has ended
    return own


def _form_answers(text: str, lines: list[tuple[int, int]]) -> tuple[set[int], set[int]]:
    """A form's answers quoted with ">" under the question they answer ("What's missing?" then "> SSO with
    Okta"): (the indices of the answer lines, those of the questions). A quoted block under anything else is
    an earlier message of a thread, and so is one that opens with its own header ("> On Tue, … wrote:",
    "> From: …")."""
    answers: set[int] = set()
    questions: set[int] = set()
    previous: int | None = None  # the last line that is not blank
    for i, (start, end) in enumerate(lines):
        line = text[start:end]
        if not line.strip():
            continue
        if QUOTED_LINE.match(line) and previous is not None:
            if previous in answers:
                answers.add(i)  # the block goes on
            else:
                asked = text[lines[previous][0] : lines[previous][1]].strip()
                quoted = line.strip().lstrip(">").strip()
                if (
                    asked.endswith("?")
                    and not QUOTED_LINE.match(asked)
                    and not SUBJECT_LINE.match(asked)
                    and not (QUOTED_REPLY.match(quoted) or HEADER_LINE.match(quoted) or FORWARD_MARK.match(quoted))
                ):
                    answers.add(i)
                    questions.add(previous)
        previous = i
    return answers, questions


def _csv_fields(line: str) -> list[tuple[int, int]]:
    """The (start, end) of each comma-separated field of a row, a quoted field's commas kept inside it."""
    fields, start, quoted = [], 0, False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            fields.append((start, i))
            start = i + 1
    fields.append((start, len(line)))
    return fields


def _csv_row(line: str, columns: list[str]) -> tuple[int, str | None] | None:
    """Where a row's words start (its first quoted field, else its last field) and the hint its score
    column gives; None for a line that is not a row of the header's shape."""
    fields = _csv_fields(line)
    if len(fields) != len(columns):
        return None
    quoted = [start for start, end in fields if line[start:end].strip().startswith('"')]
    start = quoted[0] if quoted else fields[-1][0]
    hint = None
    for column, (a, b) in zip(columns, fields, strict=True):
        if CSV_SCORE_COLUMN.match(column) and line[a:b].strip().isdigit():
            hint = score_hint(f"{column}: {line[a:b].strip()}")
    return start, hint


def _unquoted(text: str, start: int, end: int) -> tuple[int, int]:
    """A field's text without its blank edges and its enclosing quotes."""
    start, end = strip_span(text, start, end)
    if end - start >= 2 and text[start] == '"':
        start += 1
        end -= text[end - 1] == '"'
    return strip_span(text, start, end)


@dataclass(frozen=True)
class LineLabel:
    """What "Key: value" at the start of a line or sentence says: where the evidence starts, the hint
    of a label ("Cons:"), the topic a label names ("Global payroll: …"), or that it is a heading or
    metadata ("Plan: Business") and no evidence at all."""

    start: int
    hint: str | None = None
    topic: str | None = None
    heading: bool = False
    metadata: bool = False


def read_label(text: str, start: int, end: int) -> LineLabel | None:
    key = KEY_VALUE.match(text[start:end])
    if key is None:
        return None
    name, value = key.group("key").strip(), key.group("value")
    if len(name.split()) > KEY_MAX_WORDS or re.match(r"https?$", name) or LABEL_VERB.search(name):
        return None
    hint = heading_hint(name)
    value_start = start + key.start("value")
    if not value.strip():
        return LineLabel(value_start, hint, heading=True)
    if is_prompt(name + ":") or hint is not None or re.search(cues.ANSWER_KEY, name.lower()):
        return LineLabel(value_start, hint)
    if (not re.search(r"\s", name) and len(value.split()) <= METADATA_MAX_WORDS) or METADATA_PAIRS.match(value):
        return LineLabel(start, metadata=True)
    topical = len(name.split()) >= 2 and not re.search(cues.NOT_LABEL, name.lower())
    return LineLabel(start, topic=name if topical else None)


def score_hint(line: str) -> str | None:
    """ "NPS: 3", "Rating: 2/5", "Score: 9": a low score makes the lines under it complaints, a high one praise."""
    match = SCORE.match(line)
    if match is None:
        return None
    value, scale = float(match.group("value")), float(match.group("scale") or 10)
    if "nps" in match.group("key").lower() or (not match.group("scale") and value > 5):
        scale = 10
    elif not match.group("scale"):
        scale = 5
    share = value / scale
    return "negative" if share <= LOW_SCORE else "praise" if share >= HIGH_SCORE else None


def _single_prompt(line: str) -> bool:
    return is_prompt(line) and not re.search(r"[.!?]\s", line.strip())


def _is_label(line: str) -> bool:
    return bool(re.match(r"^(feature request|question|bug|request|idea)\b", line.strip(), re.IGNORECASE))


def _is_heading(line: str, next_line: str) -> bool:
    """A short title line: a known section name, a form question, or a title over a bulleted list."""
    stripped = line.strip()
    if is_prompt(stripped):
        return True
    if not _is_short(stripped) or stripped.endswith((",", ";")) or "," in stripped:
        return False
    if heading_hint(stripped) is not None and len(stripped.split()) <= 4:
        return True
    return bool(BULLET.match(next_line.strip())) and not BULLET.match(stripped)


def sentences(text: str, span: Span) -> list[Span]:
    result, start = [], span.start
    for m in SENTENCE_END.finditer(text, span.start, span.end):
        if m.group().startswith(".") and len(m.group()) == 1:
            word = re.search(r"([\w.]+)$", text[start : m.start()])
            if word and word.group(1).lower() in ABBREVIATIONS:
                continue
            if re.match(r"\.\d", text[m.start() : m.start() + 2]):
                continue
        result.append((start, m.end()))
        start = m.end()
    result.append((start, span.end))
    result = [piece for s, e in result for piece in _numbered_items(text, s, e)]
    spans = [strip_span(text, s, e) for s, e in result]
    spans = [(s, e) for s, e in spans if e > s]
    # A line's label names its first sentence only.
    return [replace(span, start=s, end=e, label=span.label if i == 0 else None) for i, (s, e) in enumerate(spans)]


def _numbered_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence cut before each item numbered inside it ("… 2) …"), when its first item opens the line or
    follows a colon; "we need to know (1) what happened and (2) whether…" is one sentence."""
    line_start = text.rfind("\n", 0, start) + 1
    first = INLINE_FIRST.search(text, line_start, end)
    if first is None or first.end() > end:
        return [(start, end)]
    cuts, expected = [], 2
    for item in INLINE_ITEM.finditer(text, max(start, first.end()), end):
        if int(item.group("n")) == expected:
            cuts.append(item.start())
            expected += 1
    bounds = [start, *cuts, end]
    return list(pairwise(bounds))


def clauses(text: str, sentence: Span) -> list[Span]:
    """A sentence cut at contrasting conjunctions when both sides have a few words each."""
    pieces, start = [], sentence.start
    for m in CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        before = text[start : m.start()]
        after = text[m.end() : sentence.end]
        if len(before.split()) >= MIN_CLAUSE_WORDS and len(after.split()) >= MIN_CLAUSE_WORDS:
            pieces.append((start, m.start()))
            start = m.end()
    pieces.append((start, sentence.end))
    spans = [strip_span(text, s, e) for s, e in pieces]
    spans = [(s, e) for s, e in spans if e > s]
    return [
        replace(sentence, start=s, end=e, label=sentence.label if i == 0 else None) for i, (s, e) in enumerate(spans)
    ]
