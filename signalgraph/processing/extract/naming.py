"""Insight names as an analyst writes them: a short noun phrase about the subject ("Dark mode",
"Password reset email never arrives", "Scheduled export to S3"), never the first clause of a sentence.

One rule for both extractors: the local one names the clause it classified, the LLM path tidies the
name the model proposed. `name_key` is the normalised form two names about one subject share, for
matching findings to existing insights.
"""

from __future__ import annotations

import re

from ..patterns import alternation, any_word

NAME_MAX_WORDS = 10
# A longer name is cut before its first preposition or conjunction after a few words.
NAME_SOFT_WORDS = 7
NAME_MIN_CUT = 3
NAME_MIN_WEAK_CUT = 6
_NAME_CUT_TEXT = "when after if while since during whenever until because unless"
_NAME_WEAK_CUT_TEXT = "for with in on at by from"
NAME_WEAK_CUT_WORDS = frozenset(_NAME_WEAK_CUT_TEXT.split())
NAME_CUT_WORDS = frozenset(_NAME_CUT_TEXT.split())
NAME_MAX_CHARS = 80

# Words a name never starts with: pronouns, discourse openers, greetings (the test of the eval set).
_BANNED_FIRST_WORDS_TEXT = """i i'm i've i'd i'll me my mine we we're we've we'd we'll us our ours you you're you've you'd your
    yours he he's him his she she's her hers it it's its they they're they've they'd them their theirs
    this that these those there there's otherwise also hi hello hey dear thanks thank cheers so and but
    however then well yeah yes ok okay oh um uh plus anyway btw hmm hm er ah lol haha which who whose because
    since although though unless whereas whether"""
BANNED_FIRST_WORDS = frozenset(_BANNED_FIRST_WORDS_TEXT.split())

_OPENERS = (
    r"(?:hi|hello|hey|dear)\b[^,.!?\n]{0,30}[,!]",
    r"(?:thanks|thank you)(?: (?:so|very) much)?(?: in advance)?[,!.]?",
    (
        r"(?:so|and|but|or|also|plus|otherwise|however|honestly|basically|well|oh|ok|okay|yeah|yes|no|um+|uh+|h?m+|"
    r"er|ah|maybe|perhaps|genuinely|just|"
        r"like|anyway|anyways|btw|ps|p\.s\.|overall|still|then|again|really|seriously|frankly|personally|"
        r"unfortunately|sadly|luckily|fortunately|ideally|apparently|lately|recently|now|currently|right now|"
        r"at the moment|today|yesterday|this morning|again|additionally|finally|lastly|secondly|first|firstly|"
        r"second|third|one more thing|on top of that|in addition|the other thing|other than that|"
        r"all in all|in general|generally|mostly|for example|for instance|e\.g\.|actually|also,)\b[,:]?"
    ),
    r"(?:which|that|who)(?:'s| is| was| are| were| felt| feels| seems| made)?(?: honestly| really| just)?\b",
    (
        r"(?:[\w'-]+ ){1,3}(?:reported|complained|explained|mentioned|pointed out|noted|told us|highlighted)"
        r"(?: that| how)?\b,?"
    ),
    # "two owners said a flat fee…": whoever said it is not the subject
    r"(?:two|three|four|five|several|many|some|most|a few|all|\d+) (?:of (?:the|our|them) )?[\w-]+s (?:said|say)(?: that)?\b,?",
    (
        r"(?:(?:app store|play store|g2|capterra|trustpilot)?\s*review,?\s*)?\d(?:\.\d)?\s*(?:/\s*\d+\s*)?stars?\b[:,.]?|"
        r"(?:app store|play store|g2|capterra|trustpilot) review\b[:,.]?|\d(?:\.\d)?\s*/\s*\d+\s*[-–—:,]?|"
        r"(?:i think|i feel(?: like)?|i guess|i mean|i'd say|i would say|i believe|i suppose|to be honest|tbh|"
        r"imo|imho|in my opinion|you know|i(?:'ve| have)? (?:also )?noticed(?: that)?|it seems(?: like| that)?|"
        r"it looks like|looks like|seems like|i found(?: that)?|we found(?: that)?|turns out(?: that)?|"
        r"it turns out(?: that)?|the thing is(?: that)?|here's the thing)\b[,:]?"
    ),
    (
        r"(?:the|my|our|one|a)? ?(?:main |biggest |only |real |big |other |one |major |minor |last |final |quick )*"
        r"(?:problem|issue|thing|complaint|gripe|pain|pain point|downside|catch|concern|frustration|request|"
        r"wish|ask|suggestion|feedback|blocker|question|dealbreaker|deal breaker|annoyance)s?"
        r"(?: (?:i have|we have|i'd mention|for us|for me|here))?(?: (?:is|was|would be|being))?(?: that)?\b[,:]?"
    ),
    (
        r"(?:the |our |a |one |several |many |some |most )?(?:customer|user|client|prospect|buyer|admin|champion|"
        r"team|respondent|interviewee|participant|they|he|she|(?-i:(?!The\b|This\b|That\b|These\b|Those\b|Our\b|My\b|Their\b|Your\b|Its\b)[A-Z][a-z]+))s? (?:also )?(?:says?|said|mentioned|"
        r"reported|complain(?:s|ed)?|noted|explained|explains|told us|tells us|added|"
        r"pointed out|highlighted|flagged|raised|stressed|repeated|asked|asks)(?: that| whether| if| about| for| to)?\b,?"
    ),
    (
        r"(?:(?:since|as of|until|from) (?:this|last|yesterday) ?(?:morning|afternoon|evening|week|night|month)?|"
        r"(?:last|this|next|every|on|since|over the (?:last|past)) (?:week|month|night|year|time|quarter|sprint|"
        r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|weekend|few (?:days|weeks|months)|"
        r"\w+ (?:days|weeks|months)))\b,?"
    ),
    (
        r"(?:since|after|before|with) (?:the |yesterday's |today's |last week's |your |the latest |the last |the new |"
        r"this week's |the recent )?(?:[\w.]+ ){0,2}(?:update|release|upgrade|version [\d.]+|migration|redesign)s?"
        r"\b,?"
    ),
    (
        r"(?:when|whenever|every time|each time|if) (?:i|we|you|users?|they|someone) "
        r"(?:try|tries|tried|attempt|attempts|want|wants) to [^,]{3,60}?,"
    ),
)
OPENER = re.compile(r"^\s*(?:" + "|".join(_OPENERS) + r")\s*", re.IGNORECASE)

