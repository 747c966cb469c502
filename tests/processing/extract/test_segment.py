"""Cutting text into evidence: what is skipped, what a heading or a prompt says about the lines under it."""

from __future__ import annotations

from signalgraph.processing.extract.base import ExtractionRequest
from signalgraph.processing.extract.local import clauses_of, interviewers
from signalgraph.processing.extract.segment import is_vendor, prose_spans, sentences, speaker_turns

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


def test_a_sentence_ends_inside_markdown_emphasis():
    text = "**Cost attribution.** Teams outside BI are kept away from the warehouse."
    assert [text[s.start : s.end] for s in sentences(text, prose_spans(text)[0])] == [
        "**Cost attribution.**", "Teams outside BI are kept away from the warehouse."
    ]


def test_the_vendors_side_of_a_chat_a_footer_and_a_forms_numbered_question_are_no_evidence():
    text = (
        "Bea: the date picker app costs $19/month on top\n"
        "Agent (Luis): Thanks for reaching out! Could you send me the postcodes?\n"
        "This message may contain confidential information. If you received it in error, delete it.\n"
    )

    assert [line for line, *_ in lines(text)] == ["Bea: the date picker app costs $19/month on top"]


def test_speaker_labels_in_bold_and_roles_that_name_the_vendor():
    text = "**Renée (Account Exec):** Thanks everyone.\n**Alan Pryce:** The calendar never loads.\n**Renée:** I'll check."
    turns = speaker_turns(text)

    assert [t.speaker for t in turns] == ["Renée (Account Exec)", "Alan Pryce", "Renée"]
    assert interviewers(text, turns) == {"Renée (Account Exec)", "Renée"}  # her later turns by first name too
    assert is_vendor("Priya Raman (Customer Success)") and is_vendor("Agent (Luis)")
    assert not is_vendor("Joyce Amadi (Permit Tech)") and not is_vendor("Deputy Director Alan Pryce")


def test_a_question_after_a_forms_number_is_the_forms():
    text = "Q2. Which parts of the portal helped most? The buddy matching saved me time.\nQ3. What was confusing? Upload."
    request = ExtractionRequest(text=text, signal_type="feedback_record")

    quotes = [text[c.start:c.end] for c in clauses_of(request)[0]]
    assert "The buddy matching saved me time." in quotes
    assert not any(q.endswith("?") or q.startswith("Q") for q in quotes)


def test_a_forwarded_message_is_evidence_and_a_signature_contact_line_is_not():
    text = (
        "Subject: Fwd: till\n\n"
        "---------- Forwarded message ---------\n"
        "From: Bev Hollis\n\n"
        "The receipt printer stopped working after the update.\n\n"
        "Best regards\nLinnea Ek\nProcurement\n\n"
        "Hallström Marine AB · Varvsgatan 4 · 417 64 Göteborg · Org.nr 556123-4567\n"
    )

    assert [t for t, *_ in lines(text)] == ["till", "The receipt printer stopped working after the update."]


def test_a_vendor_note_in_a_ticket_thread_is_skipped_until_the_customer_replies():
    text = (
        "The label prints yesterday's date.\n\n"
        "Agent note (Kevin, L1): Reproduced date issue on a test store.\n"
        "Escalated to L2.\n\n"
        "=== Support reply (Jiyoung, Tier 2, 01 Dec) ===\n"
        "We rolled back the parser change.\n\n"
        "Reply from Ines, 2 Dec 2026 10:47:\n"
        "Yes, the item was at the same branch.\n"
    )

    assert [t for t, *_ in lines(text)] == [
        "The label prints yesterday's date.",
        "Yes, the item was at the same branch.",
    ]


def test_an_export_row_is_read_from_its_words_and_its_score_gives_the_hint():
    text = (
        "date,respondent_segment,score,comment\n"
        '2026-11-03,freight_account,3,"Cannot book a vehicle over 12m online."\n'
        '2026-11-05,resident,9,"Resident discount applied automatically now, thank you"\n'
        "2026-11-09,resident,6,\n"
    )

    assert [(t, hint) for t, hint, *_ in lines(text)] == [
        ("Cannot book a vehicle over 12m online.", "negative"),
        ("Resident discount applied automatically now, thank you", "praise"),
    ]


