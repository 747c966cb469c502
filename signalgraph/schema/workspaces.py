"""The caller's own view: `viewer` returns the key's workspace and scopes."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from ..auth import Principal
from .common import Node


@strawberry.type(description="A workspace: every item an API key reaches belongs to its workspace.")
class Workspace(Node):
    id: strawberry.ID
    name: str = strawberry.field(description="The workspace's display name.")


@strawberry.type(description="The API key making the request (never its secret).")
class ApiKeyInfo(Node):
    id: strawberry.ID
    name: str = strawberry.field(description="The key's display name, given when it was created.")
    prefix: str = strawberry.field(description="The key's public prefix, the `<prefix>` of `sg_<prefix>_<secret>`, to tell keys apart.")


@strawberry.type(description="Who is calling: the API key, its workspace and its scopes.")
class Viewer:
    workspace: Workspace = strawberry.field(description="The key's workspace.")
    key: ApiKeyInfo = strawberry.field(description='The key making the request.')
    scopes: list[str] = strawberry.field(description="The key's scopes, such as signals:read, sorted.")


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