_REQUEST_LEADS = (
    (
        r"(?:it |this |that )?would be (?:(?:a )?(?:five|5|four|4|5/5|ten|10) stars?|perfect|complete|ideal|flawless) "
        r"(?:with|if (?:it |you |they |there )?"
        r"(?:had|has|could|would|was|were|did|offered|supported|added|got|gets|let me|let us)?)"
    ),
    # "for us the must-haves are proof of delivery photos, and an ETA link": what follows is the list.
    (
        r"(?:for (?:us|me|them),? )?(?:the |our |their |my )?(?:(?:real|main|top|only|two|three|biggest) )?"
        r"(?:must[- ]haves?|requirements?|asks?|needs|priorities|deal[- ]?breakers?) (?:for (?:us|me|them) )?"
        r"(?:are|is|were|was|would be)\b:?"
    ),
    (
        r"(?:i|we)(?: really| just| honestly| also| still)? wish(?:ed)? (?:there (?:was|were|is|would be) |it (?:had|could|would|did|"
        r"was|were) |you (?:had|would|could|guys had|offered|supported) |(?:i|we) could |for |that )?"
    ),
    (
        r"(?:(?:it|that|this)(?:'d| would| will)?|would|will)? ?be (?:so |really |very |super |extremely |incredibly )?"
        r"(?:great|nice|helpful|useful|awesome|amazing|good|cool|handy|ideal|fantastic|lovely|brilliant|valuable)"
        r" (?:if|to have|to see|to get|to be able to) (?:you |we |it |they |i |there |the app |the tool )?"
        r"(?:could|would|had|has|added|add|offered|supported|was|were|will|can)?(?: be able to)?"
    ),
    (
        r"(?:i|we|they|he|she|customers?|users?|clients?|our team|the team)(?:'d| would| really| also| all)* "
        r"(?:love|like|want|need|appreciate|prefer|kill for)[: ]\s*(?:to see |to (?=\w+ \w)||to have |to get |to be able to |"
        r"(?:it |you )?if (?:you |it |we |they |there )?(?:could |would |had |added |offered |supported |was |were )?|"
        r"some (?:kind|sort) of |a way to |the (?:ability|option) to |the option of |the ability of |"
        r"support for |an option to |an option for )?"
    ),
    (
        r"(?:please|pls|plz|kindly)(?: please)? (?:add|support|bring(?: back)?|build|consider(?: adding)?|"
        r"give us|let us|allow us to|allow|make it possible to|implement|include|offer|enable|fix|provide)?"
    ),
    (
        r"(?:can|could|would|will) you (?:guys |please |pls )*(?:add|support|build|consider(?: adding)?|"
        r"give us|let us|allow us to|bring(?: back)?|implement|offer|provide|make it possible to)"
    ),
    (
        r"(?:i|we|they|customers?|users?)(?: really| still| just| also| definitely| absolutely)* "
        r"(?:need|want|require|expect|are missing|miss)[: ]\s*(?:to be able to |a way to |the ability to |"
        r"an option to |some way to |support for |you to add |to |it to )?"
    ),
    (
        r"if only (?:it |there |you |they |we |i )?(?:had|has|could|would|was|were|supported|offered|did|"
        r"let me|let us)?"
    ),
    (
        r"what would make (?:this|it|us|the deal|the decision) (?:a yes|an easy yes|work|happen|a no-brainer)"
        r"(?: for (?:us|me|them))?(?: is| would be| are)?:?"
    ),
    (
        r"(?:it|this|the app|the tool|the product)(?: really)? (?:should|needs to|must|has to|ought to) "
        r"(?:have|support|let (?:me|us|you)|allow|offer|include|be able to|get|provide)?"
    ),
    r"(?:is|are) there (?:any )?(?:a |an |any )?(?:way|plans?|option|chance|roadmap) (?:to|for|of)",
    r"(?:any )?(?:plans?|chance|roadmap|eta) (?:to|for|on|of) (?:add(?:ing)?|support(?:ing)?|get(?:ting)?)?",
    (
        r"(?:feature request|request|suggestion|idea|wishlist|wish list|nice to have|asked for|requested|missing|"
        r"wants?|needs?|ask)s?(?: while [\w ]{1,20})?\s*[:\-–—]\s*"
    ),
    r"(?:(?:the|an|a) )?(?:ability|option|possibility|way|setting) to",
    (
        r"if (?:only )?(?:you|they|it|the app|the tool|we|i) (?:guys )?(?:added|had|offered|supported|built|"
        r"shipped|could add|could|let me|let us|allowed)"
    ),
    r"is it possible to",
    (
        r"(?:would|'d) (?:really |also |definitely )?(?:love|like|appreciate)(?: to see| to have| to get| to be able to|"
        r" an option to| a way to| the ability to| the option to)?"
    ),
    (
        r"(?:[\w'-]+ ){1,4}(?:needs|need|wants|want|requires|require|asked for|would like|would love|expects|"
        r"expect)\b(?: to have| to get)?"
    ),
    r"what (?:would|will|could) (?:really |actually |also )?(?:help|make (?:a|the) difference|be ideal)(?: is| are)?",
    r"(?:[\w'-]+ ){0,3}(?:asked|asks|ask) (?:for|to|whether|if|about)(?: (?:they|we|you|it) (?:could|can|would|might))?",
    r"(?:it|this|the app|the tool|the product) (?:is|was) (?:missing|lacking)",
    r"(?:missing|lacks|lacking|no support for|there(?:'s| is) no|there are no|no way to|no option to)",
    r"(?:give|let|allow) (?:me|us|users|admins) (?:to )?",
    r"(?:maybe |perhaps )?(?:you could |you guys could |we could |add(?:ing)? )",
)
REQUEST_LEAD = re.compile(r"^(?:" + "|".join(_REQUEST_LEADS) + r")\s*", re.IGNORECASE)