def test_what_the_analyst_set_aside_is_not_evidence():
    text = "## Findings\nBuyers want deposits.\n\n## Things we heard that are NOT findings\n- A mobile app would help.\n"

    assert [t for t, *_ in lines(text)] == ["Buyers want deposits."]


def test_a_reviewers_recommendations_to_others_are_evidence():
    text = "Recommendations to others considering the product:\nYou can't take a deposit and collect the balance later.\n"

    assert [t for t, *_ in lines(text)] == ["You can't take a deposit and collect the balance later."]


def test_turns_with_the_name_and_time_in_columns_and_the_vendor_named_in_the_header():
    text = (
        "Speakers: Priya (Product Manager), Tom Reyes (1st AD)\n\n"
        "Priya  00:01:10  ok I think we're recording. How is the shoot going?\n"
        "Tom  00:01:16  The stripboard is the reason we bought it.\n"
        "Priya  00:01:32  Love that.\n"
    )
    turns = speaker_turns(text)

    assert [(t.speaker, text[t.start:t.end]) for t in turns][1:] == [
        ("Priya", "ok I think we're recording. How is the shoot going?"),
        ("Tom", "The stripboard is the reason we bought it."),
        ("Priya", "Love that."),
    ]
    assert interviewers(text, turns) == {"Priya"}


def test_a_vendor_introduced_role_first_is_the_interviewer_by_name_too():
    text = (
        "[10:02:11] CSM (Nadia): Morning Brett, can you hear me ok?\n"
        "[10:02:15] BRETT (Maintenance Superintendent): Loud and clear.\n"
        "[10:03:19] NADIA: The export should follow the site time zone, that sounds like a defect.\n"
        "[10:03:22] BRETT: Dunno, you tell me.\n"
    )

    assert interviewers(text, speaker_turns(text)) == {"CSM (Nadia)", "NADIA"}


def test_a_form_answer_quoted_under_its_question_is_evidence_and_an_earlier_message_is_not():
    form = (
        "What's working well?\n"
        "> The dynamic pricing on twilight times.\n\n"
        "[Q7] What's missing?\n"
        "> Members-only holds on Saturday mornings.\n"
        "> A Lightspeed POS sync that does not double-count green fees.\n"
    )
    assert lines(form) == [
        ("The dynamic pricing on twilight times.", "praise", False, None),
        ("Members-only holds on Saturday mornings.", "feature_request", False, None),
        ("A Lightspeed POS sync that does not double-count green fees.", "feature_request", False, None),
    ]
    thread = "Any update on this?\n\n> On Tue, Marco (Support) wrote:\n> Could you try clearing your cache?\n"
    assert lines(thread) == [("Any update on this?", None, False, None)]


def test_items_numbered_inside_a_line_are_sentences_of_their_own():
    text = "What's missing: (1) cash bids from the ethanol plant, and (2) a login for my wife\n"
    assert [text[s.start:s.end] for s in sentences(text, prose_spans(text)[0])] == [
        "cash bids from the ethanol plant, and", "a login for my wife",
    ]
    text = "1) native gRPC-Web transcoding 2) OpenTelemetry traces 3) a config diff in the CLI"
    assert [text[s.start:s.end] for s in sentences(text, prose_spans(text)[0])] == [
        "native gRPC-Web transcoding", "OpenTelemetry traces", "a config diff in the CLI",
    ]
    text = "We need to know (1) what happened and (2) whether other campaigns are affected."
    assert len(sentences(text, prose_spans(text)[0])) == 1


def test_the_senders_own_earlier_message_quoted_under_a_reply_is_evidence():
    thread = (
        "From: Mei-Lin Tran <orders@petal.example>\n"
        "Subject: RE: RE: Wire orders not importing\n\n"
        "Still nothing since Friday.\n\n"
        "> From: Support (Owen)\n"
        "> Hi Mei-Lin, our team is looking into it. You can enter orders manually meanwhile.\n"
        ">\n"
        ">> From: Mei-Lin Tran\n"
        ">> Sent: Saturday, February 7, 2026 9:03 AM\n"
        ">> Subject: Wire orders not importing\n"
        ">> Hi, none of our wire orders come into the order board.\n"
        ">> Can the card message printout use a nicer font?\n"
        ">> Thanks, Mei-Lin\n"
    )
    assert [text for text, *_ in lines(thread)] == [
        "Wire orders not importing",
        "Still nothing since Friday.",
        "none of our wire orders come into the order board.",
        "Can the card message printout use a nicer font?",
    ]


