"""The local extractor's policies, as data: cue phrases per finding kind, severities, profiles, contexts.

A cue is (regular expression, weight, facet). A clause scores the weights of the cues it matches per
kind (times the analysis profile's multiplier); the best kind scoring at least KIND_THRESHOLD wins,
ties going to the kind listed first in KIND_PRECEDENCE. A facet names what a cue is about ("~speed"
for "slow" and "takes forever"), so that clauses saying the same thing in other words group together.
Patterns are matched against lower-cased text. The cue tables themselves are data in cues.toml beside
this module; the word lists they share, and the other policies, are here.
"""

from __future__ import annotations

import tomllib
from importlib import resources

Cue = tuple[str, float, str | None]


def load_kind_cues(word_lists: dict[str, str]) -> dict[str, tuple[Cue, ...]]:
    """The cue tables of cues.toml, per kind in the file's order, each shared word list put in for its <name>."""
    table = tomllib.loads(resources.files(__package__).joinpath("cues.toml").read_text(encoding="utf-8"))

    def pattern(text: str) -> str:
        for name, words in word_lists.items():
            text = text.replace(f"<{name}>", words)
        return text

    return {
        kind: tuple((pattern(cue["pattern"]), float(cue["weight"]), cue.get("facet")) for cue in entries)
        for kind, entries in table.items()
    }

KIND_THRESHOLD = 1.0
KIND_PRECEDENCE = ("bug", "feature_request", "pain_point", "question", "praise")

# A negator in the few words before a cue cancels it ("no problems", "never crashes", "not great").
NEGATION = (
    r"\b(no|not|never|without|hardly|barely|n't|isn't|wasn't|don't|doesn't|didn't|used to be|used to|no longer|"
    r"would|could|'d)\b"
    r"[\w\s']{0,12}$"
    # what the product spared them: "saved me hours of copy-pasting"
    r"|\bsav(e|es|ed|ing) (me|us|them|you|our \w+|my \w+) ([\w-]+ ){0,3}(of|on|from)\s*$"
)

# People as the subject right before a cue: "managers never complete", "half of our users don't open".
PEOPLE_BEFORE = (
    r"\b(managers?|users?|customers?|clients?|people|staff|employees?|reps?|agents?|admins?|teachers?|parents?|"
    r"students?|drivers?|patients?|members?|approvers?|reviewers?|nobody|no one|everyone|most of them|half of them)"
    r"\s+(?:\w+ )?$"
)
_VERBS_THAT_FAIL = (
    r"work|load|save|sync|open|send|update|arrive|show up|appear|download|upload|print|render|display|scroll|"
    r"respond|refresh|fire|trigger|connect|match|apply|go off|come through|move|change|register|submit|import|"
    r"export|calculate|deliver|play|start|launch|finish|complete|reset|tie out|go through|recognise|recognize"
)
# What a user does with a product, that it may not let them do ("can't share", "no way to pause").
_CAPABILITY_VERBS = (
    r"share|invite|assign|skip|edit|delete|rename|pause|disable|turn (it |them )?off|opt out|look up|"
    r"add|customi[sz]e|filter|sort|group|merge|schedule|automate|hide|reuse|integrate|search|bulk|switch|"
    r"choose|set|configure|restore|undo|tag|comment|mention|embed|translate|duplicate|copy|move"
)
_SUBJECTS = (
    r"i|we|they|he|she|customers?|users?|clients?|teams?|everyone|everybody|people|merchants?|agencies|admins?|"
    r"companies|businesses|firms|owners|organi[sz]ations|schools|clinics|stores|shops|restaurants|hospitals|"
    r"accountants|retailers|carriers|partners|"
    r"principals?|drivers?|participants?|brokers?|managers?|buyers?|prospects?|respondents?|several|many|most|"
    r"some|all|both|two|three|four|five|\d+(?: of \d+)?|our (?:team|users|customers|staff|admins|ops team)|"
    r"the team|my team|hiring managers|teachers|parents|patients|caregivers|coordinators|bookkeepers|recruiters|"
    r"candidates|employees|staff|engineers|developers|devs"
)

