"""Ideas in the graph: built from their declaration (resolvers/ideas.py)."""

from __future__ import annotations

from ..resolvers.ideas import IDEA
from .resources import build

Idea, IdeaQuery, IdeaMutation = build(IDEA, __name__)