_PRAISE_LEADS = (
    (
        r"(?:i|we|they|my team|our team|the team|everyone|everybody|people|users?|customers?|participants?|"
        r"teams?|staff|several|most|all|many|some|\w+ of \w+)(?: really| absolutely| just| all| also)* "
        r"(?:love|like|enjoy|adore|appreciate|dig|value|praise|rave about|rate)d? (?:how |that |the way |it when )?"
    ),
    r"(?:really |absolutely |just |totally )?(?:love|loving|like|enjoy|adore|appreciate)d? (?:how |that |the way )?",
    r"(?:kudos|props|shout ?out|big thanks|thanks|thank you) (?:to (?:you|the team) )?(?:for|on) ",
    r"(?:really |very )?(?:impressed|happy|pleased|satisfied|delighted) (?:with|by) ",
)
PRAISE_LEAD = re.compile(r"^(?:" + "|".join(_PRAISE_LEADS) + r")\s*", re.IGNORECASE)

_QUESTION_LEADS = (
    (r"^(?:is|are) there (?:a |an |any )?(?:way (?:to|for) |option (?:to|for) )?", ""),
    (
        (
            r"^(?:do|does|can|will|would) (?:you|it|the app|the tool|your (?:app|tool|product|api)) (?:guys )?"
            r"(?:support|offer|have|integrate with|work with|connect to)\s+"
        ),
        "",
    ),
    (
        (
            r"^(?:can|could|would) you (?:please )?(?:tell|let) (?:me|us) (?:know )?(?:if|whether|how|when)? ?"
            r"(?:there's|there is)? ?(?:a way|an option|any way)? ?(?:to|for)? ?"
        ),
        "",
    ),
    (r"^(?:can|could) (?:i|we|you) ", ""),
    (r"^(?:i was wondering|wondering|do you know|any idea)(?: if| whether| how| why)? ", ""),
)

# "without SSO our IT won't approve it": the request is what is missing.
WITHOUT = re.compile(
    r"^(?:but |and |so )?without (?P<wanted>[^,]{2,60}?),? (?:we|i|our(?: \w+){1,3}?|it|they|the(?: \w+){1,3}?|this|that|nobody|"
    r"no one|there's|there is)(?:'ll| will| would| just)? ?(?:can't|cannot|can not|won't|couldn't|wouldn't|"
    r"will not|would not|don't|do not|isn't|is not|aren't|are not|have to|need to|is|are)\b",
    re.IGNORECASE,
)
# The other product's capability in a comparison ("CaseStack has native e-signature; ours …").
_RIVAL = r"(?!(?:it|this|that|we|i|you|he|she|there|which|who)\b)(?:[\w-]+|their (?:tool|app|product)|the competition)"
_HAS = alternation("has have offers? includes? supports? comes?_with ships?(?:_with)? gives?_you")
_RIVAL_HAS = rf"^{_RIVAL} (?:also )?(?:{_HAS}) (?!to\b)(?P<thing>[^;,]+?)(?:[;,]|\s[-–—]\s|$)"
RIVAL_HAS = re.compile(_RIVAL_HAS, re.IGNORECASE)
_RIVAL_IS = r"^(?:their|the other|[\w-]+'s) (?P<thing>[\w -]{2,40}?) (?:is|are) (?P<quality>[\w-]+)(?P<rest>[^;,]*)"
RIVAL_IS = re.compile(_RIVAL_IS, re.IGNORECASE)
# "<subject> is (really) <adjective> (for …)": a judgement of the subject (see _predicate_first).
JUDGED = re.compile(
    r"^(?P<subject>[\w'/&+.-]+(?: [\w'/&+.-]+){0,5}?) (?:is|are|was|were|feels?|felt|seems?|looks?|gets?|got|"
    r"has been|have been)(?: (?:really|so|very|too|way too|far too|much too|pretty|quite|kinda|a bit|super|"
    r"incredibly|extremely|still|just|always|genuinely|actually|honestly|surprisingly|well))*"
    r" (?P<adjective>[a-z][\w-]*)(?P<tail>(?: (?:for|in|on|with) [\w' -]+)?)$",
    re.IGNORECASE,
)
_EVALUATIVE_TEXT = """great good fantastic excellent amazing awesome brilliant lovely perfect solid incredible superb
    wonderful outstanding nice cool impressive best decent fine stellar terrific popular liked loved appreciated spot
    magic"""
EVALUATIVE = frozenset(_EVALUATIVE_TEXT.split())
# Adjectives without a telltale ending, and the endings that mark one (no part-of-speech tagger here).
_PLAIN_ADJECTIVES_TEXT = """fast slow quick simple clean basic thin rough small big cheap short long late weak poor bad hard
    easy clear cute tiny huge live dated old new stale flat cramped slick sleek snappy plain light heavy dense tight
    loose safe secure stable accurate smooth broken wrong"""
