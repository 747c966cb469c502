"""What counts as text in a context document, and that text: one policy for the content preview (resolvers)
and the retrieval indexer (jobs), so both agree on which documents are text.
"""

from __future__ import annotations

import mimetypes
from html.parser import HTMLParser
from pathlib import PurePosixPath

PREVIEW_MAX_CHARS = 40_000

# Mime type → preview format. Any other text/* is "text", any */*+json is "json", the rest is binary.
MIME_FORMATS = {
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "text/csv": "csv",
    "application/json": "json",
    "application/xml": "text",
    "application/yaml": "text",
    "application/x-yaml": "text",
}
# Generic mime types say too little: the file extension decides, else this format.
GENERIC_MIME_TYPES: dict[str, str | None] = {
    "": None,
    "application/octet-stream": None,
    "binary/octet-stream": None,
    "text/plain": "text",
}
# File extension → (mime type, format), for generic mime types and for uploads without a content type.
EXTENSIONS = {
    ".md": ("text/markdown", "markdown"),
    ".markdown": ("text/markdown", "markdown"),
    ".txt": ("text/plain", "text"),
    ".json": ("application/json", "json"),
    ".csv": ("text/csv", "csv"),
    ".html": ("text/html", "html"),
    ".htm": ("text/html", "html"),
    ".xml": ("application/xml", "text"),
    ".yaml": ("application/yaml", "text"),
    ".yml": ("application/yaml", "text"),
}


def base_type(mime_type: str | None) -> str:
    return (mime_type or "").split(";", 1)[0].strip().lower()


def _extension(file_name: str | None) -> str:
    return PurePosixPath(file_name or "").suffix.lower()


def text_format(mime_type: str | None, file_name: str | None) -> str | None:
    """markdown | text | html | json | csv for text-like documents; None for binary ones (pdf, images…)."""
    base = base_type(mime_type)
    if base in GENERIC_MIME_TYPES:
        known = EXTENSIONS.get(_extension(file_name))
        return known[1] if known else GENERIC_MIME_TYPES[base]
    if base in MIME_FORMATS:
        return MIME_FORMATS[base]
    if base.endswith("+json"):
        return "json"
    return "text" if base.startswith("text/") else None


def document_text(content: bytes) -> str:
    """Stored bytes as text: UTF-8 (a leading BOM dropped), undecodable bytes replaced, never an error.

    U+0000 is replaced like an undecodable byte: PostgreSQL cannot store it, and the index holds this text.
    """
    return content.decode("utf-8-sig", errors="replace").replace("\x00", "\ufffd")


def guess_mime_type(file_name: str) -> str:
    known = EXTENSIONS.get(_extension(file_name))
    if known:
        return known[0]
    return mimetypes.guess_type(file_name, strict=False)[0] or "application/octet-stream"


def preview_bytes(max_chars: int = PREVIEW_MAX_CHARS) -> int:
    """How many bytes of a document its preview may need: a character is at most 4 bytes, plus one
    character to tell whether there is more (and a BOM)."""
    return 4 * (max_chars + 2)


def preview_text(head: bytes, size: int, max_chars: int = PREVIEW_MAX_CHARS) -> tuple[str, bool]:
    """The first `max_chars` characters of a document of `size` bytes, from its first preview_bytes(),
    and whether there were more."""
    text = document_text(head)
    return text[:max_chars], len(text) > max_chars or len(head) < size


class _TextOfHtml(HTMLParser):
    SKIPPED = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._skipping += tag in self.SKIPPED

    def handle_endtag(self, tag: str) -> None:
        self._skipping -= tag in self.SKIPPED and self._skipping > 0

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    return " ".join(" ".join(parser.parts).split())
