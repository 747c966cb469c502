"""Tags: names unique per workspace; they label insights and share the insights scopes."""

from __future__ import annotations

from typing import Any

from ..errors import Conflict
from ..scopes import Scope
from ..storage.models import Tag
from ..storage.repositories.tags import TAGS, tag_by_name
from .request_context import Write
from .resources import Field, Resource


def _taken(name: str) -> Conflict:
    return Conflict(f"A tag named {name!r} already exists", field="name")


async def _name_free(w: Write, row: Tag, changes: dict[str, Any], creating: bool) -> None:
    """Checked here for a clear answer; the unique index settles a concurrent write (`conflict`)."""
    if "name" in changes and await tag_by_name(
        w.session, w.workspace_id, changes["name"], exclude_id=None if creating else row.id
    ):
        raise _taken(changes["name"])


TAG = Resource[Tag](
    TAGS,
    "Tag",
    Scope.INSIGHTS_READ,
    Scope.INSIGHTS_WRITE,
    Scope.INSIGHTS_DELETE,
    fields=(Field("name", required=True, max_length=200, strip=True), Field("color")),
    filters=None,
    before_save=_name_free,
    conflict=lambda row: _taken(row.name),
)