PLAIN_ADJECTIVES = frozenset(_PLAIN_ADJECTIVES_TEXT.split())
ADJECTIVE_ENDINGS = ("ous", "ful", "less", "able", "ible", "al", "ive", "ic", "ent", "ant", "y")
_QUANTIFIERS_TEXT = "most some all many several few both each half none"
QUANTIFIERS = frozenset(_QUANTIFIERS_TEXT.split())
# What is left of a request after "to be able to", "to", "be great to": a verb, named as its gerund.
INFINITIVE_LEAD = re.compile(
    r"^(?:(?:to )?be able to|to|(?:be|is) (?:so |really )?(?:great|nice|good|helpful|useful|handy|ideal) to)\s+(?=[a-z])",
    re.IGNORECASE,
)
# A verb whose particle is part of it ("log in", "sign out", "opt out"): the particle is not a trailing word.
PHRASAL_VERB_END = re.compile(r"\b(?:log|logs|logged|sign|signs|signed|opt|check|checks|checked|plug|plugs)$", re.IGNORECASE)
PARTICLE = re.compile(r" (?:in|out|on|up)\b", re.IGNORECASE)
UNMARKED_CONTRACTION = re.compile(
    r"\b(can|don|doesn|didn|won|isn|aren|wasn|weren|couldn|wouldn|shouldn|haven|hasn|hadn)(t)\b", re.IGNORECASE
)
EFFORT_LEAD = re.compile(
    r"^(?:(?:(?:i|we|they|you|he|she)(?:'ve| have)? )?(?:(?:still|always|then|now|basically|just|also) )*(?:have|has|had) )?to\s+"
    r"(?=[a-z])",
    re.IGNORECASE,
)
MODAL_WISH = re.compile(
    r"^(?:could|would|can) (?:the |your |this )?(?P<subject>[\w-]+(?: [\w-]+)?) (?P<verb>remember|keep|show|let|allow|"
    r"support|include|save|sync|send|export|import|display|sort|filter|default|group|warn|notify|remind|link|pull|push)\b",
    re.IGNORECASE,
)
SHORT_CVC = re.compile(r"[^aeiou]*[aeiou][^aeiouwxy]")
# What a request lead that ends in "to" or a modal leaves is a bare verb ("a way to | share the filter",
# "if we could | schedule the report"): named by its gerund or, for a few verbs, by what it makes.
VERB_EXPECTED = re.compile(r"(?:\bto|\b(?:could|can|would|will|should)|\blet (?:me|us))\s*$", re.IGNORECASE)
# "schedule the report" → "Scheduled report": the verb's participle describes what it acts on.
PARTICIPLE_VERBS = {"schedule": "scheduled", "automate": "automated"}
PURPOSE = re.compile(r"\s+to (?:run|go|go out|be|get|arrive|land|fire|happen|repeat|recur|start|trigger)\b.*$", re.IGNORECASE)
# "have a dark mode", "get alerts": the verb adds nothing to the thing asked for.
EMPTY_VERBS = frozenset(("have", "get"))
# "bulk edit tags": a prefix word before the verb, kept.
VERB_PREFIXES = frozenset(("bulk", "batch", "mass", "auto", "self", "multi", "cross"))
NOT_VERBS = frozenset(("a", "an", "the", "some", "any", "more", "my", "our", "your", "their", "its", "this", "that",
                       "these", "those", "no", "not", "also", "just", "only", "all", "every", "each", "one"))
# "how clean the new dashboard looks": praise of a quality, named by the quality and its subject.
HOW_PRAISED = re.compile(
    r"^(?:(?:really|so|very|super|incredibly) )?(?P<quality>[a-z][\w-]*) (?P<subject>[\w'/&+.-]+(?: [\w'/&+.-]+){0,5}?) "
    r"(?P<verb>looks?|feels?|is|are|was|were|works?|reads?|runs?|seems?|responds?)\b(?P<tail>.*)$",
    re.IGNORECASE,
)
HOW_QUALITY_STOP = frozenset(("much", "many", "often", "long", "far", "well", "little", "the", "a", "an", "it", "they"))
# "(we) lose about an hour every week redoing the CSV export": the time, and what it goes on.
TIME_LOST = re.compile(
    r"^(?P<verb>lose|lost|losing|waste|wasted|wasting|spend|spent|spending|burn|burned|burnt|sink|sank)"
    r"(?P<amount>(?: (?!\w+ing\b)[\w'-]+){1,8}?) (?P<activity>(?!(?:morning|evening|nothing|something|anything|"
    r"everything|thing)\b)[a-z]+ing\b.*)$",
    re.IGNORECASE,
)
TIME_WORD = re.compile(r"\b(?:minutes?|hours?|days?|weeks?|months?|time|ages|mornings?|afternoons?|evenings?)\b", re.IGNORECASE)
TIME_PARTICIPLES = {"waste": "wasted", "wasted": "wasted", "wasting": "wasted", "spend": "spent", "spent": "spent",
                    "spending": "spent"}
