"""Tags in the graph (they go with the insights scopes): built from their declaration (resolvers/tags.py)."""

from __future__ import annotations

from ..resolvers.tags import TAG
from .resources import build

Tag, TagQuery, TagMutation = build(TAG, __name__)
