"""GraphiQL from Signalgraph's own assets: the page and everything it loads are served by this process.

The assets are vendored into signalgraph/static/graphiql/ by tools/vendor_graphiql.py (versions and hashes
in its manifest.json), so the page works without internet and under a `default-src 'self'` policy.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from pathlib import Path

from starlette.staticfiles import StaticFiles

STATIC_PATH = "/static/graphiql"
ASSETS = Path(__file__).parent / "static" / "graphiql"
# Everything from this origin, nothing inline, no framing; `connect-src 'self'` lets the editor call /graphql.
PAGE_POLICY = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"


def sri(data: bytes) -> str:
    """A subresource-integrity hash, as `<script integrity=…>` checks it."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def manifest() -> dict[str, dict]:
    """package → {version, integrity (of the npm tarball), files: {served name: sri}}."""
    return json.loads((ASSETS / "manifest.json").read_text())


@cache
def page() -> str:
    """The page, with every script and stylesheet pinned by its subresource-integrity hash."""
    integrity = {name: sri for package in manifest().values() for name, sri in package["files"].items()}
    template = (ASSETS / "index.html").read_text()
    filled = template.replace("{static}", STATIC_PATH)
    return re.sub(r"\{integrity\[([^\]]+)\]\}", lambda match: integrity[match.group(1)], filled)


def static_files() -> StaticFiles:
    return StaticFiles(directory=ASSETS)