# "we end up redoing the payroll file by hand": the effort is the gerund.
EFFORT_GERUND_LEAD = re.compile(
    r"^(?:(?:still|always|then|now|basically|just|also|often) )*(?:end(?:ed|s)? up|keep|keeps|kept|resort(?:ed)? to|"
    r"(?:are|am|is|were|was|get|got) stuck) (?=[a-z]+ing\b)",
    re.IGNORECASE,
)
BARE_VERB_OF_PRONOUN = re.compile(r"[\w'-]+ (?:it|them|this|that)(?: (?:off|on|out|up|down))?", re.IGNORECASE)
PARENTHETICAL = re.compile(r"\s*\([^()]{0,60}\)")
EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")  # Markdown's "**bold**", "__bold__", "*italic*"
PRONOUN_SUBJECT = re.compile(
    (
        r"^(?:it|this|that|they|these|those|he|she|i|we|you|there)"
        r"(?:'s|'re|'ve|'ll|'d|'m| is| are| was| were| has| have| had| will| would| can| could| does| did| do"
        r"| just| also| still| always| often| sometimes| keeps?| kept| then| really| now| constantly)*\s+"
    ),
    re.IGNORECASE,
)
# "the fact that collections are just files": a clause made a noun, the clause is the subject.
SEE_WHICH = re.compile(r"^(?:(?:to )?(?:see|know|show|tell|view|display) )?(?:which|what) (?=\w+ (?!is\b|are\b))", re.IGNORECASE)
BACK_REFERENCE = any_word("it them")
ITEM_ADVERB = re.compile(r"^(?:ideally|preferably|maybe|perhaps|possibly|also|even)\s+", re.IGNORECASE)
NOMINALISED = re.compile(r"^(?:the fact that|the way (?:that )?)\s*", re.IGNORECASE)
LEAD_DETERMINER = re.compile(
    (
        r"^(?:a|an|the|some|any|more|my|our|your|their|its|his|her|this|that|these|those|a few|a couple of|"
        r"an actual|a proper|a real|a simple|a native|proper)\s+(?=\w)"
    ),
    re.IGNORECASE,
)
# Where a name stops: the reason, the consequence or a second thought begins.
BREAK = re.compile(
    (
        r"\s*(?:,(?!\d)|[;:(]|\s[-–—]\s|\.\.\.|…)\s*|\s+(?:because|since|so that|so we|so i|so it|which|as it|"
        r"as we|and (?:i|we|it|they|that|this|then|so|now|also)|but|although|though|that (?:i|we|it|they|"
        r"would|will|way)|which|who|like i said|if possible|asap|please|for example|e\.g\.|i\.e\.|"
        r"instead of having|so (?:the|our|my)|and (?:the|my|our|your|their|its|pricing|price|support)|"
        r"would (?:be|help|make|save|cut|solve|go|win|let)|(?:is|are|was|were) (?:the )?(?:reason|top request)|"
        r"(?:i|we) (?:could|would|'d|can)|and (?:nobody|no one|everyone|someone|nothing)|even (?:when|though|if|after))\b\s*"
    ),
    re.IGNORECASE,
)
TRAILING = re.compile(
    (
        r"(?:\s+(?:please|pls|too|as well|again|anymore|at all|lol|asap|though|thanks|thx|already|a lot|so much|"
    r"very much|a ton|a bunch|big time|"
        r"for us|for me|for them|right now|now|today|either|haha|honestly|tbh|imo|anyway|ever|really|"
        # a deadline the request must meet: "SSO with Okta before rollout" is a request for SSO with Okta
        r"before (?:the |our |we |it )?(?:roll-?out|launch|go-?live|renewal|signing|sign-?off|(?:the )?migration|"
        r"(?:the )?(?:end of (?:the )?)?(?:year|quarter|month)|next (?:year|quarter|month|week|season)|q[1-4])|"
        # for whom, when it is everyone there: "…never arrives for our team"
        r"for (?:everyone|everybody|(?:our|my|the|their|all (?:our|my|the)) (?:whole |entire )?(?:team|teams|users|"
        r"staff|people|company|org|organi[sz]ation|office|customers|clients))|"
        r"and|or|the|a|an|to|of|with|for|in|on|at|but|so|that|is|are|was|be|by|from|it|its|our|my|your|"
        r"their|if|when|than|then|very|just|which|who|i|we|you|they))+$"
    ),
    re.IGNORECASE,
)
# Lists of requested or praised things: where the list ends, how its items are separated.
_LIST_END_TEXT = """because since so_that so which where who instead_of not_just not_only rather_than when while if
    for_(?:our|my|the|their|all|every) to_(?:keep|avoid|make|help|save|stop) would will could that_would in_(?:the|our|my)"""
LIST_END = re.compile(rf"\s*(?:[;:(]|\s[-–—]\s)|,?\s+(?:{alternation(_LIST_END_TEXT)})\b", re.IGNORECASE)
COMMA_SPLIT = re.compile(r"\s*,(?!\d)\s*(?:and\s+|or\s+|plus\s+|&\s+)?", re.IGNORECASE)
AND_SPLIT = re.compile(r"\s+(?:and|&|plus|as well as)\s+", re.IGNORECASE)
PRAISE_SPLIT = re.compile(
    r",?\s+and\s+(?=(?:the|my|our|your|its|their)\b)|,\s+(?=(?:the|my|our|your|its|their)\b)", re.IGNORECASE
)
SUBJECT_PRONOUN = re.compile(
    r"\b(?:i|we|they|he|she|you|i'm|we're|they're|you're|it's|is|are|was|were|don't|doesn't|can't|won't)\b",
    re.IGNORECASE,
)
RELATIVE = re.compile(r"\b(?:that|which|who|where|when|is|are|was|were)\b", re.IGNORECASE)
_NOT_ITEM_STARTS_TEXT = (
    "is are was were be been has have had do does did get gets got can could will would should may might not "
    "no too very more less also even just only then now ideally preferably especially including like such "
    "e.g. etc maybe perhaps"
)
NOT_ITEM_STARTS = frozenset(_NOT_ITEM_STARTS_TEXT.split())
MANNER = re.compile(r"by|with|in|on|at|per|via|from", re.IGNORECASE)
PREPOSITION = re.compile(r"\b(?:from|with|for|to|in|into|of|on|by|between|across|via)\b", re.IGNORECASE)
_DETERMINERS_TEXT = "a an the some any more our my your their its"
DETERMINERS = frozenset(_DETERMINERS_TEXT.split())
LIST_MAX_ITEMS = 6
LIST_ITEM_MAX_WORDS = 8
EDGE_PUNCTUATION = " \t\n,.;:!?-–—\"'“”‘’()[]*_>#"
_STOP_TEXT = """a an the of to for in on at by with and or is are was were be been it its this that our my your their
    we i you they me us them some any more please really very so just also not no"""
