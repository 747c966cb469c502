"""The create body of a signal, checked and turned into a draft row, before any database work.

Two modes share the body. Typed text (`text` sent): `text` and `signalType` are required, the name is
generated when omitted, provenance defaults from the signal type, and `source`/`data` are built by the
server. Raw (`processorType`, `source` or `data` sent, no `text`): those fields are kept as given,
`signalType` is null, and the name, when omitted, is generated like a typed one from the evidence kind
(or the provider when there is none).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..errors import InvalidInput, TooLarge
from ..processing.signal_derivation import generated_name, kind_label, normalize_links, provider_label
from ..storage.models.base import new_id
from ..vocabulary import ANALYSIS_PROFILES, PARTICIPANT_POLICIES, SIGNAL_TYPE_PROFILES, SIGNAL_TYPES
from . import common

TYPED_PROCESSOR = "manual-text"
DEFAULT_PROVIDER = "external_api"
MAX_TEXT_CHARS = 5_000_000
RAW_FIELDS = ("processor_type", "source", "data")
# Optional strings of the create body: (field, longest allowed).
STRING_LIMITS = {
    "name": 500,
    "provider_type": 64,
    "evidence_kind": 64,
    "processor_type": 64,
    "additional_context": 20_000,
    "external_id": 500,
    "account_external_id": 500,
    "source_key": 200,
}


@dataclass
class Draft:
    """A checked create body: the signal's columns, its raw text, and the ids it asks to link."""

    id: str
    columns: dict[str, Any]
    text: str | None
    product_ids: list[str] | None
    account_id: str | None
    account_ids: list[str] = field(default_factory=list)
    additional_context: str | None = None

    @property
    def typed(self) -> bool:
        return self.text is not None

    @property
    def external_id(self) -> str | None:
        return self.columns["external_id"]

    @property
    def account_external_id(self) -> str | None:
        return self.columns["account_external_id"]


def _strings(body: dict[str, Any]) -> dict[str, str | None]:
    """Each optional string as sent: null or absent is None, a blank or overlong one is refused."""
    checked = {}
    for name, limit in STRING_LIMITS.items():
        value = body.get(name)
        checked[name] = None if value is None else common.text(value, common.camel(name), max_length=limit)
    return checked


