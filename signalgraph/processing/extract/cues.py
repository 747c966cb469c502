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

KIND_CUES: dict[str, tuple[Cue, ...]] = {
    "bug": (
        (r"\b(crash(es|ed|ing)?|freez(es|ing)|froze)\b|\b(it|app|screen|page|ui|browser|tab|phone) freezes?\b", 1.5, "~failure"),
        (r"\bbug(s|gy)?\b|\bglitch(es|y)?\b", 1.5, "~failure"),
        (r"\berrors?\b(?! (monitoring|tracking|handling|budget|reporting|rates?)\b)|\bexceptions?\b", 1.2, "~failure"),
        (r"\bbroken\b|\bbreaks\b|\bbroke (our|my|the|all|every)\b", 1.3, "~failure"),
        (r"\bdisconnect(s|ed|ing)?\b(?! from (slack|the|our|your)\b)|\bdrops? off\b", 1.3, "~failure"),
        # "the app closes", "it just spun forever": the product giving up
        (
            (
                r"\b(app|it|screen|page|game|browser|tab|window) (just |then |simply )?(closes|shuts down|quits|restarts|"
                r"force[- ]closes)\b|\b(spun|spins|spinning|loads|loading) forever\b"
            ),
            1.4,
            "~failure",
        ),
        # "the watch app loses GPS halfway through a run"
        (r"\b(loses?|losing|lost|drops?|dropping) (the )?(gps|signal|connection|sync|pairing|bluetooth|wifi|wi-fi)\b", 1.4, "~failure"),
        # "I never get the reminder notification": a message that does not come
        (
            (
                r"\b(never|don't|doesn't|didn't|do not|did not|no longer) (get|receive|see) (the |any |my |our |a )?"
                r"([\w-]+ ){0,2}(notifications?|emails?|reminders?|alerts?|codes?|messages?|texts?|sms|push)\b"
            ),
            1.4,
            "~failure",
        ),
        # "reminders are going out to customers whose invoices are marked as paid": done to what is finished
        (r"\b(already|marked as) (paid|cancell?ed|deleted|removed|refunded|unsubscribed|closed|resolved)\b", 1.2, "~wrong-data"),
        (
            (
                r"\b(doesn't|does not|didn't|did not|don't|do not|won't|will not|isn't|is not|aren't|are not|"
                r"wasn't|weren't|never|stopped|stops|can't|cannot|couldn't|no longer|not) "
                rf"(really |always |even |actually |properly |automatically )?({_VERBS_THAT_FAIL})(s|ed|ing|es)?\b"
                r"(?! for (us|me|them|our|my|a|small|teams|everyone)\b)"
            ),
            1.5,
            "~failure",
        ),
        (r"\bnot (working|loading|saving|syncing|sending|updating|showing|arriving|appearing)\b", 1.5, "~failure"),
        # a ticket's telegraphic report: "users not deactivated", "emails not delivered", "invoice not sent"
        (
            (
                r"^(?![\w' -]*\b(i|we|you|they|it|he|she|this|that|i'm|it's|that's|we're|they're|you're|he's|she's|is|"
                r"are|was|were|am|be|been|do|does|did|has|have|had|will|would|could|should|can|may|might|just|still|"
                r"really|but|or|if) not\b)[\w —–:-]{0,40}\b\w+ not (\w+ed|sent|shown|paid|done)\b"
                r"(?! (yet|by us|on purpose)\b)"
            ),
            1.3,
            "~failure",
        ),
        # access that outlives its removal: "they keep access for days", "still able to log in"
        (r"\bkeeps? (their |its |the )?access\b|\bstill (able to|can) (log ?in|sign ?in|access|see|edit|use)\b", 1.4, "~failure"),
        (r"\bfail(s|ed|ing|ure|ures)?\b", 1.3, "~failure"),
        (r"\b(times? out|timed out|timeouts?)\b", 1.2, "~failure"),
        (
            (
                r"\b(error|status|http|code|returns?|returned|returning|got|getting|throws?|with an?|shows?)\s+\"?"
                r"(400|401|403|404|410|422|429|500|502|503|504)\b|\b(400|401|403|404|410|422|429|500|502|503|504)"
                r"\s+(errors?|gone|status|responses?|bad gateway|not found|internal|unauthorized|forbidden)|\b(404|500)s?\b"
            ),
            1.0,
            "~failure",
        ),
        (r"\b(blank|white|empty) (page|screen)\b", 1.3, "~failure"),
        (r"\b(disappear(s|ed|ing)?|vanish(es|ed)?|(be|is|are|were|was) gone\b|went missing|goes missing)", 1.2, "~failure"),
        (
            (
                r"\b(can't|cannot|can not|unable to|couldn't) "
                r"(log ?in|sign ?in|reset|upload|download|save|connect|send|"
                r"export|import|open|load|print|approve|submit|access|check out|pay)\b"
            ),
            1.3,
            "~failure",
        ),
        (
            (
                r"\b(wrong|incorrect(ly)?|inaccurate) (totals?|numbers?|amounts?|data|values?|dates?|counts?|rates?|"
                r"prices?|balances?|times?|carrier|logo|names?|currency|results?|answers?|status|plan|language)\b"
            ),
            1.4,
            "~wrong-data",
        ),
        (
            (
                r"\b(shows?|showing|displays?|displaying|returns?|returning|gives?|giving|says|calculates?|uses?|"
                r"charges?|charging|prints?) (me |us |them |customers )?(the |a |an )?(wrong|incorrect|old|stale|"
                r"outdated|global|yesterday's|nothing|us)\b"
            ),
            1.4,
            "~wrong-data",
        ),
        (r"\b(is|are|was|were|way) off\b|\boff by\b|\bdon't tie out\b", 1.0, "~wrong-data"),
        (r"\bwrong\b|\bincorrect(ly)?\b", 0.8, "~wrong-data"),
        (
            r"\b(only )?works? (only )?(half the time|sometimes|intermittently|on and off|some of the time)\b",
            1.8,
            "~failure",
        ),
        (r"\b(is|are|was|were|been|so|very|really|super|pretty|totally) (unreliable|flaky|hit[- ]or[- ]miss|hit[- ]and[- ]miss)\b", 1.3, "~failure"),
        (r"\b(stops?|stopped|cuts? off|truncates?|truncated) (after|at) (the first )?\d", 1.4, "~failure"),
        (
            (
                r"\b(show|shows|showing|showed|displays?|charges?|charged|calculates?|applies|applied|says|prints?|printed|"
                r"sends?|sent)\b.{0,40}\beven (though|when|if|after)\b"
            ),
            1.2,
            "~wrong-data",
        ),
        (
            (
                r"\b(shows?|showing|shows? up|appears?|appearing|comes? through|gets? (sent|created|charged|added|imported)|"
                r"is (sent|created|charged|added|imported)) twice\b|\b(still|keeps?) happen(s|ing)?\b|"
                r"\b(showed|shows|listed|lists|counted|counts) [\w' ]{1,40} twice\b"
            ),
            1.3,
            "~failure",
        ),
        (r"\b(never|don't|doesn't|do not|does not) match\b|\bmismatch", 1.1, "~wrong-data"),
        (r"\b(logs?|logged|logging|kicks?|kicked|kicking|signs?|signed) (me|us|them|users|people|everyone) out\b", 1.6, "~logout"),
        (r"\b(log|sign) in again\b", 1.0, "~logout"),
        (
            (
                r"\b(keeps?|kept) (logging|kicking|signing|crashing|freezing|failing|dropping|disconnecting|resetting|"
                r"retrying|disappearing|reverting|duplicating)\b"
            ),
            1.5,
            "~failure",
        ),
        (r"\b(hangs?|hung|locks? up|locked up|unresponsive)\b", 1.3, "~failure"),
        (r"\b(stuck (in|on|at)|redirect loop|login loop|infinite loop|loops? back|bounced back)\b", 1.3, "~failure"),
        (r"\b(declined|bounced|rejects?|rejected)\b", 1.1, "~failure"),
        (r"\b(greyed|grayed) out\b|\bdoes nothing\b|\bnothing happens\b|\bnothing (downloads|loads|shows|appears)\b", 1.5, "~failure"),
        (r"\b(silently|randomly|sometimes) (drops?|fails?|deletes?|skips?|ignores?|disappears?|resets?)\b", 1.5, "~failure"),
        (r"\b(drops?|dropped|dropping) (rows|transactions|messages|calls|data|the connection|connection|out)\b", 1.3, "~failure"),
        (r"\bconnection (kept |keeps )?(dropping|drops)\b", 1.3, "~failure"),
        (r"\b(double[- ]counts?|double[- ]counted|double[- ]charged|charged (me |us )?twice|double bookings?|charged (me|us) after)\b", 1.6, "~wrong-data"),
        (r"\bduplicat(es|ed|ing)\b", 0.9, "~wrong-data"),
        (
            (
                r"\bduplicat(es|ed|ing)(?= (\w+ )?(students|users|records|rows|entries|contacts|orders|tickets|items|data|"
                r"events|charges|invoices|emails|messages|payments|transactions)\b)"
            ),
            0.5,
            "~wrong-data",
        ),
        (r"\b(lands?|landed|landing|go|goes|went|end up|ends up) (in|to) (the |my |our |their )?(spam|junk)", 1.6, "~failure"),
        (r"\b(overflows?|cuts? off|truncat\w*|overlap(s|ping)?|misaligned|unreadable|garbled|cut off)\b", 1.2, "~layout"),
        (r"\b(not there|is just not there|missing from)\b", 1.2, "~failure"),
        (r"\bdrains? (the |my )?(phone |phone's )?battery\b", 1.4, "~failure"),
        (r"\bstill (shows?|says|showing|getting|gets|charg\w*|appears?|sees|see)\b", 1.0, "~failure"),
        (r"\bretr(y|ies|ying|ied) (forever|every|for days)\b|\bkeeps? retrying\b", 1.4, "~failure"),
        (r"\bmarks? (correct|valid|right) \w+ (as )?(wrong|invalid|incorrect)\b", 1.6, "~wrong-data"),
        (r"\bvalidation error\b|\b(something went wrong|went wrong)\b", 1.3, "~failure"),
        (r"\b(doesn't|does not|didn't|did not) (combine|merge|scroll|move|get|come)\b", 0.9, "~failure"),
        (r"\bflagged as missed\b|\bshow(s|ed)? as overdue\b", 1.0, "~wrong-data"),
        (r"\b(under|over)(pa(y|ys|ying|id)|charg(e|es|ed|ing))\b", 1.3, "~wrong-data"),
        (r"\bnone of (them|us|the \w+|our \w+) (got|received|saw|could|can|has|have)\b", 1.4, "~failure"),
        (r"\b(appear|arrive|show up)s? (\w+ ){0,4}(late|days late|hours late)\b|\blags? by\b", 1.2, "~failure"),
        # Symptoms without a failure verb: a subject in a wrong state ("the screens went blank",
        # "order_id is null", "grades aren't there", "counts drift from the till").
        (
            (
                r"\b(went|go|goes|gone|going|turned|turns|turn|is|are|was|were|stays?|stayed|comes? (up|back)|came (up|back)|"
                r"shows? up|showed up|appears?|appeared|(just )?shows?|showed|displays?|loads?|loaded|renders?|rendered) "
                r"(completely |totally |all |just |suddenly |still |always |sometimes |often |as )?(an? )?"
                r"(blank|empty|black|grey|gray|null|nil|undefined|nan|frozen|corrupt(ed)?|garbled|grey box|gray box|"
                r"blank (page|screen|box)|zero|0)\b"
            ),
            1.3,
            "~failure",
        ),
        (r"\b(n't|not|never) (there|saved|kept|stored|showing up|visible|in (the|our|my) \w+ any ?more)\b", 1.2, "~failure"),
        (r"\bnothing (showed|shows|appeared|appears|loaded|loads|happened|happens|came|comes|printed|prints|synced|syncs)\b", 1.4, "~failure"),
        (
            r"\b(drift(s|ed|ing)? (from|apart|out)|out of (sync|step)|(don't|doesn't|do not|does not|never) (add|line|tie) up)\b",
            1.2,
            "~wrong-data",
        ),
        # Destroying or distorting what it handles: "drops the tax codes", "doubled my calories",
        # "wiped all my notes", "I've lost a whole set of marks".
        (
            (
                r"\b(drops|dropped|strips|stripped|wipes|wiped|overwrites|overwrote|overwritten|doubles|doubled|triples|"
                r"tripled|scrambles|scrambled|mangles|mangled|corrupts|corrupted|erases|erased|deletes|deleted|resets|"
                r"swallows|swallowed) (all |the |my |our |their |every |some |any |half )+[\w-]+"
                r"|\b(lost|lose|losing) (a whole|an entire|all (of )?(my|our|the|their)|half (of )?(my|our|the))\b"
            ),
            1.3,
            "~wrong-data",
        ),
        (r"\bbroke\b(?! (up|down|even|out|into|the news)\b)", 1.3, "~failure"),
        (r"\b(keeps?|kept) (saying|showing|telling|popping|throwing|giving|sending|charging)\b", 1.2, "~failure"),
        # a ticket's expected/actual report: what actually happens is the bug
        (r"^(actual|actually|actual (result|behaviou?r|outcome)|what happens|observed)\s*[:=-]", 1.5, "~failure"),
    ),
    "feature_request": (
        (r"\b(i|we|they) (really |just |also |still )?wish\b|\bwish (it|there|you|i|we)\b|\bonly wish\b", 1.6, None),
        (
            (
                r"\b(it'd|it would|that would|would|that'd) (also |really |just |definitely |honestly )?be (so |really |very |super )?"
                r"(great|nice|helpful|useful|awesome|amazing|good|cool|handy|ideal|fantastic|lovely|brilliant|valuable) "
                r"(if|to)\b"
            ),
            1.6,
            None,
        ),
        (
            (
                r"\bwould be (a (nice|great|welcome) (touch|addition|plus|bonus)|nice|great|helpful|useful|handy|good|amazing|"
                r"awesome|huge|a big deal|a game changer|"
                r"a lifesaver|perfect|ideal|fine|welcome)\b"
            ),
            1.2,
            None,
        ),
        (
            (
                r"\bwould be (five|5|four|4|ten|10) stars?\b|\bwould be perfect (if|with)\b|\bwould (win|make) "
                r"(us|me) (over|happy|switch|stay|buy|upgrade)\b|\bwould give (it )?(five|5) stars\b"
            ),
            1.8,
            None,
        ),
        (
            (
                r"\b(i'd|we'd|they'd|i would|we would|they would|would) (really |also |still |definitely )?"
                r"(love|like|appreciate|prefer|want|need)\b(?! (it|that|this|the|your|how)\b| to (decide|know|understand|"
                r"talk|discuss|chat|meet|hear|think|learn|check|confirm|clarify|start|begin|make sure|move forward|wrap up"
                r"|see how|get back)\b)"
            ),
            1.5,
            None,
        ),
        (
            (
                r"\b(please|pls|plz|kindly) (add|support|make|let|allow|consider|bring|build|include|offer|enable|give|"
                r"provide|implement)\b"
            ),
            1.6,
            None,
        ),
        (r"\b\w+ (integration|support|export|import|sync|api|option|setting|mode|view|report|widget)s? please\b", 1.6, None),
        # "could you add a partial refund button?": a question whose point is a missing capability
        (r"\b(could|can|will|would) you (guys )?(please )?(add|support|build|consider|offer|bring|make|let|give|implement)\b", 1.9, None),
        # a requirement: "it has to talk to ADP", "must integrate with NetSuite"
        (
            (
                r"\b(has to|have to|must|needs to|need to|should) (talk to|integrate with|connect to|sync with|work with|"
                r"plug into|support|read from|write to|export to|import from)\b"
            ),
            1.4,
            None,
        ),
        (r"\b(the )?lack of (a |an |any )?\w+", 1.3, None),
        (r"\bfeature requests?\b", 2.0, None),
        (
            (
                rf"(?<!what )(?<!whatever )(?<!why do )(?<!why does )(?<!why would )(?<!why should )\b({_SUBJECTS})( \w+)? (really |all |also |still |just |definitely |repeatedly |both )?"
                r"(want|wants|wanted|need|needs|needed|require|requires|asked for|ask for|asks for|asked to|asked whether|"
                r"requested|request|miss|missed|would like|would love|'d like|'d love|would pay( extra)? for|"
                r"will pay for|expect|expected|are missing|were missing)\b"
                r"(?! (my|our|it|them|him|her|this|that|an answer|a reply|a response|a fix|help|to know|"
                r"an? (password|reset|refund|demo|call|quote|callback|invite|link|code|new password|trial)|"
                r"to (call|wait|chase|fix|reconnect|check|go|do|get it|tell|decide|answer)|"
                r"to be (live|ready|done|up and running|running|launched|finished|on board|signed))\b)"
            ),
            1.3,
            None,
        ),
        (r"\b(want|need|would like|'d like|love) to be able to\b|\b(need|want|needs|wants) (a|some) way to\b", 1.5, None),
        (r"\bwhat (i|we|they) (really )?(want|need|'d like|would like|'d love|miss) is\b", 1.6, None),
        (r"\bi need (it|this|that|them) to\b|\bneeds? to (plug in|integrate|connect|support|work with|sync)\b|\bhas to plug in\b", 1.3, None),
        (r"\bneeds? (support for|a|an|to support|to have|better|more)\b", 1.2, None),
        # "Every new hire needs a laptop": how the work goes, not something asked of the product
        (r"\b(every|each) [\w -]{1,20}? needs? (a|an|the|to|their|his|her)\b", -2.5, None),
        (r"\bshould (be able to|have|support|let|allow|offer|include|come|show|sync|run)\b", 1.1, None),
        (
            (
                r"\b(missing|lacks?|lacking) (a |an |the )?(feature|option|ability|integration|support|way)\b|"
                r"\bmissing\s*:"
            ),
            1.4,
            None,
        ),
        (r"\bif only\b", 1.6, None),
        (
            (
                r"\bif (you|it|they|the app|the tool|there) (had|has|offered|supported|added|were|was|could)\b|"
                r"\bif (\w+ ){1,3}could\b|\bif (\w+ ){1,3}(came|were|was|had|did) (\w+ ){0,4}(we'd|i'd|we would|i would|would)\b"
            ),
            1.4,
            None,
        ),
        (
            (
                r"\bwithout (it|this|that|them|[\w'-]+(?: [\w'-]+){0,4}),? (we|i|our [\w ]{1,20}|it|they|the new \w+|"
                r"nobody|no one|this)('ll| will| would| just)? ?(can't|cannot|won't|couldn't|wouldn't|will not|"
                r"would not|stay|have to)\b"
            ),
            1.6,
            None,
        ),
        (r"\bwhat would make (this|it|us|the deal) (a yes|an easy yes|work|happen)\b", 2.0, None),
        (r"\bwould make (it|this|that|the deal|the decision) (a yes|an easy yes|a no-brainer|a 10|a ten|five stars)\b", 1.6, None),
        # "managers want it daily or live": the thing they have, in another way
        (
            (
                r"\b(want|need|wants|needs|would like) (it|them) (to be )?(daily|live|hourly|weekly|real[- ]time|in real time|"
                r"automatic\w*|faster|sooner|instantly|immediately|synced|on mobile)\b"
            ),
            1.4,
            None,
        ),
        # a competitor's capability: "ShipStream pulls Amazon orders natively"
        (r"\bnatively\b|\bout of the box\b(?= .{0,20}\b(they|it|competitor))", 1.0, None),
        (r"\bhope (you|they) (add|will add|build|bring)\b", 1.3, None),
        (r"\b(integrat(e|es|ion|ions)|sync|plug-?in|connector) (with|to|for|into)\b|\bintegrations?\b", 0.7, None),
        (r"\b(is|are) there (a|any) (way|option|plan|plans) to\b|\bany (plans?|chance|eta) (to|for|on)\b", 1.0, None),
        (r"\b(do|does|will) (you|we|it|they|the app|the tool) plan to (support|add|offer|have|build)\b|\bsomething you plan to\b", 1.3, None),
        (r"\bon (the|your) roadmap\b|\bplanned\b", 0.6, None),
        (
            (
                r"\bwould (help|make it easier|save|cut|solve|go a long way|win|be a big|let us|let me|fix|"
                r"make (my|our|life|things))\b"
            ),
            1.1,
            None,
        ),
        (r"\b(would|will|'d) (happily )?pay( extra)? for\b", 1.6, None),
        (r"\bmust[- ]haves?\b|\bnon-?starter\b|\bdeal ?breaker\b", 1.4, None),
        (r"\b(top|most|frequently|often|commonly|most often) (request|requested|asked)\b|\brequested by\b|\bwere requested\b", 1.6, None),
        # "bring back the old editor"; "I'd come back" is the customer returning, not a feature
        (r"\bbring back\b|(?<!i'd )(?<!we'd )(?<!i'll )(?<!we'll )(?<!would )\bcome back\b", 1.0, None),
        (
            (
                r"\b(let|allow|enable) (me|us|users|admins|customers|carriers|them|people|teams|managers|(the |our |my )?\w+s) "
                r"(to )?(?!(be|know|say|tell|explain|ask|check|think|see|get back|go|finish|repeat|clarify)\b)\w+"
            ),
            1.1,
            None,
        ),
        (r"\bno (way|option|ability|setting|support) (to|for)\b|\bthere('s| is) no (way|option)\b", 1.2, None),
        (
            (
                r"^(no|there's no|there is no) (?!(problem|problems|worries|idea|error|errors|complaints?|issues?|way|one|"
                r"thanks|response|reply|answer|change|luck|clue|matter|need|rush|doubt|longer|more|other|kidding|"
                r"joke|big deal|news)\b)\w+"
            ),
            1.3,
            None,
        ),
        (r"\bcan (that|this|it|they) (be|come|have|get)\b|\bcan (we|i) (pay|get|have|restore|use|set|choose)\b", 0.9, None),
        (r"\binstead of\b", 0.4, None),
        (
            (
                r"\b(asked for|requested)\b(?! (an? )?(password|reset|refund|demo|call|quote|callback|invite|link|code|"
                r"new password|trial)\b)"
            ),
            1.2,
            None,
        ),
        (r"\bthere (was|were) no (way|option|reminder|warning|notification|setting|alert|export|support)\b", 1.3, None),
        (r"\b(doesn't|does not|don't|do not) (include|show|tell|say|list|display|mention) (who|what|which|when|where|the)\b", 1.2, None),
        (r"\bours (only|doesn't|does not|can't|isn't|is only)\b|\b(offers?|has|have|includes?) a free (tier|plan)\b", 1.2, None),
        (r"\b(old|previous|last|former) (system|version|app|ui|design|layout|tool|one) (was|is) better\b", 1.3, None),
        (r"^asked (whether|if|about|for)\b|\basked (whether|if) (we|you|it|they)\b", 1.2, None),
        (r"\bis it possible to\b|\bcan (i|we) (choose|pick|select|set|change|configure)\b", 1.1, None),
        (r"\bwould (switch|move|leave|stay|buy|pay|upgrade|come back) if\b", 1.4, None),
        # "if it sorted picks by aisle we'd…"; "if you fixed the downloads" asks for a fix, not a feature
        (
            (
                r"\bif (it|you|they|the app|the tool|this) (?!(?:fixed|solved|resolved|repaired|sorted out)\b)\w+ed\b"
                r".{0,60}\b(we'd|i'd|we would|i would|would)\b"
            ),
            1.5,
            None,
        ),
        (r"^(needed|need|needs|wanted|want|missing|lacks|requires?|would love|would like)\b", 1.3, None),
        (r"\bcan (that|this|it) be (a setting|an option|configurable|changed|added|turned off|disabled|optional)\b", 1.6, None),
        (
            (
                r"^(please|pls|plz) (at least |also |just |kindly )?(?!help|fix|advise|respond|reply|refund|escalate|check|"
                r"treat|prioriti[sz]e|look|confirm|let me know|cancel|call|contact|get back|investigate|urgent)\w+"
            ),
            2.0,
            None,
        ),
        (r"\bplease[.!]*$", 1.2, None),
        (r"\bwhat (would|will|could) (really |actually |also )?(help|make (a|the) difference|fix (this|it)|be ideal)\b", 1.6, None),
        (
            (
                r"\bwould (really |actually |also |definitely )(help|save)\b|"
                r"\bwould (really |actually |also |definitely )?make (a |the |all the )?(big |huge |real |massive )?difference\b"
            ),
            1.2,
            None,
        ),
        (r"\bwould expect\b|\bexpected (it |them )?to\b", 1.2, None),
        # "a flat plan per seat would be a lot easier to get past finance": the thing that would be better
        (r"\bwould be (a lot |much |far |way |so much )?(easier|better|simpler|cheaper|clearer|safer|faster)\b", 1.3, None),
        # "dashboards can't be shared with people outside the account": a capability missing, in the passive
        (
            (
                r"\b(can't|cannot|can not|couldn't|could not) be (shared|exported|edited|deleted|renamed|reused|"
                r"scheduled|filtered|sorted|grouped|customi[sz]ed|assigned|archived|copied|duplicated|moved|printed|"
                r"embedded|restored|undone|turned off|disabled|paused|changed)\b"
            ),
            1.2,
            None,
        ),
        (r"\bwould have (saved|helped|been (nice|great|useful|helpful))\b", 1.3, None),
        (
            (
                r"\b(ruled us out|lost (the deal|deals?|them) (to|because)|chose (a competitor|\w+) because|"
                r"went with (a competitor|\w+) because|could not show|couldn't show)\b"
            ),
            1.2,
            None,
        ),
        (r"\bbundles?\b|\b(competitors?|rivals?) (have|has|offer|offers|include|includes)\b|\b\w+ has it\b", 1.0, None),
        (r"\bonly (cover|covers|support|supports|work|works|offer|offers|lets? (us|me))\b", 0.8, None),
        (
            (
                r"\b(can't|cannot|can not|couldn't|could not|unable to|no way to|doesn't let (me|us)|won't let (me|us)) "
                rf"({_CAPABILITY_VERBS})\b"
            ),
            1.2,
            None,
        ),
        (r"\b(only|just) (works|available|supports?|lets? us|allows?|in english|one)\b", 0.6, None),
        (r"\b(has|have|offers?|includes?|bundles?) (it|this|that)\b", 0.3, None),
        # an ability wished for: "being able to colour-code appointments", "to be able to swap"
        (r"\b(being|be) able to\b", 1.1, None),
        # what the product cannot do, said of any verb ("I can't give a contractor access to one project",
        # "the system can't show availability"); failure and findability verbs score higher as bug / pain
        (
            (
                r"^(?:(?!\bso\b|\bif\b|\bthen\b|\bbecause\b|\bwhen\b).)*?"
                r"\b(i|we|you|it|(the |our |their |your |current |this )?([\w-]+ )?(system|app|tool|product|platform|software))"
                r" (still |just |simply |even )?(can't|cannot|can not|couldn't|could not|is unable to|are unable to|"
                r"isn't able to|aren't able to|am not able to) (?!(find|figure|tell|understand|justify|afford|wait|believe|"
                rf"stand|help|imagine|recommend|say|complain|thank|get over|go back|{_CAPABILITY_VERBS}|{_VERBS_THAT_FAIL})\b)\w+"
            ),
            1.0,
            None,
        ),
        # a requirement on where or how it runs: "everything has to stay in the EU"
        (
            (
                r"\b(has to|have to|must|needs to|need to|should) (stay|remain|live|run|be (stored|hosted|kept|based|"
                r"located|available|accessible)) (in|on|within|inside|behind|offline)\b"
            ),
            1.4,
            None,
        ),
        # "any chance of a waitlist?": a wish put as a question
        (r"\bany chance (of|you|we|to|for|that)\b", 1.8, None),
        # "could the date picker remember the last range?": a wish for the product to do something
        (
            (
                r"^(?:\w+,? )?(could|would) (the|your|this|it|you) ([\w-]+ ){0,3}?(?!be\b)(remember|keep|show|let|allow|"
                r"support|include|save|sync|send|export|import|display|sort|filter|default|group|warn|notify|remind|link|"
                r"pull|push|auto|handle|offer|have|get|add|respect|use)\w*\b"
            ),
            1.9,
            None,
        ),
        # a thing named as missing: "Only missing piece is shared inboxes", "the one thing missing"
        (r"\bmissing (piece|thing|bit|part|feature|link)s?\b|\b(thing|piece|feature)s? (that's |that is |still )?missing\b", 1.6, None),
        # a person who wants something: "Lena wants customers to get…", "the ops lead asked for…"
        (
            (
                r"^(?:[\w'-]+ ){1,3}(wants|asked for|asks for|requested|would like|would love|'d like|'d love|is asking for|"
                r"are asking for)\b(?! to (know|decide|talk|discuss|understand|see|check|hear|meet|wait)\b)"
            ),
            1.3,
            None,
        ),
        # "X is what they'd pay for": the thing in a cleft is the wish
        (r"\b(is|are) (exactly |all |just )?what (we|they|i|he|she|you)('d| would| will)? (pay for|need|want|asked for)\b", 1.6, None),
        # comparisons: the other product has it, ours does not ("ours is fixed", "ours needs an add-on")
        (
            (
                r"\bours (is|are|was|were) (\w+ )?(fixed|limited|basic|manual|static|hard-?coded|not|only|missing|worse|"
                r"slower|clunkier)\b|\bours (needs|requires|lacks|has no|only has)\b|"
                r"\b(unlike|compared (to|with)|comparing (to|with)|vs\.?|versus) [\w-]+,? (we|i|you|ours|it)\b"
            ),
            1.3,
            None,
        ),
    ),
    "pain_point": (
        (r"\bfrustrat(ed|ing|ion|es)\b", 1.5, None),
        (r"\bannoy(ed|ing|s|ance)?\b", 1.3, None),
        (
            r"\bconfus(ed|ing|ion|es)\b|\bnot (intuitive|clear|obvious)\b|\bunclear\b|\bunintuitive\b|\bjargon\b",
            1.3,
            "~confusion",
        ),
        (
            (
                r"\b(can't|cannot|couldn't|could not|never) (find|figure out|tell|understand|see)\b"
                r"|\b(hard|difficult) to (find|see|spot|discover)\b|\bhidden\b|\bmissed the\b"
            ),
            1.4,
            "~findability",
        ),
        (r"\b(hard|difficult|impossible|tricky|a pain|painful) to\b", 1.3, None),
        (
            (
                r"\bpain(ful| point|s)?\b|\bhurts?\b|\bnightmare\b|\bmessy\b|\ba (mess|maze)\b|\brough\b|"
                r"\ball over the place\b|\bdisorgani[sz]ed\b|\bhard to follow\b"
            ),
            1.2,
            None,
        ),
        (r"\bstruggl(e|es|ed|ing)\b|\bbiggest (issue|problem|pain|frustration|time sink|headache|complaint)\b", 1.3, None),
        (r"\btime sink\b|\bheadache\b|\bmost disliked\b|\bcomplain(s|ed|t)?\b", 1.3, None),
        (r"^(the |my |our )?(main |biggest |real |only |big )?(problem|issue|pain|challenge|headache) (is|was)\b", 1.5, None),
        (r"\b(nobody|no one) (notices|noticed|knows|knew|tells|told|checks)\b", 1.2, None),
        (r"\b(nobody|no one|few|none of them) (understood|understands|could tell|could explain|gets|got)\b", 1.3, "~confusion"),
        (r"\bunfair\b|\bkills? (the )?deals?\b|\bdeal[- ]?killer\b|\bunacceptable\b|\bnot acceptable\b", 1.2, None),
        (
            (
                r"\bhard sell\b|\b(worry|concern|hesitation|objection) (is|was) (the )?(price|pricing|cost)\b|"
                r"\bnow (a |an )?(subscription|paid|premium|extra|add-on)\b|\b(was|were) (free|included) (when|before|until)\b"
            ),
            1.3,
            "~cost",
        ),
        # found out late: "admins find out about new tools only when the invoice arrives"
        (r"\b(find|finds|found|hear|hears|learn|learns) (out )?(about [\w ]{1,30} )?only (when|after|once)\b", 1.3, None),
        (r"\b(fee|price|pricing|cost|bill|contract)s? (\w+ )?worr(y|ies|ied)\b|\bworried about (the )?(price|cost|fee|bill)", 1.2, "~cost"),
        (r"\b(forget|forgets|forgot) to\b", 1.1, None),
        # a limit: "you can only export 30 days at a time"
        (r"\b(can|could) only (\w+ ){0,2}\d+\b|\b\d+ \w+ at a time\b", 1.2, None),
        # price comparisons and paywalls: "double what I paid", "can't justify it", "moved X behind the Premium tier"
        (
            (
                r"\b(double|twice|triple|2x|3x) what (i|we) (paid|pay|used to pay)\b|\bcan't justify\b|"
                r"\bmoved [\w -]{1,30} behind (the |a )?[\w+]* ?(tier|paywall|plan|subscription)\b|"
                r"\b(fee|price|pricing|cost)s?\b.{0,40}\bmore than\b|\bno (eta|update|timeline|fix date)\b"
            ),
            1.3,
            "~cost",
        ),
        (r"\b(didn't|don't|do not|did not) want (two|another|a second|separate|yet another) (places|tools|apps|logins|systems)\b", 1.2, None),
        (r"\b(buried|tucked away)\b|\bnever (have|would have) found\b|\bhad to search for\b", 1.3, "~findability"),
        (
            (
                r"\btakes? (\w+ ){0,3}(forever|ages|too long|hours|so long|a long time|minutes|seconds|days|weeks|half a day|"
                r"a day|a week|a full day|too many)\b|\btook (us |me |them |our team )?(\w+ )?(days|weeks|hours|a week|a day|a month|"
                r"months)\b|\btook (us |me |them |our team )?(an afternoon|a morning|an evening|all day|ages|forever) to\b"
            ),
            1.4,
            "~speed",
        ),
        (r"\b(too|so|really|very|painfully|super|incredibly|way too|kinda) (slow|laggy|long)\b", 1.5, "~speed"),
        (r"\bslow(ly|er|ness)?\b|\blaggy\b|\bsluggish\b|\blags\b", 1.1, "~speed"),
        (r"\btedious\b|\btime[- ]consuming\b|\bcumbersome\b|\bclunky\b", 1.3, "~effort"),
        (
            (
                r"\bmanual(ly)?\b|\bby hand\b|\bre-?type\w*|\bre-?key\w*|\bre-?enter\w*|\bcopy[- ]?past(e|es|ing)\b|"
                r"\bone by one\b|\bchas(e|es|ing)\b|\bback and forth\b|\bworkarounds?\b|\bspreadsheets?\b|\bscreenshot"
            ),
            1.0,
            "~effort",
        ),
        (r"\bwast(e|es|ed|ing) (so much |a lot of )?(time|hours|money)\b|\bspends? (\w+ ){0,4}(hours|days|a day|the first)\b", 1.4, "~effort"),
        (r"\boverwhelm(ed|ing)\b|\btoo (many|much|complicated|complex|small|big|long|basic|limited)\b", 1.2, None),
        (
            (
                r"\bexpensive\b|\boverpriced\b|\bpricey\b|\bgreedy\b|\bcosts? (too much|more|extra)\b|"
                r"\bprice (went up|increase|hike)|\bpric(e|es|ed|ing) (is |are |was )?(\w+ )?(too high|hard|unpredictable|"
                r"confusing|doesn't work|just doesn't)|\b(per[- ]seat|per[- ]user|per[- ]minute|per[- ]student) "
                r"(pricing|price|model)\b|\bpriced per\b|\bminimum of \d+\b|\b\d+x (theirs|more|the price)\b|"
                r"\babove (what we|our budget)\b|\bover (our )?budget\b|\b(hard|difficult) to (budget|predict)\b"
            ),
            1.3,
            "~cost",
        ),
        (r"\bhate[sd]?\b|\bworst\b|\bdisappoint(ed|ing)\b|\buseless\b|\bscam\b|\bembarrassing\b|\bunprofessional\b", 1.3, None),
        (r"\bblock(s|ing|ed|er|ers)\b", 1.2, None),
        (
            (
                r"\b(nobody|no one) (from [\w ]{1,20} )?(followed up|called( back)?|replied|responded|got back)\b|"
                r"\bkilling (us|me|them)\b|\bone at a time\b|\b(nobody|no one) can\b|"
                r"\b(requests|tickets|orders|approvals|items|invoices|messages|emails) (just )?sit (there|for|in)\b"
            ),
            1.2,
            None,
        ),
        (
            (
                r"\b(doesn't|does not|don't|do not|can't|cannot) (understand|recogni[sz]e|handle|accept|find|match) "
                r"(common|simple|basic|our|the|any|special|abbreviations)"
            ),
            1.1,
            None,
        ),
        (
            (
                r"\bwent (up )?from \$?\d[\d,.]*.{0,25}\bto \$?\d|\b(price|pricing|cost|bill|fee)s?\b.{0,30}\b(went up|"
                r"increased|doubled|tripled|jumped|rose|skyrocketed)\b|\b(doubled|tripled) (the|our|my) (price|bill|cost)"
            ),
            1.3,
            "~cost",
        ),
        (r"\b(submitted|done|filed|completed|arrives?|arrived|paid|updated|posted|sent) (too )?late\b|\bor not at all\b|\btoo late\b", 1.2, None),
        # a regression: "startup time got noticeably worse in v11"
        (r"\b(got|gotten|getting|became|has become|have become) (\w+ )?(worse|slower|buggier|harder|clunkier)\b|\bworse (in|since|after)\b", 1.3, None),
        (
            (
                r"\bstopped using\b|\b(was|were|got|has been|have been) (removed|taken away|dropped|deprecated)\b|"
                r"\b(removed|took away|got rid of|dropped) the (ability|option|feature|setting|button|view)\b|\bby design\b"
            ),
            1.3,
            None,
        ),
        (r"\b(looks?|feels?) (dated|old|outdated|ugly|cluttered|clunky|messy|like (19|20)\d\d)\b", 1.2, None),
        (r"\b(lots of|too many|so many) (clicks|clicking|steps|screens)\b", 1.2, "~effort"),
        (r"\b(don't|dont|can't|cant|do not|cannot) see (it|them|where|how|any|the option)\b", 1.2, "~findability"),
        (r"\b(doesn't|does not|just doesn't|won't) work for (us|me|them|our|my|a|small|teams)\b|\bmade no sense\b", 1.3, "~cost"),
        (r"\b(problem|issue|concern|risk)s?\b", 0.8, None),
        (r"\b(have|had|has) to\b", 0.5, None),
        (
            (
                r"\b(is|are|was|were|feels?|very|too|pretty|quite|really|so|super) (limited|basic|weak|thin|sparse|poor|"
                r"lacking)\b|"
                r"\b(afterthought|canned|stale|outdated|inconsistent|unpredictable|scattered|noisy|noise|"
                r"buggy)\b"
            ),
            1.1,
            None,
        ),
        (
            (
                r"\b(no idea|don't know|doesn't know|nobody (reads|looks|knows|uses|trusts)|don't trust|nobody calls|"
                r"none of (them|us|the \w+) (trust|like|use|read|understand|know))\b"
            ),
            1.2,
            None,
        ),
        (
            (
                r"\bused to be (free|included|cheaper)\b|\bno longer (free|included)\b|\bstarted charging\b|"
                r"\bcosts? (\w+ ){0,2}now\b|\bnow costs?\b"
            ),
            1.3,
            "~cost",
        ),
        (r"\b(lost|lose|losing|loses) (money|the morning|a day|hours|data|their|our|track|revenue|deals?|time)\b", 1.2, None),
        (r"\bcan't (connect|tell|see|trust)\b|\bnot shown\b|\bonly see\b|\bzig-?zag", 1.0, None),
        (r"\b(nobody|no one|never) (completes?|updates?|reads?|looks?|uses?)\b|\bsits? with\b|\bsit for\b", 1.0, None),
        (
            (
                r"\b(doesn't|does not|don't|do not) (follow|respect|reflect|take into account|consider|account for|mention|"
                r"cover)\b|\bignores?\b|\bskips? (the|over)\b|\bomits?\b|\bleaves? out\b"
            ),
            1.1,
            None,
        ),
        (r"\b(moving|switching|switched|moved|going back) to\b|\blook elsewhere\b|\bcancel(l?ed|l?ing)?\b|\bleaving\b", 0.7, None),
        (r"\b(weeks|days|hours) (of|to get)\b|\bfrozen for\b", 0.8, None),
        # the customer does the work: "I have to scroll through 400 exercises", "we end up making copies"
        (
            (
                r"\b(i|we|they|he|she|you|staff|everyone|the team|my team|our team|agents|receptionists)"
                r"(( still| then| always| now| basically| just| each| also| often)*) (have|has|had) to "
                r"(?!(be able|have|get|talk|integrate|sync|connect|support|say|admit|tell|decide|pay for it)\b)\w+"
                r"|\b(end|ends|ended) up (\w+ing|having to)\b|\b(i|we|they) (ring|call|email|chase|text) (round|around)\b"
            ),
            0.7,
            "~effort",
        ),
        # price without the word price: "it's steep for us", "costs extra", "can't justify it at our size"
        (
            (
                r"\b(bit |too |pretty |quite |very |really |so |is |it's |that's |a little )steep\b|\bcostly\b|"
                r"\bextra cost\b|\bnot worth (it|the (money|price|cost))\b|\b(at|for) (a team|a company|"
                r"a business|a shop|an? \w+) (of )?our size\b|\bat our size\b|\bgets? (\w+ )?(expensive|pricey)\b|"
                r"\bpaying for (\w+ ){0,3}(we|i|they) (don't|do not|never|barely|rarely) use\b|\bout of (our|my) budget\b"
            ),
            1.3,
            "~cost",
        ),
        (r"\bout of (control|hand)\b|\b(biggest|main|real) (\w+ )?(leak|drain|gap|risk|blocker|cost)\b", 1.2, None),
        # a rhetorical question is a complaint: "why do I need an account to use a simple to-do list??"
        (r"^(?:\w+,? )?why (do|does|would|should|must|did) (i|we|you|they|anyone|users|people) (even )?(need|have) to\b", 1.8, None),
        (r"\b(it|this|which|that|search|the \w+) only (matches|finds|shows|searches|returns|works|covers|accepts|supports)\b", 1.0, None),
        (r"\b(doesn't|does not|won't|will not|didn't) (accept|recogni[sz]e|handle)\b", 1.0, None),
    ),
    "praise": (
        (r"\b(love|loved|loving|loves|adore)\b(?! (to|it if|if|a way|the ability|being able)\b)", 1.4, None),
        (
            (
                r"\b(great|awesome|amazing|fantastic|excellent|brilliant|superb|wonderful|incredible|outstanding|"
                r"terrific|perfect|solid|stellar)\b(?! (if|to)\b)"
            ),
            1.1,
            None,
        ),
        (r"\breally (like|liked|enjoy|enjoyed)\b", 1.3, None),
        (
            (
                rf"\b({_SUBJECTS}) (really |all |also )?(like|liked|love|loved|enjoy|enjoyed|appreciate|appreciated|prefer|"
                r"preferred)\b(?! (it|this|that|them|us)\b| to\b)"
            ),
            1.3,
            None,
        ),
        (
            (
                r"\beasy to (use|set up|setup|learn|understand|build|navigate)\b|\b(intuitive|seamless|smooth|smoother|"
                r"polished|clean|cute|slick|snappy)\b"
            ),
            1.3,
            "~ease",
        ),
        (r"\breliable\b|\bworks? (great|well|perfectly|flawlessly|fine)\b|\bjust works?\b|\bworked flawlessly\b", 1.4, None),
        (
            (
                r"\bsaves? (us|me|our team|my team|them)? ?(so much |a lot of |about |maybe |easily )?(time|hours|\d+|an hour|"
                r"a ton|a lot)\b|\btime saver\b|\bcut (\w+ ){0,3}(in half|the queue)\b"
            ),
            1.5,
            "~time-saved",
        ),
        (r"\bgame[- ]changer\b|\bkudos\b|\bimpressed\b|\bimpressive\b|\bmagic\b|\bspot on\b|\bmiles ahead\b", 1.5, None),
        (r"\b(happy|pleased|satisfied|delighted) with\b|\brecommend\b|\bbig fan\b|\bfavou?rite\b", 1.2, None),
        (r"\bpraised\b|\bwell[- ]liked\b|\bpopular\b|\brated (it )?highly\b|\b(liked|loved) (by|the)\b", 1.4, None),
        (r"\bhelpful\b", 1.0, None),
        (
            (
                r"\bgood\b|\bnice\b|\bpowerful\b|\bquick(ly)?\b|\blighter\b|"
                r"\b(is|are|so|very|really|super|pretty) simple\b|\bsimple to\b"
            ),
            0.9,
            None,
        ),
        (r"\bbest\b|\bfast(er)?\b|\bresponsive\b|\bbetter than\b|\bway better\b", 0.7, None),
        (
            (
                r"\b(is|are|was|were|feels?|runs?|got) (really |very |super |blazing(ly)? |so |way |much |incredibly )?"
                r"(fast|quick|snappy|responsive|faster|quicker|stable|accurate|lighter)\b"
            ),
            1.2,
            None,
        ),
        (
            (
                r"\b(really|very|super|so|actually|pretty|genuinely|incredibly|extremely|hugely|surprisingly) "
                r"(nice|good|helpful|useful|handy|quick|simple|clean|neat|accurate)\b"
            ),
            1.2,
            None,
        ),
        (r"\b(is|are|was|were) (\w+ )?useful\b", 1.1, None),
        (r"\bbest (\w+ )?(i've|we've|i have|we have|i ever|we ever) (found|used|tried|seen|had)\b", 1.4, None),
        (
            (
                r"\b(nicer|better|cleaner|easier|simpler|cheaper) than (theirs|\w+'s|the competition|competitors?|"
                r"our old|the old|what we had)\b"
            ),
            1.3,
            None,
        ),
        # "completed the basic task quickly, most in under 3 minutes"
        (
            (
                r"\b(completed|finished|figured (it )?out|set (it )?up|got (it )?working)\b.{0,40}\b(quickly|easily|"
                r"without (any )?help|in minutes|first try)\b|\bin (under|less than) (\d+|a|an|one|two) (seconds?|"
                r"minutes?|hours?|days?|weeks?)\b"
            ),
            1.3,
            None,
        ),
        (
            (
                r"\b(replied|responded|answered|got back|resolved it|fixed it|solved (it|our))\b.{0,30}"
                r"\b(within (an?|\d+|one|two) (hour|minute|day)s?|within (minutes|hours|the hour|a day)|quickly|fast|"
                r"same day|in minutes|on a sunday)\b|"
                r"\bin seconds\b"
            ),
            1.3,
            None,
        ),
        (r"\b(the )?best (part|thing|feature)\b|\bfavou?rite (part|feature|thing)\b", 1.4, None),
        (r"\b(is|are|was|were) (really |very |pretty |so |super )?(good|great|nice|solid|excellent|fantastic)\b", 1.2, None),
        (
            (
                r"\b(syncs?|loads?|works?|opens?|updates?|starts?) (instantly|immediately|in seconds|seamlessly|reliably|"
                r"flawlessly)\b|\bfinally a\b"
            ),
            1.3,
            None,
        ),
        (r"\bexactly what (we|i|they) (needed|wanted|were looking for|was looking for)\b", 2.0, None),
        (r"\b(pointed to|cited|credited|singled out) (our|the|your)\b", 1.2, None),
        # "deploy speed was considered good", "menu editing was called fast": a judgement reported
        (
            (
                r"\b(considered|seen as|described as|rated( as)?|called|regarded as|viewed as|found to be) "
                r"(\w+ ){0,3}\"?(good|great|fast|excellent|solid|reliable|easy|simple|intuitive|best|quick|painless)\b"
            ),
            1.4,
            None,
        ),
        # "the partner liked our document requests": anyone's liking of a thing of ours
        (r"\b(liked|loved|enjoyed|appreciated|praised) (our|the|your|its|their|how)\b", 1.4, None),
        (r"\b(worked|works|working) out of the box\b|\b(noticed|loved it|got it) (straight|right) away\b", 1.3, None),
        (r"\bno complaints\b|\bno issues\b|\bnever had (a|an|one)\b|\bzero (issues|problems)\b", 1.0, None),
        (r"\b(reason|why) (we|i) (bought|chose|picked|signed up|switched|use)\b", 1.5, None),
        # praise by outcome: "saved me hours of copy-pasting", "have saved us in so many disputes"
        (
            r"\b(saved|saving) (us|me|them|our \w+|my \w+) (\w+ ){0,2}(hours|days|time|weeks|money|a ton|so much|in)\b",
            1.5,
            "~time-saved",
        ),
        (r"\b(positive|enthusiastic|excited|keen) (about|on)\b|\bpraise (for|from)\b|\b(alone|by itself) would (save|pay for|justify)\b", 1.5, None),
        (r"\b(lovely|spot on|a joy|a delight|a lifesaver|life[- ]saver|works a treat|top notch|first[- ]class)\b", 1.3, None),
    ),
    "question": (
        (r"\?\s*[\"')\]]*$", 1.2, None),
        (
            (
                r"\b(i was wondering|wondering (if|whether)|any idea (how|why|whether)"
                r"|do you know (how|if|whether)|asked whether|can you confirm|could you (also )?tell me)\b"
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
HEADING_HINTS: tuple[tuple[str, str], ...] = (
    ("skip", r"\b(recommendations?|next steps|action items|attendees|participants|methodology|agenda)\b"),
    (
        "praise",
        (
            r"\b(like best|benefit\w*|solving|what works|working well|bright spots?|went well|pros|positives?|"
            r"made you (pick|choose|buy|switch)|why did you (pick|choose|buy|switch)|"
            r"praised?|strengths?|highlights?|kudos|what they like|what people like|what they love|won|wins)\b"
        ),
    ),
    (
        "negative",
        (
            r"\b(dislike\w*|cons|pains?|pain points?|problems?|issues?|complaints?|frustrations?|negatives?|"
            r"weakness(es)?|risks?|challenges|blockers?|not working|doesn't work|concerns?|downsides?|"
            r"gripes?|annoying|gets? in the way|getting in the way|in your way|slow(s|ing)? (you|things) down|hardest|worst|"
            r"frustrat\w*|falls? short|broke|broken|goes wrong|went wrong|technical|"
            r"what's not|what isn't|what doesn't|difficult|lost|losses|objections?)\b"
        ),
    ),
    ("question", r"\b(open questions?|questions?)\b"),
    (
        "feature_request",
        (
            r"\b(asked for|requests?|requested|wants?|wishlist|wish list|suggestions?|ideas?|missing|"
            r"improve\w*|better|would make|must[- ]haves?|miss|feature requests?|what would|"
            r"change one thing|what else would|kept you|keep you|needs|magic wand|if you could|top of your list|"
            r"matters? most|most important|priorit\w*|requirements?|non-negotiables?|add)\b"
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
