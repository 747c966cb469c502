"""Projects: delivery work that key results link to; they share the OKR scopes."""

from __future__ import annotations

from ..storage.models import KeyResult, Project
from ..storage.repositories import links
from ..storage.repositories.projects import PROJECTS
from ..vocabulary import PROJECT_STATUSES
from .resources import Field, Links, Resource

PROJECT = Resource[Project](PROJECTS, "Project", "okrs", description="A piece of work that advances key results.", fields=(
    Field("name", required=True, max_length=500, description="Name of the project (at most 500 characters)."),
    Field("description", description="What the project is; null: none."),
    Field("status", values=PROJECT_STATUSES, default="planned", description="Where the project stands; new projects are planned."),
    Links("key_result_ids", KeyResult, links.KEY_RESULT_PROJECTS.reversed(), None, writable=False, ids=False),
))
