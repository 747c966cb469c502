"""Tags: names unique per workspace; they label insights and share the insights scopes."""

from __future__ import annotations

from typing import Any

from ..errors import Conflict
from ..storage.models import Insight, Tag
from ..storage.repositories import links
from ..storage.repositories.tags import TAGS
from .request_context import Write
from .resources import Field, Links, Resource


def _taken(name: str) -> Conflict:
    return Conflict(f"A tag named {name!r} already exists", field="name")


async def _name_free(w: Write, row: Tag, changes: dict[str, Any], creating: bool) -> None:
    """Checked here for a clear answer; the unique index settles a concurrent write (`conflict`)."""
    if "name" in changes and await TAGS.first(
        w.session, w.workspace_id, Tag.name == changes["name"], exclude_id=None if creating else row.id
    ):
        raise _taken(changes["name"])


TAG = Resource[Tag](
    TAGS,
    "Tag",
    "insights",
    description="A label for insights; its name is unique in the workspace.",
    fields=(
        Field("name", required=True, max_length=200, strip=True, description="The label, trimmed (at most 200 characters); unique in the workspace."),
        Field("color", description="A display colour for the tag, as the client chooses to write it (e.g. #ff8800); null: none."),
        Links("insight_ids", Insight, links.INSIGHT_TAGS.reversed(), None, writable=False, ids=False),
    ),
    filter=False,
    before_save=_name_free,
    conflict=lambda row: _taken(row.name),
)
