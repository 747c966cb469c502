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

# What each value of a set means, shown on the GraphQL enums: {set: (what the set is, {value: meaning})}.
MEANINGS: dict[tuple[str, ...], tuple[str, dict[str, str]]] = {
    INSIGHT_STATUSES: ("Where an insight is in review.", {
        "draft": "Not reviewed yet: the status of new and freshly extracted insights.",
        "published": "Reviewed and shared with the workspace.",
        "archived": "Kept for the record, no longer in use.",
    }),
    OPPORTUNITY_STATUSES: ("Where an opportunity is in discovery.", {
        "discovery": "Being explored: the status of new opportunities.",
        "defined": "The problem is stated and scoped.",
        "validated": "Confirmed by evidence as worth solving.",
        "archived": "Kept for the record, no longer pursued.",
    }),
    IDEA_STATUSES: ("Where an idea is on its way to release.", {
        "evaluating": "Being assessed: the status of new ideas.",
        "backlog": "Accepted, waiting to be built.",
        "development": "Being built.",
        "released": "Shipped.",
        "archived": "Kept for the record, no longer pursued.",
    }),
    LIFECYCLE_STAGES: ("Where an account stands as a customer (Zentrik's canonical stages).", {
        "LEAD": "A prospect, not yet using the product.",
        "TRIAL": "Trying the product.",
        "ACTIVE": "A paying customer.",
        "CHURNED": "A former customer.",
        "PARTNER": "A partner rather than a customer.",
    }),
    PROJECT_STATUSES: ("Where a project stands.", {
        "planned": "Not started: the status of new projects.",
        "active": "In progress.",
        "done": "Finished.",
        "archived": "Kept for the record, no longer in use.",
    }),
    SIGNAL_STATUSES: ("Where a signal is in processing.", {
        "pending": "Waiting to be processed: the status of new signals.",
        "processing": "Being processed into insights now.",
        "processed": "Processed: its insights are extracted.",
        "failed": "Processing failed; `processing.lastError` says why.",
    }),
    SIGNAL_TYPES: ("What kind of text a signal is; it decides how the signal is processed.", {
        "transcript": "A call or interview transcript (evidence kind transcript, profile default_transcript).",
        "support_ticket": "A support ticket or conversation (profile support_ticket).",
        "review": "A product review, e.g. from an app store or G2 (profile survey_response).",
        "feedback_record": "A structured feedback record such as a survey answer (profile survey_response).",
        "discovery_report": "A discovery or market research report (profile discovery_report).",
    }),
    ANALYSIS_PROFILES: ("How a signal's text is analysed; by default the one its signal type implies.", {
        "default_transcript": "Conversations: transcripts and interviews.",
        "support_ticket": "Support tickets.",
        "survey_response": "Reviews, survey answers and feedback records.",
        "discovery_report": "Discovery and market research reports.",
    }),
    PARTICIPANT_POLICIES: ("What processing does with the people a signal mentions.", {
        "none": "Leave contacts and accounts alone.",
        "link": "Link the signal to the accounts of matching contacts (by e-mail, then name) and to matching accounts.",
        "create": "As link, and create a contact for a person no contact matches.",
    }),
    INDEXING_STATUSES: ("Whether context search finds an item's current content yet.", {
        "pending": "Not indexed yet: new or changed, waiting for the indexing job.",
        "indexed": "Indexed: context search finds its current content.",
    }),
}
