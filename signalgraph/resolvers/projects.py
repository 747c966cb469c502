"""Projects: delivery work that key results link to; they share the OKR scopes."""

from __future__ import annotations

from ..scopes import Scope
from ..storage.models import Project
from ..storage.repositories.projects import PROJECTS
from ..vocabulary import PROJECT_STATUSES
from .resources import Field, Resource

PROJECT = Resource[Project](
    PROJECTS,
    "Project",
    Scope.OKRS_READ,
    Scope.OKRS_WRITE,
    Scope.OKRS_DELETE,
    fields=(
        Field("name", required=True, max_length=500),
        Field("description"),
        Field("status", values=PROJECT_STATUSES, default="planned"),
    ),
    filters=("status",),
    search="Matches name and description.",
)