_STOP = frozenset(_STOP_TEXT.split())


def spell_contractions(text: str) -> str:
    """Contractions typed without their apostrophe spelled out: "cant log in" → "can't log in"."""
    return UNMARKED_CONTRACTION.sub(lambda m: m.group(1) + "'" + m.group(2), text)


def strip_openers(text: str) -> str:
    """The text without its discourse openers, greetings and hedges ("So, honestly, …")."""
    while True:
        stripped = OPENER.sub("", text, count=1).lstrip(EDGE_PUNCTUATION)
        if stripped == text or not stripped:
            return text
        text = stripped


def _cut(text: str) -> str:
    """Up to the first break that leaves at least two words, then at most NAME_MAX_WORDS words."""
    for match in BREAK.finditer(text):
        if len(text[: match.start()].split()) >= 2:
            text = text[: match.start()]
            break
    words = text.split()
    if len(words) > NAME_SOFT_WORDS:
        cut = next(
            (
                i
                for i, w in enumerate(words)
                if (i >= NAME_MIN_CUT and w.lower() in NAME_CUT_WORDS)
                or (i >= NAME_MIN_WEAK_CUT and w.lower() in NAME_WEAK_CUT_WORDS and not _by_hand(words, i))
            ),
            len(words),
        )
        words = words[:cut]
    if len(words) > NAME_MAX_WORDS:
        words = words[:NAME_MAX_WORDS]
    text = " ".join(words)
    while True:
        trimmed = TRAILING.sub("", text).rstrip(EDGE_PUNCTUATION)
        particle = PARTICLE.match(text, len(trimmed))
        if particle and PHRASAL_VERB_END.search(trimmed):
            trimmed += particle.group(0)  # "Can't log in" keeps its "in"
        if trimmed == text or not trimmed:
            break
        text = trimmed
    if len(text) > NAME_MAX_CHARS:
        text = text[:NAME_MAX_CHARS].rsplit(" ", 1)[0]
    return text


def _by_hand(words: list[str], i: int) -> bool:
    """"…redoing the CSV export by hand": the manual effort is the point of the name, not a trailing detail."""
    return " ".join(words[i : i + 2]).lower().strip(EDGE_PUNCTUATION) == "by hand"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _subject_first(text: str, topic: str | None) -> str:
    """"it logs me out" → "Logs me out", or "<topic> logs me out" when the subject is known."""
    match = PRONOUN_SUBJECT.match(text)
    if match is None:
        return text
    rest = text[match.end() :]
    if not rest:
        return text
    if topic:
        return f"{topic} {rest}"
    return rest


def subject_phrase(text: str) -> str:
    """A phrase without its opening article or possessive: "a scheduled export to S3" → "scheduled export to S3"."""
    while True:
        stripped = LEAD_DETERMINER.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _core(text: str, kind: str | None, topic: str | None) -> tuple[str, str]:
    """(the phrase about the subject, before it is cut; the tidied original)."""
    text = spell_contractions(EMPHASIS.sub("", text).replace("’", "'"))
    # An aside goes, unless it is all there is: "(4/5 customers asked for budgets per team.)"
    text = " ".join((PARENTHETICAL.sub("", text).strip(EDGE_PUNCTUATION) or text).split()).strip(EDGE_PUNCTUATION)
    original = text
    text = strip_openers(text)
    verb_next = False
    if kind == "feature_request":
        without = WITHOUT.match(text)
        rival = RIVAL_HAS.match(text)
        if rival:  # "CaseStack has native e-signature; ours…" → "native e-signature"
            text = rival.group("thing")
        elif (rival_is := RIVAL_IS.match(text)) is not None:  # "their intake form is customisable" → "customisable intake form"
            text = f"{rival_is.group('quality')} {rival_is.group('thing')}{rival_is.group('rest')}"
        if without:
            text = without.group("wanted")
        else:
            stripped = _strip_repeatedly(REQUEST_LEAD, text)
            at = text.find(stripped)
            verb_next = at > 0 and VERB_EXPECTED.search(text[:at]) is not None
            text = stripped
        see_which = SEE_WHICH.match(text)
        if see_which:  # "(to see) which doctor I'm booked with" → "doctor I'm booked with"
            text, verb_next = text[see_which.end() :], False
        wish = MODAL_WISH.match(text)
        if wish:  # "could the date picker remember the last range" → "date picker remembering the last range"
            text = f"{wish.group('subject')} {gerund(text[wish.start('verb') :])}"
            verb_next = False
    elif kind == "praise":
        lead = PRAISE_LEAD.match(text)
        text = text[lead.end() :] if lead else text
        if lead and re.search(r"\bhow\s*$", lead.group(0), re.IGNORECASE):
            text = _how_praised(text)
    elif kind == "question":
        for pattern, replacement in _QUESTION_LEADS:
            text = re.sub(pattern, replacement, text, count=1, flags=re.IGNORECASE)
        text = re.sub(
            r"^(how|where|when|why) (?:do|can|could|should|would) (?:i|we|you|one) ", r"\1 to ", text, flags=re.IGNORECASE
        )
    text = strip_openers(text.strip(EDGE_PUNCTUATION))
    text = subject_phrase(_subject_first(text, topic))
    return _nominalised(text) if verb_next else _as_gerund(text, kind), original


