"""Ideas in the graph: built from their declaration (resolvers/ideas.py)."""

from __future__ import annotations

from ..resolvers.ideas import IDEA
from .resources import build

_schema = build(IDEA, __name__)
Idea = _schema.object_type
IdeaStatus = _schema.enums["status"]
CreateIdeaInput, UpdateIdeaInput, IdeaFilter = _schema.create_input, _schema.update_input, _schema.filter
IdeaQuery, IdeaMutation = _schema.query, _schema.mutation
