"""Size limits on what a request may send, as data, shared by both faces (README: Security).

Bodies are capped at the edge, while they are read: a JSON body at JSON_BODY_BYTES, a multipart upload
at UPLOAD_BODY_BYTES (plus MULTIPART_OVERHEAD_BYTES for its other parts on /graphql). Anything larger is a
413 before it is parsed.
"""

from __future__ import annotations

from starlette.types import Message, Receive

MB = 1024 * 1024
JSON_BODY_BYTES = 10 * MB
UPLOAD_BODY_BYTES = 50 * MB
MULTIPART_OVERHEAD_BYTES = 1 * MB


def too_large_message(limit: int) -> str:
    return f"Request body exceeds the limit of {limit // MB} MB"


# Free-form values, checked in every operation's variables and literals before any resolver runs
# (schema/input_guard.py): a 400 naming the field. Fields with tighter limits of their own (names: 500
# characters, descriptions: 10,000, …) are checked by their resolvers.
TEXT_CHARS = 100_000  # any text input that is not listed below
TRANSCRIPT_CHARS = 200_000  # the synchronous extractor's input (process-transcript, extractInsights)
LONG_TEXT_CHARS = {  # text inputs that may be longer, by field (or argument) name
    "text": 5_000_000,  # a signal's text
    "content": JSON_BODY_BYTES,  # a context document's text: the body limit bounds it
    "data": 1_000_000,  # a context unit's text
    "transcript": TRANSCRIPT_CHARS,
}
JSON_VALUE_BYTES = 1 * MB  # any JSON value (source, data, suggestions, analysis, …), as compact JSON


# Small lists, served whole rather than a page at a time: a bound per parent, refused on write past it
# (a 400 naming the list) and stated in the field's description.
CONTACTS_PER_ACCOUNT = 1_000
FEATURES_PER_PRODUCT = 500
PERSONAS_PER_PRODUCT = 100
KEY_RESULTS_PER_OKR = 50


def text_limit(field: str) -> int:
    return LONG_TEXT_CHARS.get(field, TEXT_CHARS)


class BodyTooLarge(Exception):
    def __init__(self, limit: int):
        super().__init__(too_large_message(limit))
        self.limit = limit


def capped(receive: Receive, limit: int) -> Receive:
    """`receive`, raising BodyTooLarge as soon as more than `limit` body bytes have come in."""
    received = 0

    async def receive_capped() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return receive_capped
