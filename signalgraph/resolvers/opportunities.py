"""Opportunities: problems worth solving, linked to the insights behind them, the ideas and the accounts."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidInput
from ..storage.models import Account, Idea, Insight, Opportunity, Product
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import links
from ..storage.repositories import opportunities as opportunities_repo
from ..storage.repositories.base import Page
from ..vocabulary import OPPORTUNITY_STATUSES
from . import common
from .request_context import Context

# Link-list fields of the opportunity inputs: (input field, link table seen from the opportunity, linked model).
LINK_FIELDS = (
    ("insight_ids", links.INSIGHT_OPPORTUNITIES.reversed(), Insight),
    ("idea_ids", links.OPPORTUNITY_IDEAS, Idea),
    ("account_ids", links.ACCOUNT_OPPORTUNITIES.reversed(), Account),
)
SCORE_RANGE = (0, 100)


async def get_opportunity(ctx: Context, opportunity_id: str) -> Opportunity | None:
    return await ctx.loaders.opportunity_by_id.load(opportunity_id)


async def list_opportunities(ctx: Context, *, limit: int, offset: int, **filters: Any) -> Page:
    async with ctx.db.read() as session:
        return await opportunities_repo.list_opportunities(
            session, ctx.workspace_id, limit=limit, offset=offset, **filters
        )


def _validate(data: dict[str, Any]) -> None:
    if "name" in data:
        common.text(data["name"], "name", max_length=500)
    if "description" in data:
        common.text(data["description"], "description")
    score = data.get("score")
    if score is not None and not SCORE_RANGE[0] <= score <= SCORE_RANGE[1]:
        raise InvalidInput("score must be between 0 and 100", field="score")
    common.one_of(data.get("status"), OPPORTUNITY_STATUSES, "status")


async def create_opportunity(ctx: Context, data: dict[str, Any]) -> Opportunity:
    _validate({"name": None, "description": None, **data})
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        product_id = await common.linkable_one(session, Product, ws, data.get("product_id"), "productId")
        link_ids = {
            field: await common.linkable(session, model, ws, data.get(field), common.camel(field))
            for field, _, model in LINK_FIELDS
        }
        opportunity = Opportunity(
            workspace_id=ws,
            name=data["name"],
            description=data["description"],
            score=data.get("score"),
            status=data.get("status") or "discovery",
            product_id=product_id,
        )
        session.add(opportunity)
        await session.flush()
        for field, link, _ in LINK_FIELDS:
            await repo.replace_links(session, link, ws, opportunity.id, link_ids[field])
    ctx.invalidate_loaders()
    return opportunity


async def update_opportunity(ctx: Context, opportunity_id: str, changes: dict[str, Any]) -> Opportunity:
    common.not_null(changes, "name", "description", "status")
    _validate(changes)
    ws = ctx.workspace_id
    async with ctx.db.write() as session:
        opportunity = common.found(
            await repo.get(session, Opportunity, ws, opportunity_id), "Opportunity", opportunity_id
        )
        if "product_id" in changes:
            opportunity.product_id = await common.linkable_one(
                session, Product, ws, changes["product_id"], "productId"
            )
        for field in ("name", "description", "score", "status"):
            if field in changes:
                setattr(opportunity, field, changes[field])
        for field, link, model in LINK_FIELDS:
            if field in changes:
                ids = await common.linkable(session, model, ws, changes[field], common.camel(field))
                await repo.replace_links(session, link, ws, opportunity.id, ids)
        opportunity.updated_at = utcnow()
        session.add(opportunity)
    ctx.invalidate_loaders()
    return opportunity


async def delete_opportunity(ctx: Context, opportunity_id: str) -> str:
    async with ctx.db.write() as session:
        if not await opportunities_repo.delete_opportunity(session, ctx.workspace_id, opportunity_id):
            common.found(None, "Opportunity", opportunity_id)
    ctx.invalidate_loaders()
    return opportunity_id
