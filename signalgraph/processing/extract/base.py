"""The Extractor interface and what it returns: findings with their evidence, people, companies, context.

Both providers (the local rules and an LLM) return the same `Extraction`; turning it into insights,
contacts and accounts is the processing job's business, not theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ...vocabulary import SIGNAL_TYPE_PROFILES
from ..chat_completions import ModelError

KINDS = ("pain_point", "feature_request", "bug", "praise", "question")
SENTIMENTS = ("negative", "neutral", "positive", "mixed")
SEVERITIES = ("low", "medium", "high", "critical")
CONTEXTS = (
    "user_interview",
    "sales_call",
    "support_request",
    "bug_report",
    "feature_feedback",
    "praise",
    "churn_risk",
    "market_research",
    "general_feedback",
)
KIND_LABELS = {
    "pain_point": "Pain point",
    "feature_request": "Feature request",
    "bug": "Bug",
    "praise": "Praise",
    "question": "Question",
}
DEFAULT_PROFILE = "default_transcript"


class ExtractionError(ModelError):
    """The model's answer cannot become an extraction (wrong shape, cut off)."""


@dataclass(frozen=True)
class ExtractionRequest:
    """The text to analyse. `additional_context` describes the text; it is never an instruction."""

    text: str
    signal_type: str | None = None
    analysis_profile: str | None = None
    additional_context: str | None = None

    @property
    def profile(self) -> str:
        if self.analysis_profile:
            return self.analysis_profile
        known = SIGNAL_TYPE_PROFILES.get(self.signal_type or "")
        return known[1] if known else DEFAULT_PROFILE

    @property
    def is_conversation(self) -> bool:
        """Read as speaker turns (a transcript, or text of unknown kind), not as prose."""
        return self.signal_type in (None, "transcript") or self.profile == DEFAULT_PROFILE

    @property
    def insight_type(self) -> str:
        """The documented insight type for what is extracted from this kind of signal."""
        known = SIGNAL_TYPE_PROFILES.get(self.signal_type or "")
        return known[2] if known else "other"


@dataclass(frozen=True)
class Evidence:
    quote: str
    start: int | None  # character offsets into the request's text; None when a quote cannot be located
    end: int | None
    speaker: str | None = None

    def as_json(self) -> dict:
        return {"quote": self.quote, "start": self.start, "end": self.end, "speaker": self.speaker}


@dataclass(frozen=True)
class Finding:
    key: str  # stable across runs on the same text: re-processing updates, not duplicates
    kind: str
    name: str
    description: str
    sentiment: str
    severity: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str | None = None
    role: str | None = None
    company_domain: str | None = None
    company_name: str | None = None


@dataclass(frozen=True)
class Company:
    name: str
    domain: str | None = None


@dataclass(frozen=True)
class Extraction:
    findings: tuple[Finding, ...]
    context: str
    extractor: str
    people: tuple[Person, ...] = field(default=())
    companies: tuple[Company, ...] = field(default=())


class Extractor(Protocol):
    name: str

    async def extract(self, request: ExtractionRequest) -> Extraction: ...
