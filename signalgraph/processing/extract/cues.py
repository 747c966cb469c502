"""The local extractor's policies, as data: cue phrases per finding kind, severities, profiles, contexts.

A cue is (regular expression, weight, facet). A clause scores the weights of the cues it matches per
kind (times the analysis profile's multiplier); the best kind scoring at least KIND_THRESHOLD wins,
ties going to the kind listed first in KIND_PRECEDENCE. A facet names what a cue is about ("~speed"
for "slow" and "takes forever"), so that clauses saying the same thing in other words group together.
Patterns are matched against lower-cased text.
"""

from __future__ import annotations

Cue = tuple[str, float, str | None]

KIND_THRESHOLD = 1.0
KIND_PRECEDENCE = ("bug", "feature_request", "pain_point", "question", "praise")

# A negator in the few words before a cue cancels it ("no problems", "never crashes", "not great").
NEGATION = r"\b(no|not|never|without|hardly|barely|n't|isn't|wasn't|don't|doesn't|didn't)\b[\w\s']{0,12}$"

KIND_CUES: dict[str, tuple[Cue, ...]] = {
    "bug": (
        (r"\b(crash(es|ed|ing)?|freez(e|es|ing)|froze)\b", 1.5, "~failure"),
        (r"\bbug(s|gy)?\b|\bglitch(es|y)?\b", 1.5, "~failure"),
        (r"\berrors?\b|\bexceptions?\b", 1.2, "~failure"),
        (r"\bbroken\b|\bbreaks\b", 1.3, "~failure"),
        (
            (
                r"\b(doesn't|does not|didn't|did not|won't|isn't|is not|aren't|are not|stopped) "
                r"(work|working|load|loading|save|saving|sync|syncing|open|opening|send|sending|update|updating)\b"
            ),
            1.5,
            "~failure",
        ),
        (r"\bnot (working|loading|saving|syncing|sending|updating)\b", 1.5, "~failure"),
        (r"\bfail(s|ed|ing|ure|ures)?\b", 1.3, "~failure"),
        (r"\b(times? out|timed out|timeouts?)\b", 1.2, "~failure"),
        (r"\b(500|502|503|504)\b", 1.0, "~failure"),
        (r"\b(blank|white|empty) (page|screen)\b", 1.3, "~failure"),
        (r"\b(disappear(s|ed)?|vanish(es|ed)?)\b", 1.0, "~failure"),
        (
            (
                r"\b(can't|cannot|can not|unable to|couldn't) "
                r"(log ?in|sign ?in|reset|upload|download|save|connect|send|"
                r"export|import|open|load|print)\b"
            ),
            1.3,
            "~failure",
        ),
        (r"\bwrong (totals?|numbers?|amounts?|data|values?|dates?|counts?)\b", 1.2, "~wrong-data"),
    ),
    "feature_request": (
        (r"\b(i|we) wish\b|\bwish (it|there|you)\b", 1.5, None),
        (
            (
                r"\b(it'd|it would|that would|would) be (so |really )?"
                r"(great|nice|helpful|useful|awesome|amazing) "
                r"(if|to)\b"
            ),
            1.5,
            None,
        ),
        (
            (
                r"\b(i'd|we'd|i would|we would) (really )?(love|like) "
                r"(to see|to have|to be able|a|an|the ability|some|"
                r"it if|if)\b"
            ),
            1.5,
            None,
        ),
        (r"\b(please|pls) (add|support|make|let|allow|consider|bring)\b", 1.5, None),
        (r"\b(could|can) you (please )?(add|support|build|consider)\b", 1.4, None),
        (r"\bfeature requests?\b", 2.0, None),
        (r"\b(we|i) (really )?(need|want) (a|an|the ability|some way|a way|to be able)\b", 1.3, None),
        (r"\bwant to be able to\b|\b(need|want) (a|some) way to\b", 1.3, None),
        (r"\bshould (be able to|have|support|let|allow|offer|include)\b", 1.1, None),
        (
            r"\b(missing|lacks?|lacking) (a |an |the )?(feature|option|ability|integration|support)\b",
            1.3,
            None,
        ),
        (r"\bif only\b", 1.2, None),
        (r"\bhope (you|they) (add|will add|build)\b", 1.3, None),
        (r"\bintegrat(e|ion) with\b", 0.8, None),
        (r"\bis there (a|any) way to\b", 0.8, None),
        (r"\bwould (help|make it easier|save)\b", 1.0, None),
    ),
    "pain_point": (
        (r"\bfrustrat(ed|ing|ion|es)\b", 1.5, None),
        (r"\bannoy(ed|ing|s)?\b", 1.3, None),
        (
            r"\bconfus(ed|ing|ion|es)\b|\bnot (intuitive|clear|obvious)\b|\bunclear\b|\bunintuitive\b",
            1.3,
            "~confusion",
        ),
        (
            (
                r"\b(can't|cannot|couldn't|could not) (find|figure out|tell|understand)\b"
                r"|\b(hard|difficult) to find\b"
            ),
            1.4,
            "~findability",
        ),
        (r"\b(hard|difficult|impossible|tricky) to\b", 1.3, None),
        (r"\bpain(ful| point)?\b", 1.2, None),
        (r"\bstruggl(e|es|ed|ing)\b", 1.3, None),
        (r"\btakes? (forever|ages|too long|hours|so long|a long time)\b", 1.5, "~speed"),
        (r"\b(too|so|really|very|painfully|super|incredibly) slow\b", 1.5, "~speed"),
        (r"\bslow(ly|er|ness)?\b|\blaggy\b|\bsluggish\b", 1.0, "~speed"),
        (r"\btedious\b|\btime[- ]consuming\b|\bcumbersome\b|\bclunky\b", 1.3, "~effort"),
        (r"\bmanual(ly)?\b|\bcopy[- ]past(e|ing)\b|\bworkarounds?\b|\bspreadsheets?\b", 0.7, "~effort"),
        (r"\bwast(e|es|ed|ing) (so much |a lot of )?(time|hours)\b", 1.4, "~effort"),
        (r"\boverwhelm(ed|ing)\b|\btoo (many|much|complicated|complex)\b", 1.2, None),
        (r"\bexpensive\b|\boverpriced\b|\btoo pricey\b", 1.1, "~cost"),
        (r"\bhate\b|\bworst\b|\bdisappoint(ed|ing)\b", 1.3, None),
        (r"\bblock(s|ing|ed|er|ers)\b", 1.2, None),
        (r"\b(problem|issue)s?\b", 0.7, None),
        (r"\b(have|had) to\b", 0.5, None),
    ),
    "praise": (
        (r"\b(love|loved|loving|loves)\b(?! (to|it if|if|a way|the ability|being able)\b)", 1.4, None),
        (
            r"\b(great|awesome|amazing|fantastic|excellent|brilliant|superb|wonderful)\b(?! (if|to)\b)",
            1.0,
            None,
        ),
        (r"\breally (like|liked|enjoy|enjoyed)\b", 1.3, None),
        (
            r"\beasy to (use|set up|setup|learn|understand)\b|\b(intuitive|seamless|smooth|polished)\b",
            1.3,
            "~ease",
        ),
        (r"\breliable\b|\bworks (great|well|perfectly|flawlessly)\b", 1.4, None),
        (r"\bsaves? (us|me|our team)? ?(so much |a lot of )?(time|hours)\b", 1.5, "~time-saved"),
        (r"\bgame[- ]changer\b|\bkudos\b|\bimpressed\b", 1.5, None),
        (r"\b(happy|pleased|satisfied) with\b|\brecommend\b", 1.2, None),
        (r"\bhelpful\b", 1.0, None),
        (r"\bbest\b|\bfast\b|\bresponsive\b", 0.6, None),
        (r"\bthank(s| you) for\b", 0.8, None),
    ),
    "question": (
        (r"\?\s*[\"')\]]*$", 1.2, None),
        (
            (
                r"\b(i was wondering|wondering (if|whether)|any idea (how|why|whether)"
                r"|do you know (how|if|whether))\b"
            ),
            1.0,
            None,
        ),
    ),
}

