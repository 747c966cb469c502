"""Global object identification: `node(id:)` and `nodes(ids:)` on Query, for every type implementing `Node`.

The ids are the REST ids: a UUID for every row (a job's id is `<kind>:<target>:<n>`), the caller's
workspace id and its key id. Which type an id is comes from storage (one UNION ALL over the node tables,
`storage/repositories/nodes.py`), never from the client: nothing is encoded in the id. The viewer's
workspace and key are answered from the caller's principal.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from ..resolvers import nodes as resolvers
from .common import Node
from .workspaces import viewer_key, viewer_workspace


async def _find(info: Info, ids: list[strawberry.ID]) -> dict[str, Any]:
    principal = info.context.require()
    found: dict[str, Any] = await resolvers.find(info.context, ids)
    if principal.workspace_id in ids:
        found[principal.workspace_id] = viewer_workspace(principal)
    if principal.key_id in ids:
        found[principal.key_id] = viewer_key(principal)
    return found


def _readable(info: Info, found: dict[str, Any], id_: str) -> Any:
    row = found.get(id_)
    if row is not None and not has_node_definition(row):
        resolvers.check_readable(info.context, row)
    return row


def has_node_definition(value: Any) -> bool:
    """A Strawberry object (the viewer's workspace or key), not a row."""
    return hasattr(value, "__strawberry_definition__")


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by the id any field returned (an `id`, a `…Id`, an entry of an `…Ids` list). "
        "Null when no object of the key's workspace has it; FORBIDDEN without the scope that reads its type."
    )
    async def node(
        self, info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="The object's id.")]
    ) -> Node | None:
        return _readable(info, await _find(info, [id]), id)

    @strawberry.field(
        description="Objects by id, in the order asked (at most 100): each null when not found, or null with a "
        "FORBIDDEN error at its index when the key may not read its type."
    )
    async def nodes(
        self, info: Info, ids: Annotated[list[strawberry.ID], strawberry.argument(description="The objects' ids.")]
    ) -> list[Node | None]:
        found = await _find(info, ids)

        async def one(id_: str) -> Any:  # an awaitable per item: its error lands at its own index
            return _readable(info, found, id_)

        return [one(id_) for id_ in ids]  # type: ignore[misc]
