"""Regular expressions of the rule tables built from word lists written as text.

A list reads like the words it holds ("once when whenever as_soon_as"), not like a regular expression:
words are separated by spaces, `_` joins the words of one phrase, and an entry may carry a small regex
suffix of its own ("helps?").
"""

from __future__ import annotations

import re


def alternation(words: str) -> str:
    """"i we no_one" → "i|we|no one"."""
    return "|".join(word.replace("_", " ") for word in words.split())


def any_word(words: str, *, leading: bool = False) -> re.Pattern[str]:
    """Any of `words` as a whole word, case-insensitive; with `leading`, only at the start of the text."""
    return re.compile(("^" if leading else r"\b") + f"(?:{alternation(words)})" + r"\b", re.IGNORECASE)
