"""Product queries: lists, external-id lookups, the feature tree, and the counts behind metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, literal_column, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import (
    Idea,
    Insight,
    OkrProduct,
    Opportunity,
    Product,
    ProductFeature,
    ProductPersona,
    Signal,
    SignalProduct,
)

# Metric name → the column holding the product id of each counted row; signals are added separately.
METRIC_COLUMNS = {
    "insights": Insight.product_id,
    "ideas": Idea.product_id,
    "opportunities": Opportunity.product_id,
    "context_personas": ProductPersona.product_id,
    "context_feature_map_nodes": ProductFeature.product_id,
    "initiatives_total": OkrProduct.product_id,
}
METRICS = (*METRIC_COLUMNS, "signals")
from .base import Repository, equals

PRODUCTS = Repository(
    Product,
    filters={"name": equals(Product.name), "external_id": equals(Product.external_id)},
    search=(Product.name, Product.description, Product.type, Product.external_id),
)


async def portfolio_products(session: AsyncSession, workspace_id: str, *, limit: int) -> list[Product]:
    """The products of a portfolio view, by name."""
    stmt = (
        select(Product)
        .where(Product.workspace_id == workspace_id)
        .order_by(func.lower(Product.name), Product.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def feature_parents(session: AsyncSession, workspace_id: str, product_id: str) -> dict[str, str | None]:
    """Each feature of the product → its parent id: the whole tree in one statement, to check for cycles.

    Kept from being deleted until the transaction ends (PostgreSQL), so one can become a parent.
    """
    stmt = select(ProductFeature.id, ProductFeature.parent_id).where(
        ProductFeature.product_id == product_id, ProductFeature.workspace_id == workspace_id
    )
    stmt = stmt.with_for_update(read=True, key_share=True)
    return {id_: parent for id_, parent in (await session.execute(stmt)).all()}


async def metric_counts(
    session: AsyncSession, workspace_id: str, product_ids: list[str], *, signals_since: datetime | None = None
) -> dict[str, dict[str, int]]:
    """Every metric of every product, zeros included, in one statement (a UNION of grouped counts).

    Signals count through the signal–product links; `signals_since` keeps only signals created since then.
    """
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return {}
    parts = [
        select(
            literal_column(f"'{metric}'").label("metric"), column.label("product_id"), func.count().label("n")
        )
        .where(column.in_(ids), column.class_.workspace_id == workspace_id)
        .group_by(column)
        for metric, column in METRIC_COLUMNS.items()
    ]
    signals = (
        select(literal_column("'signals'").label("metric"), SignalProduct.product_id, func.count().label("n"))
        .join(Signal, Signal.id == SignalProduct.signal_id)
        .where(SignalProduct.product_id.in_(ids), SignalProduct.workspace_id == workspace_id)
        .group_by(SignalProduct.product_id)
    )
    if signals_since is not None:
        signals = signals.where(Signal.created_at >= signals_since)
    counts = {id_: dict.fromkeys(METRICS, 0) for id_ in ids}
    for metric, product_id, n in (await session.execute(union_all(*parts, signals))).all():
        counts[product_id][metric] = n
    return counts