def _object(value: Any, name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{name} must be a JSON object", field=name)
    return dict(value)


def checked_source(value: Any) -> dict[str, Any] | None:
    """A source descriptor: an object with a string `type`."""
    source = _object(value, "source")
    if source is not None and not (isinstance(source.get("type"), str) and source["type"].strip()):
        raise InvalidInput("source must have a string type", field="source")
    return source


def _text(value: Any) -> str:
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        raise TooLarge(f"text must be at most {MAX_TEXT_CHARS} characters", field="text")
    return common.text(value, "text", max_length=MAX_TEXT_CHARS)


@dataclass(frozen=True)
class Mode:
    """What the creation mode decides: provenance, the source and data payloads, and the name's label."""

    signal_type: str | None
    processor_type: str
    evidence_kind: str | None
    analysis_profile: str | None
    source: dict[str, Any]
    data: dict[str, Any] | None
    label: str


def draft(body: dict[str, Any], now: datetime) -> Draft:
    """Check the create body and fill in every default; raises BAD_USER_INPUT naming the field."""
    s = _strings(body)
    common.one_of(body.get("signal_type"), SIGNAL_TYPES, "signalType")
    common.one_of(body.get("analysis_profile"), ANALYSIS_PROFILES, "analysisProfile")
    participant_policy = common.one_of(body.get("participant_policy"), PARTICIPANT_POLICIES, "participantPolicy")
    external_data = _object(body.get("source_external_data"), "sourceExternalData")
    provider = s["provider_type"] or DEFAULT_PROVIDER
    if body.get("text") is not None:
        mode, text = _typed(body, s), _text(body["text"])
    elif body.get("signal_type") is not None or all(body.get(f) is None for f in RAW_FIELDS):
        raise InvalidInput("text is required", field="text")
    else:
        mode, text = _raw(body, s, provider), None
    links = normalize_links(body.get("source_links") or [], provider, mode.evidence_kind)
    occurred_at = body.get("occurred_at")
    return Draft(
        id=new_id(),
        columns={
            "name": s["name"] or generated_name(mode.label, occurred_at or now),
            "status": "pending",
            "signal_type": mode.signal_type,
            "processor_type": mode.processor_type,
            "provider_type": provider,
            "evidence_kind": mode.evidence_kind,
            "analysis_profile": mode.analysis_profile,
            "source": _with_external_data(mode.source, external_data, links),
            "data": mode.data,
            "external_id": s["external_id"],
            "account_external_id": s["account_external_id"],
            "source_key": s["source_key"],
            "participant_policy": participant_policy or "link",
            "create_missing_accounts": bool(body.get("create_missing_accounts")),
            "created_at": occurred_at or now,
            "updated_at": now,
        },
        text=text,
        product_ids=body.get("product_ids"),
        account_id=body.get("account_id"),
        account_ids=body.get("account_ids") or [],
        additional_context=s["additional_context"],
    )


def _typed(body: dict[str, Any], s: dict[str, str | None]) -> Mode:
    for name in ("source", "data"):
        if body.get(name) is not None:
            raise InvalidInput(f"{name} cannot be sent with text; use sourceExternalData", field=name)
    common.one_of(s["processor_type"], (TYPED_PROCESSOR,), "processorType")
    signal_type = body.get("signal_type")
    if signal_type is None:
        raise InvalidInput("signalType is required with text", field="signalType")
    evidence, profile, _, label = SIGNAL_TYPE_PROFILES[signal_type]
    return Mode(
        signal_type=signal_type,
        processor_type=TYPED_PROCESSOR,
        evidence_kind=s["evidence_kind"] or evidence,
        analysis_profile=body.get("analysis_profile") or profile,
        source={"type": TYPED_PROCESSOR},
        data=None,
        label=label,
    )


def _raw(body: dict[str, Any], s: dict[str, str | None], provider: str) -> Mode:
    source = checked_source(body.get("source"))
    data = _object(body.get("data"), "data")
    if s["additional_context"] is not None:
        data = {**(data or {}), "additionalContext": s["additional_context"]}
    processor = s["processor_type"] or (source or {}).get("type") or provider
    if processor == TYPED_PROCESSOR:
        raise InvalidInput(f"text is required for {TYPED_PROCESSOR} signals", field="text")
    evidence = s["evidence_kind"]
    default_profile = SIGNAL_TYPE_PROFILES[evidence][1] if evidence in SIGNAL_TYPE_PROFILES else None
    return Mode(
        signal_type=None,
        processor_type=processor,
        evidence_kind=evidence,
        analysis_profile=body.get("analysis_profile") or default_profile,
        source=source or {"type": processor},
        data=data,
        label=kind_label(evidence) if evidence else provider_label(provider),
    )


def _with_external_data(
    source: dict[str, Any], external_data: dict[str, Any] | None, links: list[dict[str, Any]]
) -> dict[str, Any]:
    """`sourceExternalData` merged into `source.external_data`, with the normalized `sourceLinks` as `links`."""
    if external_data is None and not links:
        return source
    existing = source.get("external_data")
    merged = {**(existing if isinstance(existing, Mapping) else {}), **(external_data or {})}
    if links:
        merged["links"] = links
    return {**source, "external_data": merged}


def typed_data(draft: Draft, text_key: str, product_ids: list[str], account_ids: list[str], now: datetime) -> dict:
    """The `data` of a typed signal, in the spec's shape: where its text is, and the ids and notes it came with."""
    data: dict[str, Any] = {"s3Key": text_key}
    if draft.product_ids is not None:
        data["productIds"] = product_ids
    if account_ids:
        data["accountId"] = account_ids[0]
    if draft.account_external_id is not None:
        data["accountExternalId"] = draft.account_external_id
    if draft.additional_context is not None:
        data["additionalContext"] = draft.additional_context
    data["uploadedAt"] = now.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return data
