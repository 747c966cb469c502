"""The caller's own view: `viewer` returns the key's workspace and scopes."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from ..auth import Principal
from .common import Node


@strawberry.type
class Workspace(Node):
    id: strawberry.ID
    name: str


@strawberry.type
class ApiKeyInfo(Node):
    id: strawberry.ID
    name: str
    prefix: str


@strawberry.type
class Viewer:
    workspace: Workspace
    key: ApiKeyInfo
    scopes: list[str]


@strawberry.type
class WorkspaceQuery:
    @strawberry.field(description="The calling API key's workspace and scopes. Needs no scope.")
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.require()
        return Viewer(
            workspace=viewer_workspace(principal),
            key=viewer_key(principal),
            scopes=sorted(s.value for s in principal.scopes),
        )


def viewer_workspace(principal: Principal) -> Workspace:
    return Workspace(id=strawberry.ID(principal.workspace_id), name=principal.workspace_name)


def viewer_key(principal: Principal) -> ApiKeyInfo:
    return ApiKeyInfo(id=strawberry.ID(principal.key_id), name=principal.key_name, prefix=principal.key_prefix)
