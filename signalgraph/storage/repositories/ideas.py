"""Idea queries."""

from __future__ import annotations

from ..models import Idea
from . import links
from .base import Repository, equals, is_in, through

IDEAS = Repository(
    Idea,
    filters={
        "status": is_in(Idea.status),
        "product_id": equals(Idea.product_id),
        "account_id": through(links.ACCOUNT_IDEAS, Idea.id),
    },
    search=(Idea.name, Idea.description),
)
