"""Tag queries."""

from __future__ import annotations

from ..models import Tag
from .base import Repository

TAGS = Repository(Tag, search=(Tag.name,), order_by=(Tag.name, Tag.id))
