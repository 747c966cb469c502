"""Cutting text into speaker turns, sentences and clauses, keeping exact character offsets.

Transcripts are split by speaker turns ("Name: text", "[00:01] Name: text", "Name (00:01): text", or
a "Name  00:01" line above the text); everything is then split into sentences, and sentences into
clauses at contrasting conjunctions ("…, but …"), so that praise and a complaint in one sentence
become two statements. Every piece is an exact slice of the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
LABEL = (
    r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:\s*\((?!\s*\d{1,2}:\d{2})[^)\n]{1,60}\))?|[Ss]peaker\s*\d+"
)
TURN_LINE = re.compile(
    rf"^[ \t]*(?:[\[(]?{TIME}[\])]?[ \t]*[-–]?[ \t]*)?(?P<speaker>{LABEL})"
    rf"[ \t]*(?:[\[(]{TIME}[\])])?[ \t]*:[ \t]+(?=\S)",
    re.MULTILINE,
)
SPEAKER_HEADER = re.compile(rf"^[ \t]*(?P<speaker>{LABEL})[ \t]+[\[(]?{TIME}[\])]?[ \t]*$", re.MULTILINE)
HEADER_LINE = re.compile(
    r"^[ \t]*(from|to|cc|bcc|date|sent|reply-to)[ \t]*:.*$", re.IGNORECASE | re.MULTILINE
)
SUBJECT_PREFIX = re.compile(r"^[ \t]*subject[ \t]*:[ \t]*", re.IGNORECASE | re.MULTILINE)
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*•]|\d+[.)])\s)|\n")
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "vs", "inc", "ltd", "approx", "no", "st"}
)
CLAUSE_BREAK = re.compile(r"\s*(?:;|,?\s+\b(?:but|however|although|though|whereas)\b,?)\s+", re.IGNORECASE)
BULLET = re.compile(r"^[-*•>]+\s+|^\d+[.)]\s+")
MIN_CLAUSE_WORDS = 3


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    speaker: str | None = None


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow [start, end) to its non-blank part, without a leading bullet."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    bullet = BULLET.match(text, start, end)
    if bullet:
        start = bullet.end()
    return start, end


def speaker_turns(text: str) -> list[Span]:
    """Turns of a transcript, each spanning the speaker's words (label excluded); [] when there are none."""
    marks: list[tuple[int, int, str]] = []  # (label start, words start, speaker)
    for m in TURN_LINE.finditer(text):
        marks.append((m.start(), m.end(), m.group("speaker").strip()))
    for m in SPEAKER_HEADER.finditer(text):
        marks.append((m.start(), m.end(), m.group("speaker").strip()))
    marks.sort()
    turns = []
    for i, (_, words_start, speaker) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else len(text)
        start, stop = strip_span(text, words_start, end)
        if stop > start:
            turns.append(Span(start, stop, speaker))
    return turns


def prose_spans(text: str) -> list[Span]:
    """The text without e-mail header lines (From:, To:, Date: …); a Subject line counts as a sentence."""
    cut = sorted((m.start(), m.end()) for m in HEADER_LINE.finditer(text))
    cut += [(m.start(), m.end()) for m in SUBJECT_PREFIX.finditer(text)]
    cut.sort()
    spans, position = [], 0
    for start, end in cut:
        if start > position:
            spans.append(Span(position, start))
        position = max(position, end)
    spans.append(Span(position, len(text)))
    return [Span(*strip_span(text, s.start, s.end)) for s in spans if s.end > s.start]


def sentences(text: str, span: Span) -> list[Span]:
    result, start = [], span.start
    for m in SENTENCE_END.finditer(text, span.start, span.end):
        if m.group().startswith(".") and len(m.group()) == 1:
            word = re.search(r"([\w.]+)$", text[start : m.start()])
            if word and word.group(1).lower() in ABBREVIATIONS:
                continue
        result.append((start, m.end()))
        start = m.end()
    result.append((start, span.end))
    spans = (strip_span(text, s, e) for s, e in result)
    return [Span(s, e, span.speaker) for s, e in spans if e > s]


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
    spans = (strip_span(text, s, e) for s, e in pieces)
    return [Span(s, e, sentence.speaker) for s, e in spans if e > s]


def statements(text: str, *, as_transcript: bool) -> tuple[list[Span], bool]:
    """Every clause of the text, with its speaker; and whether the text was read as speaker turns."""
    turns = speaker_turns(text) if as_transcript else []
    spans = turns or prose_spans(text)
    found = [c for span in spans for s in sentences(text, span) for c in clauses(text, s)]
    return found, bool(turns)
