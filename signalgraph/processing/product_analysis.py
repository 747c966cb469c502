"""Reading a product's description: its mission, KPIs, personas and features, and what is missing.

Rules, not a model: cue phrases (below, as data) find a mission statement, KPI words, the people the
product is for and the capabilities it lists. What the product's own fields say (mission, kpis,
personas, features) counts first; the description fills in. Each topic nothing covers gets a
clarification question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SUMMARY_MAX = 280
MISSION_CUES = re.compile(
    r"\b(our mission|mission is|we exist to|our goal is|we help|helps?|enables?|empowers?|so that|aims? to|"
    r"lets? (teams|companies|people|users|customers))\b",
    re.IGNORECASE,
)
KPI_CUES = re.compile(
    r"\b(kpis?|retention|churn|nps|csat|conversion( rate)?|activation( rate)?|revenue|arr|mrr|dau|wau|mau|"
    r"engagement|adoption|time[- ]to[- ][a-z]+|lifetime value|ltv|cac|on[- ]time rate)\b|\d+(\.\d+)?\s?%",
    re.IGNORECASE,
)
PERSONA_CUES = re.compile(
    r"\b(?:for|used by|built for|designed for|helps?|lets?)\s+"
    r"(?P<who>(?:[a-z-]+\s){0,3}?(?:teams|managers|leads|"
    r"engineers|developers|designers|marketers|founders|admins|administrators|analysts|operators|dispatchers|"
    r"drivers|owners|researchers|product managers|pms|agents|recruiters|accountants|clinicians|teachers|"
    r"students|shoppers|sellers|buyers|startups|agencies))\b",
    re.IGNORECASE,
)
FEATURE_LIST = re.compile(
    r"\b(?:features?|includes?|including|offers?|provides?|supports?|comes with)\s*:?\s+(?P<items>[^.;:!?]+)",
    re.IGNORECASE,
)
ITEM_SPLIT = re.compile(r"\s*(?:,|\band\b|\bor\b|\bplus\b)\s*", re.IGNORECASE)
ITEM_MAX_WORDS = 6
LEADING_ARTICLE = re.compile(r"^(?:a|an|the|its|our|their)\s+", re.IGNORECASE)

QUESTIONS = {
    "mission": "What is {name}'s mission: who does it serve, and what changes for them when it works?",
    "kpis": "Which KPIs tell whether {name} is succeeding (for example activation, retention or revenue), "
    "and what are their targets?",
    "personas": "Who are {name}'s main users? Describe the personas it serves, their goals and their pains.",
    "features": "What are {name}'s main features? Add them to its feature map.",
    "unmapped_features": "The description of {name} mentions {items}, which its feature map does not list: "
    "are these features, and where do they belong?",
}


@dataclass(frozen=True)
class ProductFacts:
    """What the product's own fields say."""

    name: str
    description: str
    mission: str | None
    kpis: list[str]
    personas: list[str]
    features: list[str]


@dataclass
class Analysis:
    summary: str
    mission: str | None
    kpis: list[str]
    personas: list[str]
    features_present: list[str]
    features_missing: list[str]
    questions: dict[str, str] = field(default_factory=dict)  # topic → question

    def as_json(self) -> dict:
        return {
            "summary": self.summary,
            "mission": self.mission,
            "kpis": self.kpis,
            "personas": self.personas,
            "features": {"present": self.features_present, "missing": self.features_missing},
            "missing": sorted(self.questions),
            "analyzer": "local",
        }


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.lower(), value)
    return list(seen.values())


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def described_features(description: str) -> list[str]:
    """Capabilities the description lists: "offers route planning, live tracking and CSV exports"."""
    items = []
    for match in FEATURE_LIST.finditer(description):
        for item in ITEM_SPLIT.split(match.group("items")):
            item = LEADING_ARTICLE.sub("", item.strip(" -–—()"))
            if item and len(item.split()) <= ITEM_MAX_WORDS:
                items.append(item)
    return _unique(items)


def analyse(facts: ProductFacts) -> Analysis:
    sentences = _sentences(facts.description)
    summary = sentences[0][:SUMMARY_MAX] if sentences else ""
    mission = facts.mission or next((s for s in sentences if MISSION_CUES.search(s)), None)
    kpis = _unique(facts.kpis + [m.group(0).lower() for m in KPI_CUES.finditer(facts.description)])
    personas = _unique(
        facts.personas + [m.group("who").lower() for m in PERSONA_CUES.finditer(facts.description)]
    )
    mapped = [_words(name) for name in facts.features]
    described = described_features(facts.description)
    missing = [item for item in described if not any(_words(item) & words for words in mapped)]
    present = _unique(facts.features + [item for item in described if item not in missing])
    analysis = Analysis(summary, mission, kpis, personas, present, missing)
    name = facts.name
    if not mission:
        analysis.questions["mission"] = QUESTIONS["mission"].format(name=name)
    if not kpis:
        analysis.questions["kpis"] = QUESTIONS["kpis"].format(name=name)
    if not personas:
        analysis.questions["personas"] = QUESTIONS["personas"].format(name=name)
    if missing:
        analysis.questions["features"] = QUESTIONS["unmapped_features"].format(
            name=name, items=", ".join(missing)
        )
    elif not facts.features:
        analysis.questions["features"] = QUESTIONS["features"].format(name=name)
    return analysis