# The cue phrases per kind live in cues.toml beside this module (data, not code).
KIND_CUES: dict[str, tuple[Cue, ...]] = load_kind_cues(
    {"subjects": _SUBJECTS, "verbs_that_fail": _VERBS_THAT_FAIL, "capability_verbs": _CAPABILITY_VERBS}
)

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
        "ae",
        "account executive",
        "sales",
        "se",
        "sdr",
        "csm",
        "agent",
        "support",
        "vendor",
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
customers customer users user clients client brokers broker merchants merchant participants participant agencies
agency admins admin managers manager teams staff employees employee several half most both
two three four five six seven eight nine ten twenty first second third last next
genuinely truly absolutely totally completely simply super pretty fairly quite kinda sorta lol haha hmm
honestly seriously literally tbh imo really said told asked says tells asks mentioned noted otherwise
since monday tuesday wednesday thursday friday saturday sunday morning afternoon evening tonight
cant dont doesnt wont isnt arent didnt wasnt couldnt wouldnt shouldnt
im ive id ill weve wed youre youve youd theyre theyve theyd hes shes thats theres whats lets honest
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


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
    r"sincerely|all the best|thx|thanks again|thanks so much|thank you so much|thanks in advance|danke|merci|"
    r"gracias|rgds|br|warmly|talk soon)\s*[,.!]*\s*(?:[-—–]?\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)?)?\s*$"
)
GREETING = r"^\s*(hi|hello|hey|dear|good (morning|afternoon|evening)|greetings)\b[^,.!?\n]{0,25}[,!.:]+\s*"
# Section headings and line labels: what the lines under them are (first match wins).
# A review form's "Recommendations to others considering the product:" is the reviewer's own advice, not an
# analyst's recommendations set aside; "Questions participants asked us", "What attendees requested" list what the
# customers said, not who they were.
NOT_SET_ASIDE = (
    r"\brecommendations? to others\b|"
    r"\b(?:participants|attendees)\b (?:\w+ )?(?:asked|said|raised|mentioned|requested|wanted|told|liked|loved|praised|"
    r"reported)\b"
)
# "Open questions for us", "Open questions for the team": what the vendor has still to decide, set aside too
# ("Open questions from participants" are the customers', and "Questions for us" lists what they asked us).
VENDOR_QUESTIONS = r"\bopen questions for (?:us|ourselves|the team|our team|product|engineering)\b"
HEADING_HINTS: tuple[tuple[str, str], ...] = (
    # "Things we heard that are NOT findings", "Ideas that didn't land": what the analyst set aside
    (
        "skip",
        (
            r"\b(recommendations?|next steps|action items|attendees|participants|methodology|agenda|"
            r"not (?:a )?findings?|(?:didn't|did not) land|ruled out|rejected ideas)\b"
        ),
    ),
    (
        "praise",
        (
            r"\b(like best|benefit\w*|solving|what works|working well|bright spots?|went well|pros|positives?|"
            r"made you (pick|choose|buy|switch)|why did you (pick|choose|buy|switch)|"
            r"praised?|strengths?|highlights?|kudos|what they like|what people like|what they love|won|wins|"
            r"decision drivers?|deciding factors?|why (we|they) (won|chose|picked|bought))\b"
        ),
    ),
    (
        "negative",
        (
            r"\b(dislike\w*|cons|pains?|pain points?|problems?|issues?|complaints?|frustrations?|negatives?|"
            r"weakness(es)?|risks?|challenges|blockers?|not working|doesn't work|concerns?|downsides?|"
            r"gripes?|annoying|gets? in the way|getting in the way|in your way|slow(s|ing)? (you|things) down|hardest|worst|"
            r"frustrat\w*|falls? short|broke|broken|goes wrong|went wrong|technical|"
            r"what's not|what isn't|what doesn't|difficult|lost|losses|objections?|reservations?|hesitations?|doubts?)\b"
        ),
    ),
    ("question", r"\b(open questions?|questions?)\b"),
    (
        "feature_request",
        (
            r"\b(asked for|requests?|requested|wants?|wishlist|wish list|suggestions?|ideas?|missing|"
            r"improve\w*|better|would make|must[- ]haves?|miss|feature requests?|what would|"
            r"change one thing|what else would|kept you|keep you|needs|magic wand|if you could|top of your list|"
            r"matters? most|most important|priorit\w*|requirements?|non-negotiables?|add|ideal world|ideally|"
            r"on your list)\b"
        ),
    ),
    ("praise", r"(?<!looking )(?<!look )(?<!looks )(?<!sound )(?<!sounds )(?<!seem )(?<!feel )\b(likes?|liked|love|loved)\b(?! to\b)"),
)
# A form's question to the respondent (not evidence): "What do you like best?", "Why did you give this score?"
# It asks the respondent ("you", "we"), or is one of the stock questions.
PROMPT = (
    r"^(q\d*[:.)]?\s*)?((what|why|how|which|anything|is there anything|tell us|would you|did you|do you|overall|"
    r"please (rate|tell|describe)|rate|describe|if you could)\b(?=.*\b(you|your|we|us|our)\b).*"
    r"\b(like|dislike|improve|better|missing|miss|reason|score|recommend|satisf\w*|easy|problems?|solving|"
    r"benefit\w*|else|leaving|kept you|change|upgrade|rating|experience|feel about|think of|why not|"
    r"do better|want|wrong|work(ing)?|hardest|frustrat\w*|use us|using|useful|valuable|help|make|add)\b|"
    r"(why|what)( is| was)? (this|that|the|your) (score|rating)|"
    r"(what's missing|what is missing|anything else|why not|tell us why|any (other )?(comments|feedback|thoughts)|"
    r"what could be better|what should (we|be) improved?|what would make (it|this|the \w+) (better|more \w+)|"
    r"how easy (was|is) it|what problems (is|are|does|do) .{1,40} solv\w*|recommendations to others|"
    r"would you (consider|recommend|come back|return|use))"
    r")"
)
# Line labels whose text is the respondent's answer ("Comments: …", "Primary reason for cancelling: …").
ANSWER_KEY = (
    r"^(a|q?\d*\s*a)$|\b(answers?|comments?|reasons?|why|responses?|feedback|notes?|verbatim|details|description|"
    r"message|body|text|other|anything else|quotes?|summary|observed|observations?|takeaways?|findings?|themes?|"
    r"improve|missing|what|how)\b"
)
# Line labels that are not a topic ("Second: …", "Update: …").
NOT_LABEL = (
    r"^(first|second|third|fourth|fifth|next|then|also|finally|lastly|ps|p\.s|update|edit|note|result|outcome|"
    r"status|context|background|example|e\.g|re|fyi|tl;?dr|bottom line|overall|plan|date|time|\d+|q\d*)$|"
    r"\b(said|says|asked|told|wrote|mentioned)\b"
)
ROLE_WORDS = (
    r"\b(manager|lead|director|head|engineer|officer|vp|ceo|cto|coo|cfo|founder|co-founder|analyst|"
    r"specialist|coordinator|admin|administrator|owner|president|consultant|designer|developer|"
    r"architect|operations|ops|marketing|sales|product|support|success)\b"
)
