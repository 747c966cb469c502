"""Insights: create, read, update, delete, with their links to opportunities, ideas and tags."""

from __future__ import annotations

from typing import Any

from ..storage.models import Account, Idea, Insight, Opportunity, Product, Tag
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import insights as insights_repo
from ..storage.repositories import links
from ..storage.repositories.base import Page
from ..vocabulary import INSIGHT_STATUSES, INSIGHT_TYPES
from . import common
from .request_context import Context

# Link-list fields of the insight inputs: (input field, link table, linked model).
LINK_FIELDS = (
    ("opportunity_ids", links.INSIGHT_OPPORTUNITIES, Opportunity),
    ("idea_ids", links.INSIGHT_IDEAS, Idea),
    ("tag_ids", links.INSIGHT_TAGS, Tag),
    ("account_ids", links.ACCOUNT_INSIGHTS.reversed(), Account),
)


async def get_insight(ctx: Context, insight_id: str) -> Insight | None:
    return await ctx.loaders.insight_by_id.load(insight_id)


async def list_insights(ctx: Context, *, limit: int, offset: int, **filters: Any) -> Page:
    async with ctx.db.read() as session:
        return await insights_repo.list_insights(session, ctx.workspace_id, limit=limit, offset=offset, **filters)


def _validate(data: dict[str, Any]) -> None:
    if "name" in data:
        common.text(data["name"], "name", max_length=500, required=False)
    if "description" in data:
        common.text(data["description"], "description")
    common.one_of(data.get("status"), INSIGHT_STATUSES, "status")
    common.one_of(data.get("type"), INSIGHT_TYPES, "type")


async def create_insight(ctx: Context, data: dict[str, Any]) -> Insight:
    _validate({"description": None, **data})
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        product_id = await common.linkable_one(session, Product, ws, data.get("product_id"), "productId")
        link_ids = {
            field: await common.linkable(session, model, ws, data.get(field), common.camel(field))
            for field, _, model in LINK_FIELDS
        }
        insight = Insight(
            workspace_id=ws,
            name=data.get("name"),
            description=data["description"],
            status=data.get("status") or "draft",
            type=data.get("type"),
            product_id=product_id,
            suggestions=data.get("suggestions"),
            external_links=data.get("external_links") or [],
        )
        session.add(insight)
        await session.flush()
        for field, link, _ in LINK_FIELDS:
            await repo.replace_links(session, link, ws, insight.id, link_ids[field])
    ctx.invalidate_loaders()
    return insight


async def update_insight(ctx: Context, insight_id: str, changes: dict[str, Any]) -> Insight:
    common.not_null(changes, "description", "status", "external_links")
    _validate(changes)
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        insight = common.found(await repo.get(session, Insight, ws, insight_id), "Insight", insight_id)
        if "product_id" in changes:
            insight.product_id = await common.linkable_one(session, Product, ws, changes["product_id"], "productId")
        for field in ("name", "description", "status", "type", "suggestions", "external_links"):
            if field in changes:
                setattr(insight, field, changes[field])
        for field, link, model in LINK_FIELDS:
            if field in changes:
                ids = await common.linkable(session, model, ws, changes[field], common.camel(field))
                await repo.replace_links(session, link, ws, insight.id, ids)
        insight.updated_at = insight.edited_at = utcnow()  # a person's insight: processing leaves it alone
        session.add(insight)
    ctx.invalidate_loaders()
    return insight


async def delete_insight(ctx: Context, insight_id: str) -> str:
    async with ctx.db.write() as session:
        if not await insights_repo.delete_insight(session, ctx.workspace_id, insight_id):
            common.found(None, "Insight", insight_id)
    ctx.invalidate_loaders()
    return insight_id

