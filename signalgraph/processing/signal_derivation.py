"""What a signal shows but does not store twice: its source facet and label, its generated name, and its
normalized source links.

Labels follow the spec's examples ("G2 Review", "Zendesk support ticket"): a known provider's display
name, then the evidence kind's label; unknown providers are title-cased and unknown evidence kinds are
written as words in lower case. Source links are normalized once, when a signal is written (create, or
an update of `source` or `data`), into the `source_links` column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..vocabulary import SIGNAL_TYPE_PROFILES

PROVIDER_LABELS = {
    "g2": "G2",
    "app_store": "App Store",
    "google_play": "Google Play",
    "capterra": "Capterra",
    "trustpilot": "Trustpilot",
    "reddit": "Reddit",
    "gartner": "Gartner",
    "zendesk": "Zendesk",
    "intercom": "Intercom",
    "freshdesk": "Freshdesk",
    "gong": "Gong",
    "zoom": "Zoom",
    "hubspot": "HubSpot",
    "salesforce": "Salesforce",
    "slack": "Slack",
    "jira": "Jira",
    "typeform": "Typeform",
    "manual": "Manual",
    "external_api": "API",
    "manual_csv": "CSV import",
    "gmail_mailbox": "Gmail",
    "outlook_mailbox": "Outlook",
}

EVIDENCE_LABELS = {
    "review": "Review",
    "support_ticket": "support ticket",
    "transcript": "transcript",
    "feedback_record": "feedback record",
    "discovery_report": "discovery report",
    "email_thread": "email thread",
    "survey_response": "survey response",
}

# What a source link opens, by evidence kind: "Open Zendesk ticket", "Open G2 review".
LINK_NOUNS = {
    "review": "review",
    "support_ticket": "ticket",
    "transcript": "recording",
    "feedback_record": "record",
    "discovery_report": "report",
    "email_thread": "thread",
    "survey_response": "response",
}

# Providers that say nothing to a reader, left out of default link names ("Open review", not "Open API review").
GENERIC_PROVIDERS = frozenset({"external_api", "manual", "manual_csv"})

# Legacy top-level keys of `source.external_data` and `data` that hold a link to the original evidence.
LEGACY_URL_KEYS = (
    "url", "link", "permalink", "sourceUrl", "source_url", "reviewUrl", "review_url", "ticketUrl", "ticket_url",
    "threadUrl", "thread_url", "meetingUrl", "meeting_url", "recordingUrl", "recording_url", "reportUrl",
    "report_url", "htmlUrl", "html_url", "webUrl", "web_url",
)
MAX_URL_LENGTH = 2000


def _words(value: str) -> list[str]:
    return value.replace("-", " ").replace("_", " ").split()


def provider_label(provider_type: str) -> str:
    return PROVIDER_LABELS.get(provider_type) or " ".join(w.capitalize() for w in _words(provider_type))


def evidence_label(evidence_kind: str) -> str:
    return EVIDENCE_LABELS.get(evidence_kind) or " ".join(w.lower() for w in _words(evidence_kind))


def source_facet(provider_type: str, evidence_kind: str | None) -> str:
    """`providerType:evidenceKind`; just the provider when the evidence kind is unknown (raw signals)."""
    return f"{provider_type}:{evidence_kind}" if evidence_kind else provider_type


def source_label(provider_type: str, evidence_kind: str | None) -> str:
    if not evidence_kind:
        return provider_label(provider_type)
    return f"{provider_label(provider_type)} {evidence_label(evidence_kind)}"


def kind_label(kind: str) -> str:
    """The title of a signal type or evidence kind in generated names: "Support Ticket", "Email Thread"."""
    profile = SIGNAL_TYPE_PROFILES.get(kind)
    return profile[3] if profile else " ".join(w.capitalize() for w in _words(kind))


def generated_name(label: str, moment: datetime) -> str:
    """`<label> - M/D/YY, H:MM AM` in UTC, e.g. "Review - 3/11/25, 2:30 PM"."""
    t = moment.astimezone(UTC)
    hour = t.hour % 12 or 12
    return f"{label} - {t.month}/{t.day}/{t.year % 100:02d}, {hour}:{t.minute:02d} {'AM' if t.hour < 12 else 'PM'}"


def normalize_url(value: Any) -> str | None:
    """An http(s) URL with its scheme and host in lower case; anything else is None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_URL_LENGTH or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))


def _default_link_name(provider_type: str, evidence_kind: str | None) -> str:
    noun = LINK_NOUNS.get(evidence_kind or "", "source")
    if provider_type in GENERIC_PROVIDERS:
        return f"Open {noun}"
    return f"Open {provider_label(provider_type)} {noun}"


