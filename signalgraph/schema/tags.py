"""Tags in the graph: built from their declaration (resolvers/tags.py); they go with the insights scopes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from ..resolvers.tags import TAG
from .resources import Info, build

if TYPE_CHECKING:
    from .insights import Insight


class TagFields:
    @strawberry.field
    async def insights(self, info: Info) -> list[Annotated[Insight, strawberry.lazy("signalgraph.schema.insights")]]:
        return await info.context.loaders.insights_by_tag_id.load(self.id)  # type: ignore[attr-defined]


_schema = build(TAG, __name__, extra=TagFields)
Tag = _schema.object_type
CreateTagInput, UpdateTagInput = _schema.create_input, _schema.update_input
TagQuery, TagMutation = _schema.query, _schema.mutation
