"""What a finding is about, as a key: "Dark mode", "dark-mode" and "A dark mode" are one subject.

Findings of one extraction that share a subject are one finding, and so are a workspace's draft
insights (see `processing.findings`): the key is the finding's kind with the name's normalised form
(`naming.name_key`), hashed to a fixed length.
"""

from __future__ import annotations

import hashlib

from .naming import name_key


def subject_key(kind: str, name: str) -> str:
    """`kind:hash` of the name's normalised form; the same for names that differ only in form."""
    words = name_key(name) or name.strip().lower()
    return f"{kind}:{hashlib.sha1(words.encode()).hexdigest()[:24]}"