def normalize_links(
    links: Iterable[Any], provider_type: str, evidence_kind: str | None
) -> list[dict[str, Any]]:
    """Keep http(s) links, deduplicated by URL in order, with a name and type, and exactly one primary.

    The primary is the first link marked primary, else the first link. Of duplicates, the first keeps
    its place, a later one fills in a name or type it lacks, and one marked primary makes it primary.
    """
    by_url: dict[str, dict[str, Any]] = {}
    for link in links:
        if not isinstance(link, Mapping):
            continue
        url = normalize_url(link.get("url"))
        if url is None:
            continue
        name, type_ = link.get("name"), link.get("type")
        entry = by_url.setdefault(url, {"name": None, "url": url, "type": None, "primary": False})
        entry["name"] = entry["name"] or (name.strip() if isinstance(name, str) and name.strip() else None)
        entry["type"] = entry["type"] or (type_.strip() if isinstance(type_, str) and type_.strip() else None)
        entry["primary"] = entry["primary"] or link.get("primary") is True
    result = list(by_url.values())
    primary = next((i for i, link in enumerate(result) if link["primary"]), 0)
    for i, link in enumerate(result):
        link["name"] = link["name"] or _default_link_name(provider_type, evidence_kind)
        link["type"] = link["type"] or evidence_kind or "source"
        link["primary"] = i == primary
    return result


def legacy_links(payload: Any) -> list[dict[str, Any]]:
    """Links held in the legacy URL keys of one payload (`source.external_data` or `data`)."""
    if not isinstance(payload, Mapping):
        return []
    return [{"url": payload[key]} for key in LEGACY_URL_KEYS if key in payload]


def signal_links(
    source: Mapping[str, Any] | None, data: Mapping[str, Any] | None, provider_type: str, evidence_kind: str | None
) -> list[dict[str, Any]]:
    """The normalized links of a signal: the explicit ones kept in `source.external_data.links` first,
    then the legacy URL fields of `source.external_data`, then those of `data`."""
    external = (source or {}).get("external_data") if isinstance(source, Mapping) else None
    explicit = external.get("links") if isinstance(external, Mapping) else None
    candidates = [*(explicit if isinstance(explicit, list) else []), *legacy_links(external), *legacy_links(data)]
    return normalize_links(candidates, provider_type, evidence_kind)


# Keys of a raw signal's `data` and `source.external_data` that hold its evidence: headings first, then
# the body, then a thread of turns (each a string or an object with a speaker and its words).
RAW_HEADING_KEYS = ("title", "subject")
RAW_BODY_KEYS = (
    "text", "transcript", "content", "body", "description", "comment", "review", "feedback", "message",
    "summary", "notes",
)
RAW_THREAD_KEYS = ("comments", "messages", "turns", "utterances")
RAW_SPEAKER_KEYS = ("speaker", "author", "name", "from")


def raw_text(
    source: Mapping[str, Any] | None, data: Mapping[str, Any] | None, *, speakers: bool = True
) -> str | None:
    """The evidence text of a raw signal, read from the known keys of `data`, then of
    `source.external_data`; None when neither holds any (such a signal cannot be processed). With
    `speakers`, a thread's turns are `Speaker: words` lines, as a transcript writes them."""
    external = source.get("external_data") if isinstance(source, Mapping) else None
    parts: list[str] = []
    for payload in (data, external):
        if not isinstance(payload, Mapping):
            continue
        for key in (*RAW_HEADING_KEYS, *RAW_BODY_KEYS):
            if isinstance(payload.get(key), str) and payload[key].strip():
                parts.append(payload[key].strip())
        for key in RAW_THREAD_KEYS:
            if isinstance(payload.get(key), list):
                parts.extend(filter(None, (_turn(item, speakers) for item in payload[key])))
    return "\n\n".join(dict.fromkeys(parts)) or None


def _turn(item: Any, speakers: bool) -> str | None:
    """One turn of a thread as a line of text: `Speaker: words`, or just the words."""
    if isinstance(item, str):
        return item.strip() or None
    if not isinstance(item, Mapping):
        return None
    words = next((item[k].strip() for k in RAW_BODY_KEYS if isinstance(item.get(k), str) and item[k].strip()), None)
    if words is None:
        return None
    speaker = next((item[k].strip() for k in RAW_SPEAKER_KEYS if isinstance(item.get(k), str) and item[k].strip()), None)
    return f"{speaker}: {words}" if speaker and speakers else words
