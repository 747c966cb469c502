"""Idea queries."""

from __future__ import annotations

from ..models import Idea
from . import links
from .base import Repository, triage

IDEAS = Repository(Idea, filters=triage(Idea, links.ACCOUNT_IDEAS), search=(Idea.name, Idea.description))
