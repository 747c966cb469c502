"""Projects in the graph (they go with the OKR scopes): built from their declaration (resolvers/projects.py)."""

from __future__ import annotations

from ..resolvers.projects import PROJECT
from .resources import build

Project, ProjectQuery, ProjectMutation = build(PROJECT, __name__)
