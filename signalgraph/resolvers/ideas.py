"""Ideas: candidate solutions, linked to the opportunities they address, the insights and the accounts."""

from __future__ import annotations

from typing import Any

from ..storage.models import Account, Idea, Insight, Opportunity, Product
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import ideas as ideas_repo
from ..storage.repositories import links
from ..storage.repositories.base import Page
from ..vocabulary import IDEA_STATUSES
from . import common
from .request_context import Context

# Link-list fields of the idea inputs: (input field, link table seen from the idea, linked model).
LINK_FIELDS = (
    ("opportunity_ids", links.OPPORTUNITY_IDEAS.reversed(), Opportunity),
    ("insight_ids", links.INSIGHT_IDEAS.reversed(), Insight),
    ("account_ids", links.ACCOUNT_IDEAS.reversed(), Account),
)


async def get_idea(ctx: Context, idea_id: str) -> Idea | None:
    return await ctx.loaders.idea_by_id.load(idea_id)


async def list_ideas(ctx: Context, *, limit: int, offset: int, **filters: Any) -> Page:
    async with ctx.db.read() as session:
        return await ideas_repo.list_ideas(session, ctx.workspace_id, limit=limit, offset=offset, **filters)


def _validate(data: dict[str, Any]) -> None:
    if "name" in data:
        common.text(data["name"], "name", max_length=500)
    if "description" in data:
        common.text(data["description"], "description")
    common.one_of(data.get("status"), IDEA_STATUSES, "status")


async def create_idea(ctx: Context, data: dict[str, Any]) -> Idea:
    _validate({"name": None, "description": None, **data})
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        product_id = await common.linkable_one(session, Product, ws, data.get("product_id"), "productId")
        link_ids = {
            field: await common.linkable(session, model, ws, data.get(field), common.camel(field))
            for field, _, model in LINK_FIELDS
        }
        idea = Idea(
            workspace_id=ws,
            name=data["name"],
            description=data["description"],
            status=data.get("status") or "evaluating",
            product_id=product_id,
        )
        session.add(idea)
        await session.flush()
        for field, link, _ in LINK_FIELDS:
            await repo.replace_links(session, link, ws, idea.id, link_ids[field])
    ctx.invalidate_loaders()
    return idea


async def update_idea(ctx: Context, idea_id: str, changes: dict[str, Any]) -> Idea:
    common.not_null(changes, "name", "description", "status")
    _validate(changes)
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        idea = common.found(await repo.get(session, Idea, ws, idea_id), "Idea", idea_id)
        if "product_id" in changes:
            idea.product_id = await common.linkable_one(session, Product, ws, changes["product_id"], "productId")
        for field in ("name", "description", "status"):
            if field in changes:
                setattr(idea, field, changes[field])
        for field, link, model in LINK_FIELDS:
            if field in changes:
                ids = await common.linkable(session, model, ws, changes[field], common.camel(field))
                await repo.replace_links(session, link, ws, idea.id, ids)
        idea.updated_at = utcnow()
        session.add(idea)
    ctx.invalidate_loaders()
    return idea


async def delete_idea(ctx: Context, idea_id: str) -> str:
    async with ctx.db.write() as session:
        if not await ideas_repo.delete_idea(session, ctx.workspace_id, idea_id):
            common.found(None, "Idea", idea_id)
    ctx.invalidate_loaders()
    return idea_id