def _nominalised(text: str) -> str:
    """A request that is a bare verb and its object, made a noun phrase: "share the filter with…" → "sharing
    the filter with…", "schedule the report to run…" → "scheduled report", "have a dark mode" → "dark mode"."""
    able = INFINITIVE_LEAD.match(text)
    if able:  # "(could) be able to lock a device" → "locking a device"
        return gerund(text[able.end() :])
    verb, _, rest = text.partition(" ")
    lowered = verb.lower()
    if not verb.isalpha() or not verb.islower() or lowered in NOT_VERBS or lowered.endswith("ing"):
        return text
    if lowered in VERB_PREFIXES and rest:
        return f"{verb} {gerund(rest)}"  # "bulk edit tags" → "bulk editing tags"
    if lowered in EMPTY_VERBS and rest and not rest.split()[0].lower().endswith("ed"):
        return subject_phrase(rest)
    if lowered in PARTICIPLE_VERBS and rest:
        return f"{PARTICIPLE_VERBS[lowered]} {subject_phrase(PURPOSE.sub('', rest))}"
    return gerund(text)


def _how_praised(text: str) -> str:
    """"(love how) clean the new dashboard looks" → "clean new dashboard"; "(how) easy it is to set up a board"
    → "easy to set up a board"; "(how) quickly the sync runs" → "sync runs quickly"."""
    match = HOW_PRAISED.match(text)
    if match is None or match.group("quality").lower() in HOW_QUALITY_STOP:
        return text
    quality, subject, verb, tail = match.group("quality", "subject", "verb", "tail")
    if subject.split()[0].lower() in BANNED_FIRST_WORDS:
        return f"{quality}{tail}" if tail.strip().lower().startswith("to ") else text
    if quality.lower().endswith("ly"):
        return f"{subject_phrase(subject)} {verb} {quality}{tail}"
    return f"{quality} {subject_phrase(subject)}{tail}"


def _as_gerund(text: str, kind: str | None) -> str:
    """A request left as an infinitive ("to be able to swap an exercise") or an effort ("I have to scroll
    through 400 exercises") is named by its gerund: "Swapping an exercise", "Scrolling through 400 exercises"."""
    if kind in ("pain_point", "bug"):
        lost = TIME_LOST.match(text)
        if lost and TIME_WORD.search(lost.group("amount")):  # "lose an hour redoing X" → "time lost redoing X"
            return f"time {TIME_PARTICIPLES.get(lost.group('verb').lower(), 'lost')} {lost.group('activity')}"
        if kind == "pain_point" and (effort := EFFORT_GERUND_LEAD.match(text)):
            return text[effort.end() :]  # "end up redoing X by hand" → "redoing X by hand"
    lead = INFINITIVE_LEAD.match(text) if kind == "feature_request" else EFFORT_LEAD.match(text) if kind == "pain_point" else None
    if lead is None or BARE_VERB_OF_PRONOUN.fullmatch(text[lead.end() :]):
        return text
    return gerund(text[lead.end() :])


def _finish(text: str, original: str, topic: str | None, kind: str | None = None) -> str:
    text = _predicate_first(_cut(text).strip(EDGE_PUNCTUATION), kind)
    if not text or _banned_start(text):
        fallback = _cut(subject_phrase(_subject_first(strip_openers(original), topic)))
        text = fallback if fallback and not _banned_start(fallback) else text
    words = (text or original[:NAME_MAX_CHARS]).split()
    while len(words) > 1 and _banned_start(words[0]):
        words = words[1:]  # the last resort: never open with a pronoun or an opener
    return _capitalise(" ".join(words))


def _predicate_first(text: str, kind: str | None) -> str:
    """Praise stated as a clause becomes a noun phrase: what is praised ("Macros are great" → "Macros"),
    with a descriptive judgement put before it ("Booking flow is quick" → "Quick booking flow").
    (Complaints keep their clause: "CSV export is too slow" says what is wrong.)"""
    if kind != "praise":
        return text
    match = JUDGED.match(text)
    if match is None or _banned_start(match.group("subject")):
        return text
    subject, adjective, tail = match.group("subject"), match.group("adjective").lower(), match.group("tail")
    words = subject.lower().split()
    if words[0] in QUANTIFIERS or (words[0].endswith("ing") and len(words) > 1):
        return text  # "Most were live in a week", "Building reports is fast": no noun to put it before
    if kind == "praise" and (adjective in EVALUATIVE or adjective.endswith("ed")):
        return subject + tail  # "Rate confirmation PDFs were praised" → "Rate confirmation PDFs"
    if not (adjective in PLAIN_ADJECTIVES or adjective.endswith(ADJECTIVE_ENDINGS)) or adjective.endswith("ly"):
        return text  # "Worry is price": a noun, not a judgement
    lowered = subject if subject[1:2].isupper() else subject[:1].lower() + subject[1:]
    return f"{adjective} {lowered}{tail}"


def gerund(phrase: str) -> str:
    """The phrase with its first word, a verb, made a gerund: "swap an exercise" → "swapping an exercise"."""
    verb, _, rest = phrase.partition(" ")
    lowered = verb.lower()
    if not lowered.isalpha() or lowered.endswith("ing"):
        return phrase
    if lowered.endswith("ie"):
        verb = verb[:-2] + "y"
    elif lowered.endswith("e") and not lowered.endswith(("ee", "ye", "oe")) and len(lowered) > 2:
        verb = verb[:-1]
    elif SHORT_CVC.fullmatch(lowered) or (lowered.startswith("re") and SHORT_CVC.fullmatch(lowered[2:])):
        verb += verb[-1]  # swap → swapp-ing, set → sett-ing, remap → remapp-ing
    return f"{verb}ing" + (f" {rest}" if rest else "")


