"""The pure derivations behind a signal's display fields: labels, generated names, URL normalization."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from signalgraph.processing import signal_derivation as derive


@pytest.mark.parametrize(
    ("moment", "name"),
    [
        (datetime(2025, 3, 11, 14, 30, tzinfo=UTC), "Review - 3/11/25, 2:30 PM"),
        (datetime(2025, 3, 11, 0, 0, tzinfo=UTC), "Review - 3/11/25, 12:00 AM"),
        (datetime(2025, 3, 11, 12, 1, tzinfo=UTC), "Review - 3/11/25, 12:01 PM"),
        (datetime(2025, 3, 12, 1, 0, tzinfo=timezone(timedelta(hours=3))), "Review - 3/11/25, 10:00 PM"),
        (datetime(2100, 10, 9, 11, 59, tzinfo=UTC), "Review - 10/9/00, 11:59 AM"),
    ],
)
def test_generated_name_uses_utc_and_a_12_hour_clock(moment, name):
    assert derive.generated_name("Review", moment) == name


@pytest.mark.parametrize(
    ("provider", "evidence", "label", "facet"),
    [
        ("g2", "review", "G2 Review", "g2:review"),
        ("zendesk", "support_ticket", "Zendesk support ticket", "zendesk:support_ticket"),
        ("app_store", "review", "App Store Review", "app_store:review"),
        ("gmail_mailbox", "email_thread", "Gmail email thread", "gmail_mailbox:email_thread"),
        ("manual_csv", "feedback_record", "CSV import feedback record", "manual_csv:feedback_record"),
        ("my-tool", "chat-log", "My Tool chat log", "my-tool:chat-log"),
        ("gong", None, "Gong", "gong"),
    ],
)
def test_source_label_and_facet(provider, evidence, label, facet):
    assert derive.source_label(provider, evidence) == label
    assert derive.source_facet(provider, evidence) == facet


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("https://Example.COM/Path?Q=1#Frag", "https://example.com/Path?Q=1#Frag"),
        ("  HTTP://example.com  ", "http://example.com"),
        ("ftp://example.com/file", None),
        ("https:///no-host", None),
        ("https://exa mple.com", None),
        ("/relative/path", None),
        ("https://example.com/" + "a" * 2000, None),
        (42, None),
    ],
)
def test_normalize_url_keeps_only_http_and_https(url, normalized):
    assert derive.normalize_url(url) == normalized


def test_signal_links_put_explicit_links_before_legacy_fields():
    source = {"type": "x", "external_data": {"links": [{"url": "https://a.example/1"}], "threadUrl": "https://a.example/2"}}
    data = {"url": "https://a.example/1", "meeting_url": "https://a.example/3", "link": "not a url"}
    links = derive.signal_links(source, data, "gong", "transcript")
    assert [(link["url"], link["primary"]) for link in links] == [
        ("https://a.example/1", True), ("https://a.example/2", False), ("https://a.example/3", False)
    ]
    assert {link["name"] for link in links} == {"Open Gong recording"}
    assert {link["type"] for link in links} == {"transcript"}


def test_raw_text_reads_headings_bodies_and_threads_from_data_then_external_data():
    source = {"type": "gong", "external_data": {"title": "Renewal call", "callId": "c-1"}}
    data = {
        "summary": "Pricing came up.",
        "turns": [{"speaker": "Dana", "text": "Exports are slow."}, "Unlabelled remark.", {"speaker": "Sam"}, 42],
    }
    assert derive.raw_text(source, data) == "Pricing came up.\n\nDana: Exports are slow.\n\nUnlabelled remark.\n\nRenewal call"
    assert derive.raw_text(source, data, speakers=False).splitlines()[2] == "Exports are slow."


def test_raw_text_is_none_without_evidence():
    assert derive.raw_text({"type": "zendesk", "external_data": {"ticketId": "1"}}, {"severity": "high", "text": "  "}) is None
    assert derive.raw_text(None, None) is None
