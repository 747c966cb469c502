"""The documented value sets, as data: statuses, types, stages, and the signal-type → profile mapping."""

from __future__ import annotations

INSIGHT_STATUSES = ("draft", "published", "archived")
INSIGHT_TYPES = ("feedback", "user-interview", "market-research", "session-recording", "support-ticket", "other")
OPPORTUNITY_STATUSES = ("discovery", "defined", "validated", "archived")
IDEA_STATUSES = ("evaluating", "backlog", "development", "released", "archived")
LIFECYCLE_STAGES = ("LEAD", "TRIAL", "ACTIVE", "CHURNED", "PARTNER")
PROJECT_STATUSES = ("planned", "active", "done", "archived")

SIGNAL_STATUSES = ("pending", "processing", "processed", "failed")
SIGNAL_TYPES = ("transcript", "support_ticket", "review", "feedback_record", "discovery_report")
ANALYSIS_PROFILES = ("default_transcript", "support_ticket", "survey_response", "discovery_report")
PARTICIPANT_POLICIES = ("none", "link", "create")

# signalType → (evidenceKind, analysisProfile, insight type of what processing extracts, display label)
SIGNAL_TYPE_PROFILES: dict[str, tuple[str, str, str, str]] = {
    "transcript": ("transcript", "default_transcript", "user-interview", "Transcript"),
    "support_ticket": ("support_ticket", "support_ticket", "support-ticket", "Support Ticket"),
    "review": ("review", "survey_response", "feedback", "Review"),
    "feedback_record": ("feedback_record", "survey_response", "feedback", "Feedback Record"),
    "discovery_report": ("discovery_report", "discovery_report", "market-research", "Discovery Report"),
}

INDEXING_STATUSES = ("pending", "indexed")
