"""Products: create (with initial features and personas), read, update, delete; metrics; the portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..errors import Conflict, InvalidInput
from ..storage.models import Product, ProductFeature, ProductPersona
from ..storage.models.base import utcnow
from ..storage.repositories import base as repo
from ..storage.repositories import products as products_repo
from ..storage.repositories.base import Page, Slice
from . import common
from .product_features import FEATURES, PERSONAS, require_product, schedule_analysis
from .request_context import Context

SIGNALS_LOOKBACK_DAYS = 7
PORTFOLIO_MAX_PRODUCTS = 100
PORTFOLIO_METRICS = ("insights", "ideas", "opportunities", "signals")
TECH_STACK_SHAPE = "techStack must be a list of {name, roles} objects"
from ..storage.repositories.products import PRODUCTS
from .resources import delete_row, list_rows


@dataclass(frozen=True)
class Portfolio:
    products: list[Product]
    metrics: dict[str, dict[str, int]]
    signals_lookback_days: int


async def get_product(ctx: Context, product_id: str) -> Product | None:
    return await ctx.loaders.product_by_id.load(product_id)


async def list_products(ctx: Context, *, window: Slice, **filters: Any) -> Page:
    return await list_rows(ctx, PRODUCTS, window=window, **filters)


async def product_metrics(ctx: Context, product_id: str) -> dict[str, int]:
    await require_product(ctx, product_id)
    return await ctx.loaders.metrics_by_product_id.load(product_id)


async def portfolio_summary(ctx: Context) -> Portfolio:
    """Products by name with their counts; the signal counts cover only the last SIGNALS_LOOKBACK_DAYS."""
    since = utcnow() - timedelta(days=SIGNALS_LOOKBACK_DAYS)
    async with ctx.read() as session:
        products = await products_repo.portfolio_products(
            session, ctx.workspace_id, limit=PORTFOLIO_MAX_PRODUCTS
        )
        counts = await products_repo.metric_counts(
            session, ctx.workspace_id, [p.id for p in products], signals_since=since
        )
    metrics = {id_: {name: c[name] for name in PORTFOLIO_METRICS} for id_, c in counts.items()}
    return Portfolio(products=products, metrics=metrics, signals_lookback_days=SIGNALS_LOOKBACK_DAYS)


def _tech_stack(value: Any) -> list[dict[str, Any]]:
    """[{name, roles}], checked and normalised (roles default to [])."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(TECH_STACK_SHAPE, field="techStack")
    stack = []
    for item in value:
        if not isinstance(item, dict) or not set(item) <= {"name", "roles"}:
            raise InvalidInput(TECH_STACK_SHAPE, field="techStack")
        name, roles = item.get("name"), item.get("roles") or []
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput("techStack: every entry needs a name", field="techStack")
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidInput("techStack: roles must be a list of strings", field="techStack")
        stack.append({"name": name, "roles": roles})
    return stack


def _validate(data: dict[str, Any]) -> None:
    if "name" in data:
        common.text(data["name"], "name", max_length=500)
    if "description" in data:
        common.text(data["description"], "description")
    if data.get("external_id") is not None:
        common.text(data["external_id"], "externalId", max_length=500)
    if "type" in data:
        common.text(data["type"], "type", max_length=200, required=False)


async def _check_external_id(
    session: Any, workspace_id: str, external_id: str | None, product_id: str | None
) -> None:
    if external_id is None:
        return
    if await PRODUCTS.first(session, workspace_id, Product.external_id == external_id, exclude_id=product_id):
        raise _external_id_taken(external_id)


def _external_id_taken(external_id: str | None) -> Conflict:
    return Conflict(f"A product with externalId {external_id!r} already exists", field="externalId")


def _initial_features(items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """A new product has no features yet, so its initial features cannot name a parent."""
    features = [FEATURES.cleaned(item, creating=True) for item in items or []]
    if any(f.get("parent_id") is not None for f in features):
        raise InvalidInput(
            "features: initial features cannot have a parentId; add child features with createProductFeature",
            field="features",
        )
    return features


async def create_product(ctx: Context, data: dict[str, Any]) -> Product:
    _validate({"name": None, "description": None, **data})
    tech_stack = _tech_stack(data.get("tech_stack"))
    features = _initial_features(data.get("features"))
    personas = [PERSONAS.cleaned(item, creating=True) for item in data.get("personas") or []]
    ws = ctx.workspace_id
    async with ctx.write() as w:
        await _check_external_id(w.session, ws, data.get("external_id"), None)
        product = Product(
            workspace_id=ws,
            name=data["name"],
            description=data["description"],
            type=data.get("type"),
            stack=data.get("stack"),
            mission=data.get("mission"),
            external_id=data.get("external_id"),
            kpis=data.get("kpis") or [],
            tech_stack=tech_stack,
        )
        w.session.add(product)
        await common.flush_unique(w.session, _external_id_taken(product.external_id))
        w.session.add_all(ProductFeature(workspace_id=ws, product_id=product.id, **f) for f in features)
        w.session.add_all(ProductPersona(workspace_id=ws, product_id=product.id, **p) for p in personas)
        w.enqueue(await schedule_analysis(w.session, ws, product.id))
    return product


async def update_product(ctx: Context, product_id: str, changes: dict[str, Any]) -> Product:
    common.not_null(changes, "name", "description")
    _validate(changes)
    ws = ctx.workspace_id
    async with ctx.write() as w:
        product = common.found(await repo.get(w.session, Product, ws, product_id), "Product", product_id)
        analysed_before = (product.name, product.description, product.mission, list(product.kpis))
        if "external_id" in changes:
            await _check_external_id(w.session, ws, changes["external_id"], product_id)
        if "tech_stack" in changes:
            product.tech_stack = _tech_stack(changes["tech_stack"])
        if "kpis" in changes:
            product.kpis = changes["kpis"] or []
        for field in ("name", "description", "external_id", "mission", "type", "stack"):
            if field in changes:
                setattr(product, field, changes[field])
        product.updated_at = utcnow()
        w.session.add(product)
        await common.flush_unique(w.session, _external_id_taken(product.external_id))
        # What the analysis reads changed: analyse again.
        changed = analysed_before != (product.name, product.description, product.mission, list(product.kpis))
        if changed:
            w.enqueue(await schedule_analysis(w.session, ws, product.id))
    return product


async def delete_product(ctx: Context, product_id: str) -> str:
    """Features, personas and questions go with it; insights, ideas and the like keep living, unlinked."""
    return await delete_row(ctx, PRODUCTS, product_id, "Product")