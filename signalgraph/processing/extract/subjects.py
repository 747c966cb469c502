"""What a finding is about, as a key: "Dark mode", "dark-mode" and "A dark mode" are one subject.

Findings of one extraction that share a subject are one finding, and so are a workspace's draft
insights (see `processing.findings`): the key is the name's content words, lower-cased, stemmed and
sorted, with the finding's kind, hashed to a fixed length.
"""

from __future__ import annotations

import hashlib
import re

from .local import stem

_FUNCTION_WORD_TEXT = """a an the of for to in on at by with from and or as is are be been being
our their its his her my your this that these those"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORD_TEXT.split())
# Labels and filler a model may put before the subject: "Feature request: dark mode", "Also, …".
NAME_PREFIX = re.compile(
    r"^(?:(?:feature request|bug|bug report|pain point|praise|question|request|issue|problem)\s*[:—–-]\s*"
    r"|(?:also|otherwise|so|and|but|hi|hello|hey|thanks|thank you|please)\b[\s,:;—–-]*)+",
    re.IGNORECASE,
)
NAME_MAX_WORDS = 10


def subject_words(name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", name.lower().replace("'", "").replace("’", ""))
    return sorted({stem(w) for w in words if w not in FUNCTION_WORDS})


def subject_key(kind: str, name: str) -> str:
    """`kind:hash` of the name's content words; the same for names that differ only in form."""
    words = " ".join(subject_words(name)) or name.strip().lower()
    return f"{kind}:{hashlib.sha1(words.encode()).hexdigest()[:24]}"


def analyst_name(name: str) -> str:
    """A model's name as an analyst would write it: no label or filler in front, no closing stop,
    at most NAME_MAX_WORDS words, a capital first letter."""
    text = " ".join(name.split())
    text = NAME_PREFIX.sub("", text).strip(" .;:!,\"'“”‘’") or text.strip()
    words = text.split()
    if len(words) > NAME_MAX_WORDS:
        text = " ".join(words[:NAME_MAX_WORDS]).rstrip(",;:")
    return text[:1].upper() + text[1:]
