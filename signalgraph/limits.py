"""Size limits on what a request may send, as data, shared by both faces (README: Security).

Bodies are capped at the edge, while they are read: a JSON body at JSON_BODY_BYTES, a multipart upload
at UPLOAD_BODY_BYTES (plus MULTIPART_OVERHEAD_BYTES for its other parts on /graphql). Anything larger is a
413 before it is parsed.
"""

from __future__ import annotations

MB = 1024 * 1024
JSON_BODY_BYTES = 10 * MB
UPLOAD_BODY_BYTES = 50 * MB
MULTIPART_OVERHEAD_BYTES = 1 * MB


def too_large_message(limit: int) -> str:
    return f"Request body exceeds the limit of {limit // MB} MB"