def _banned_start(text: str) -> bool:
    return text.split()[0].lower().strip(EDGE_PUNCTUATION) in BANNED_FIRST_WORDS


def insight_name(text: str, kind: str | None = None, *, topic: str | None = None) -> str:
    """The analyst's name for a finding stated by `text` (a clause, or a name a model proposed).

    Openers, greetings and hedges go; a request is named by what is asked for ("please add dark mode"
    → "Dark mode"), praise by what is liked; a pronoun subject is replaced by `topic` when given, else
    dropped; the phrase is cut at its first break and kept to a few words. Deterministic.
    """
    core, original = _core(text, kind, topic)
    return _finish(core, original, topic, kind)


def subject_items(text: str, kind: str | None = None, *, topic: str | None = None) -> list[str]:
    """The names of what a clause asks for or praises, one per item when it lists several
    ("a dark mode and keyboard shortcuts" → ["Dark mode", "Keyboard shortcuts"]); else its one name."""
    core, original = _core(text, kind, topic)
    head = core[: m.start()] if (m := LIST_END.search(core)) else core
    parts = _list_parts(head, kind)
    if 2 <= len(parts) <= LIST_MAX_ITEMS and all(_is_item(p) for p in parts) and not _shared_object(parts):
        items = [_finish(subject_phrase(_strip_repeatedly(REQUEST_LEAD, p)), p, None, kind) for p in parts]
        return list(dict.fromkeys(items))
    return [_finish(core, original, topic, kind)]


def _list_parts(head: str, kind: str | None) -> list[str]:
    """Items at commas first; a comma item splits again at "and" unless it holds a relative clause,
    which then ends it ("a Salesforce integration that updates the owner, and SMS reminders")."""
    if kind != "feature_request":
        praised = [NOMINALISED.sub("", p.strip(EDGE_PUNCTUATION), count=1) for p in PRAISE_SPLIT.split(head)]
        if any(BACK_REFERENCE.search(p) for p in praised[1:]):
            return [head]  # "the submission part is great, the kids figured it out": one thing, then what it did
        return [p for p in praised if p]
    parts: list[str] = []
    comma_parts = [p for p in COMMA_SPLIT.split(head) if p.strip(EDGE_PUNCTUATION)]
    for i, part in enumerate(comma_parts):
        part = ITEM_ADVERB.sub("", part)  # "…, and ideally a way to pause deliveries"
        pronoun = SUBJECT_PRONOUN.search(part)
        if i and pronoun and part.split()[0].lower() in DETERMINERS and pronoun.start() > 0:
            parts.append(part[: pronoun.start()])  # "…, and an ETA link we can send": a contact clause ends the item
            continue
        if i and pronoun:
            break  # "…, today we tick and tie in Excel": the list has ended
        if SUBJECT_PRONOUN.search(part):
            return [head]
        relative = RELATIVE.search(part)
        if relative and len(comma_parts) > 1 and len(part[: relative.start()].split()) >= 1:
            parts.append(part[: relative.start()])
        elif relative:
            parts.append(part)
        else:
            parts += AND_SPLIT.split(part)
    return [p.strip(EDGE_PUNCTUATION) for p in parts if p.strip(EDGE_PUNCTUATION)]


def _shared_object(parts: list[str]) -> bool:
    """"services from Kubernetes and GitHub": the list is the object of the first item's preposition. Not when
    that object is a name and the last item is a common noun phrase ("SSO with Okta and keyboard shortcuts",
    "SAML via Azure AD and bulk editing"): two things asked for."""
    last = parts[-1].split()
    prepositions = list(PREPOSITION.finditer(parts[0]))
    if not prepositions or len(last) > 2 or last[0].lower() in DETERMINERS:
        return False
    named = parts[0][prepositions[-1].end() :].split()
    return not (named and named[0][:1].isupper() and last[0][:1].islower() and not BACK_REFERENCE.search(parts[-1]))


def _is_item(part: str) -> bool:
    words = part.split()
    return (
        1 <= len(words) <= LIST_ITEM_MAX_WORDS
        and words[0].lower() not in BANNED_FIRST_WORDS | NOT_ITEM_STARTS
        and not MANNER.fullmatch(words[0])  # "…, ideally by percentage": how, not another thing
    )


def _strip_repeatedly(pattern: re.Pattern[str], text: str) -> str:
    for _ in range(3):
        stripped = pattern.sub("", text, count=1).strip(EDGE_PUNCTUATION)
        if stripped == text or not stripped or BARE_VERB_OF_PRONOUN.fullmatch(stripped):
            break  # "a setting to disable it" names the request, "disable it" does not
        text = stripped
    return text


def stem(word: str) -> str:
    """A crude English stemmer, enough to make "exports", "exporting" and "exported" one term."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def name_key(name: str) -> str:
    """The normalised form of a name: "Dark-mode", "a dark mode" and "Dark modes" share one key."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("'", ""))
    return " ".join(sorted({stem(w) for w in words if w not in _STOP}))


def is_analyst_name(name: str) -> bool:
    """A name an analyst would write: not empty, short, and not opening with a pronoun or opener."""
    words = name.split()
    return bool(words) and len(words) <= NAME_MAX_WORDS and words[0].lower().strip(EDGE_PUNCTUATION) not in (
        BANNED_FIRST_WORDS
    )
