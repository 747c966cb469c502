"""Project queries; a project's key-result links go with it (FK cascade)."""

from __future__ import annotations

from ..models import Project
from .base import Repository, is_in

PROJECTS = Repository(Project, filters={"status": is_in(Project.status)}, search=(Project.name, Project.description))