def test_a_dashed_author_line_in_a_thread_says_whose_message_follows():
    thread = (
        "Zones run when rain skip is on.\n\n"
        "--- Agent reply (Bri, 2026-08-20 08:05) ---\n"
        "Could you confirm whether the controllers are on Wi-Fi?\n\n"
        "--- Hector Alvarado, 2026-08-20 09:41 ---\n"
        "LTE on 2 of them. Also the map view won't load on my Android tablet.\n\n"
        "---- Kevin (Support), Aug 21, 16:02 ----\n"
        "Thanks, a fix for the map view ships next week.\n"
    )
    assert [text for text, *_ in lines(thread)] == [
        "Zones run when rain skip is on.",
        "LTE on 2 of them. Also the map view won't load on my Android tablet.",
    ]


def test_a_form_question_with_its_answer_on_the_same_line_is_a_label():
    form = "What went well?: driver was lovely\nAnything else?: do you deliver to Ripon on Saturdays?\n"
    assert lines(form) == [
        ("driver was lovely", "praise", False, None),
        ("do you deliver to Ripon on Saturdays?", None, False, None),
    ]
CHAT_TICKET = """\
Live chat transcript — Acme Field App — 2026-05-22
Visitor: Lorenzo D. (Ops manager)
Agent: Chloe

[08:03] Lorenzo: two of my techs apps are stuck on syncing since yesterday.
[08:04] Chloe: I'm sorry to hear that! Can you tell me what app version they're on?
[08:06] Lorenzo: if they log out will they lose the data??
"""


def test_a_chat_pasted_into_a_ticket_keeps_the_customers_words_without_their_label():
    quotes = [q for q, *_ in lines(CHAT_TICKET)]
    assert "two of my techs apps are stuck on syncing since yesterday." in quotes
    assert "if they log out will they lose the data??" in quotes
    assert not any("Chloe" in q or "version" in q or "08:0" in q for q in quotes)


def test_a_chat_that_names_its_customer_sets_every_other_speaker_aside():
    text = (
        "Customer: Tobias Reinholt (tobias@kettle.de) · plan: Team\n"
        "[14:02] Tobias: our preview URLs stopped working.\n"
        "[14:05] Bot: Thanks! A teammate will reply soon.\n"
        "[14:31] Aylin (Lumen): Hi Tobias, can you send the space ID?\n"
        "[14:33] Tobias: any way to batch the webhooks?\n"
    )
    quotes = [q for q, *_ in lines(text)]
    assert quotes == ["our preview URLs stopped working.", "any way to batch the webhooks?"]


def test_chat_lines_without_a_header_saying_who_is_who_are_left_as_they_are():
    text = "[10:00] Ana: the export fails.\n[10:02] Ben: it fails for me too.\n"
    assert [q for q, *_ in lines(text)] == ["[10:00] Ana: the export fails.", "[10:02] Ben: it fails for me too."]


def test_the_vendors_open_questions_are_set_aside_and_the_customers_are_read():
    ours = "What we heard\n- Proofing is a mess for clients.\n\nOpen questions for us\n- Is Lightroom export a plugin or a list?\n"
    theirs = "Open questions from participants\n- Is there a self-hosted option?\n"
    asked = "Questions for us\n- Calder asked if the API rate limit can be raised.\n"
    assert [q for q, *_ in lines(ours)] == ["Proofing is a mess for clients."]
    assert [q for q, *_ in lines(theirs)] == ["Is there a self-hosted option?"]
    assert [q for q, *_ in lines(asked)] == ["Calder asked if the API rate limit can be raised."]


def test_what_participants_asked_is_read_and_who_they_were_is_set_aside():
    asked = 'Questions participants asked us\n- "Does my service plan cover batteries?" (asked by 3)\n'
    who = "Participants\n- Six owner-operators, two with a second van.\n"
    assert [q for q, *_ in lines(asked)] == ['"Does my service plan cover batteries?" (asked by 3)']
    assert [q for q, *_ in lines(who)] == []
