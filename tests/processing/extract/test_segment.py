"""Cutting text into evidence: what is skipped, what a heading or a prompt says about the lines under it."""

from __future__ import annotations

from signalgraph.processing.extract.segment import prose_spans, sentences

EMAIL = """\
From: Gloria <gloria@acme.io>
Subject: RE: RE: [URGENT] Timesheet approvals

Hi Sam,

Managers still can't approve timesheets.

Best,
Gloria
Payroll Lead | Acme

-----Original Message-----
From: Sam (Support)
Hi Gloria, could you try clearing your browser cache?
> older quoted text
"""

REVIEW = """\
What do you like best?
Pipeline view is clean.
What do you dislike?
Reports are limited.
NPS: 6
Plan: Business
Cons: no dark mode
Global payroll: we only cover 3 countries.
"""


def lines(text: str) -> list[tuple[str, str | None, bool, str | None]]:
    return [(text[s.start:s.end], s.hint, s.subject, s.label) for s in prose_spans(text)]


def test_headers_greetings_signatures_and_quoted_replies_are_not_evidence():
    assert lines(EMAIL) == [
        ("Timesheet approvals", None, True, None),
        ("Managers still can't approve timesheets.", None, False, None),
    ]


def test_prompts_headings_and_labels_give_the_lines_under_them_a_hint():
    assert lines(REVIEW) == [
        ("Pipeline view is clean.", "praise", False, None),
        ("Reports are limited.", "negative", False, None),
        ("no dark mode", "negative", False, None),
        ("Global payroll: we only cover 3 countries.", "negative", False, "Global payroll"),
    ]


def test_a_line_label_names_only_its_first_sentence():
    text = "Device management: Rippling bundles it. Buyers like that."
    first, second = sentences(text, prose_spans(text)[0])
    assert (first.label, second.label) == ("Device management", None)
