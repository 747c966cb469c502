"""Opportunity queries."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import AccountOpportunity, Opportunity
from . import base
from .base import Page


async def list_opportunities(
    session: AsyncSession,
    workspace_id: str,
    *,
    limit: int,
    offset: int,
    status: list[str] | None = None,
    product_id: str | None = None,
    account_id: str | None = None,
    search: str | None = None,
    updated_since: datetime | None = None,
) -> Page:
    stmt = select(Opportunity).where(Opportunity.workspace_id == workspace_id)
    if status:
        stmt = stmt.where(Opportunity.status.in_(status))
    if product_id is not None:
        stmt = stmt.where(Opportunity.product_id == product_id)
    if account_id is not None:
        linked = select(AccountOpportunity.opportunity_id).where(
            AccountOpportunity.account_id == account_id, AccountOpportunity.workspace_id == workspace_id
        )
        stmt = stmt.where(Opportunity.id.in_(linked))
    if search:
        stmt = stmt.where(base.search_clause(search, Opportunity.name, Opportunity.description))
    if updated_since is not None:
        stmt = stmt.where(base.updated_since_clause(Opportunity, updated_since))
    return await base.page(
        session, stmt, limit=limit, offset=offset, order_by=(Opportunity.created_at.desc(), Opportunity.id.desc())
    )


async def delete_opportunity(session: AsyncSession, workspace_id: str, opportunity_id: str) -> bool:
    result = await session.execute(
        delete(Opportunity).where(Opportunity.id == opportunity_id, Opportunity.workspace_id == workspace_id)
    )
    return result.rowcount > 0