# analysisProfile → multipliers per kind (absent: 1.0): a support ticket weighs bugs and questions.
PROFILE_WEIGHTS: dict[str, dict[str, float]] = {
    "default_transcript": {},
    "support_ticket": {"bug": 1.3, "question": 1.3, "feature_request": 0.9, "praise": 0.6},
    "survey_response": {"praise": 1.2, "feature_request": 1.1, "pain_point": 1.1},
    "discovery_report": {"pain_point": 1.2, "feature_request": 1.2, "question": 0.5, "praise": 0.8},
}

SENTIMENT_BY_KIND = {
    "bug": "negative",
    "pain_point": "negative",
    "praise": "positive",
    "feature_request": "neutral",
    "question": "neutral",
}
BASE_SEVERITY = {
    "bug": "high",
    "pain_point": "medium",
    "feature_request": "medium",
    "question": "low",
    "praise": "low",
}
# First match wins; praise is always "low". Three or more mentions raise a bug, pain or request one level.
SEVERITY_CUES: tuple[tuple[str, str], ...] = (
    (
        "critical",
        (
            r"\b(data loss|lost (all|our|my)|security|breach|outage|(is|was|went) down|in production|blocker|"
            r"blocking|urgent|asap|can't (log ?in|sign ?in|access)|cannot (log ?in|access)|"
            r"all (of )?our (users|customers))\b"
        ),
    ),
    (
        "high",
        (
            r"\b(crash\w*|errors?|fail\w*|broken|unable|can't|cannot|impossible|every time|always|constantly|"
            r"losing|churn\w*|cancel\w*|switch(ing)? to)\b"
        ),
    ),
    ("low", r"\b(minor|small|slight|nice to have|would be nice|a bit|a little|cosmetic|occasionally)\b"),
)
SEVERITY_BUMP_MENTIONS = 3

