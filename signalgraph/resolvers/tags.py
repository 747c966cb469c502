"""Tags: names unique per workspace; they label insights and share the insights scopes."""

from __future__ import annotations

from typing import Any

from ..errors import Conflict
from ..storage.models import Tag
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import tags as tags_repo
from ..storage.repositories.base import Page
from . import common
from .request_context import Context


async def get_tag(ctx: Context, tag_id: str) -> Tag | None:
    return await ctx.loaders.tag_by_id.load(tag_id)


async def list_tags(ctx: Context, *, limit: int, offset: int, search: str | None = None) -> Page:
    async with ctx.db.read() as session:
        return await tags_repo.list_tags(session, ctx.workspace_id, limit=limit, offset=offset, search=search)


async def create_tag(ctx: Context, data: dict[str, Any]) -> Tag:
    name = common.text(data.get("name"), "name", max_length=200).strip()
    async with ctx.db.write() as session:
        if await tags_repo.tag_by_name(session, ctx.workspace_id, name):
            raise _taken(name)
        tag = Tag(workspace_id=ctx.workspace_id, name=name, color=data.get("color"))
        session.add(tag)
        await common.flush_unique(session, _taken(name))
    ctx.invalidate_loaders()
    return tag


async def update_tag(ctx: Context, tag_id: str, changes: dict[str, Any]) -> Tag:
    common.not_null(changes, "name")
    async with ctx.db.write() as session:
        tag = common.found(await repo.get(session, Tag, ctx.workspace_id, tag_id), "Tag", tag_id)
        if "name" in changes:
            name = common.text(changes["name"], "name", max_length=200).strip()
            if await tags_repo.tag_by_name(session, ctx.workspace_id, name, exclude_id=tag_id):
                raise _taken(name)
            tag.name = name
        if "color" in changes:
            tag.color = changes["color"]
        tag.updated_at = utcnow()
        session.add(tag)
        await common.flush_unique(session, _taken(tag.name))
    ctx.invalidate_loaders()
    return tag


def _taken(name: str) -> Conflict:
    return Conflict(f"A tag named {name!r} already exists", field="name")


async def delete_tag(ctx: Context, tag_id: str) -> str:
    async with ctx.db.write() as session:
        if not await tags_repo.delete_tag(session, ctx.workspace_id, tag_id):
            common.found(None, "Tag", tag_id)
    ctx.invalidate_loaders()
    return tag_id