# Speaker labels that are roles, not people; the first group also marks the interviewer.
INTERVIEWER_LABELS = frozenset(
    {
        "interviewer",
        "moderator",
        "host",
        "researcher",
        "ux researcher",
        "facilitator",
        "pm",
        "product manager",
        "q",
    }
)
GENERIC_LABELS = INTERVIEWER_LABELS | frozenset(
    {
        "speaker",
        "customer",
        "user",
        "participant",
        "client",
        "interviewee",
        "respondent",
        "guest",
        "a",
        "me",
        "agent",
        "support",
        "note",
        "notes",
        "summary",
        "transcript",
        "from",
        "to",
        "cc",
        "subject",
        "date",
        "sent",
    }
)
# A speaker whose sentences are mostly questions is taken for the interviewer.
INTERVIEWER_QUESTION_SHARE = 0.6

# Words that carry no topic, for grouping (cue words are removed by their own match).
_STOPWORD_TEXT = """
a about above after again all also am an and any are around as at back be because been before being below
between both but by can could did do does doing done down during each even ever every few for from further
get gets getting got had has have having he her here hers him his how i if in into is it its itself just
kind know let like lot lots made make makes making many may me might more most much must my need needs no
nor not now of off often on once one only or other our ours out over own pretty quite rather really right
said same say says see seems she should so some something sometimes still such sure take takes than that the
their them then there these they thing things think this those though through time times to too under until
up us use used using very want wants was way we well were what when where which while who why will with
would yes yeah you your um uh okay ok oh actually basically honestly literally maybe probably definitely
guess mean go going gone went come comes came try tried trying look looking lot day days week weeks month
today yesterday tomorrow people person team everyone anyone someone
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

FILLER_PREFIX = (
    r"^(?:(?:so|and|but|however|well|um+|uh+|yeah|yes|no|oh|okay|ok|right|honestly|basically|also|plus|like|"
    r"i mean|i think|i guess|i feel like|you know|to be honest|the thing is|the problem is|one thing is|"
    r"i(?:'ve| have)? (?:also )?noticed(?: that)?|it seems(?: like| that)?|it looks like)"
    r"[\s,.!-]+)+"
)

# Interaction context: the analysis profile gives the default; cues in the text (and, counting
# double, in additionalContext) and the mix of findings refine it.
CONTEXT_BY_PROFILE = {
    "default_transcript": "user_interview",
    "support_ticket": "support_request",
    "survey_response": "feature_feedback",
    "discovery_report": "market_research",
}
CONTEXT_CUES = {
    "churn_risk": r"\b(cancel(l?ing|l?ed)?( our| my)? (subscription|account|plan|contract)|churn\w*|"
    r"switch(ing)? to|not (going to )?renew|moving to (a )?competitor)\b",
    "sales_call": r"\b(pricing|quote|contract|procurement|renewal|discount|demo|budget|seats|licen[cs]es?)\b",
}
CONTEXT_CUE_MINIMUM = {"churn_risk": 2, "sales_call": 3}
ADDITIONAL_CONTEXT_WEIGHT = 2

# Free-mail domains name no company.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "ymail.com",
        "hotmail.com",
        "hotmail.co.uk",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
        "fastmail.com",
        "hey.com",
        "tutanota.com",
        "qq.com",
        "163.com",
    }
)
# Mailboxes that are not people (their domain is often the vendor's own).
ROLE_MAILBOXES = frozenset(
    {
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "notifications",
        "notification",
        "mailer-daemon",
        "support",
        "help",
        "helpdesk",
    }
)
SIGN_OFF = (
    r"^\s*(best|thanks|thank you|many thanks|regards|best regards|kind regards|warm regards|cheers|"
    r"sincerely|all the best|thx)\s*[,.!]?\s*$"
)
ROLE_WORDS = (
    r"\b(manager|lead|director|head|engineer|officer|vp|ceo|cto|coo|cfo|founder|co-founder|analyst|"
    r"specialist|coordinator|admin|administrator|owner|president|consultant|designer|developer|"
    r"architect|operations|ops|marketing|sales|product|support|success)\b"
)
