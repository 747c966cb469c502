"""Products: create (with initial features and personas), read, update, delete; metrics; the portfolio."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..errors import InvalidInput
from ..storage.models import Product, ProductFeature, ProductPersona
from ..storage.models.base import utcnow
from ..storage.repositories import products as products_repo
from ..storage.repositories.products import PRODUCTS
from . import external_ids
from .external_ids import ExternalId
from .product_features import FEATURES, PERSONAS, require_product, schedule_analysis
from .request_context import Context, Write
from .resources import Field, Resource

SIGNALS_LOOKBACK_DAYS = 7
PORTFOLIO_MAX_PRODUCTS = 100
PORTFOLIO_METRICS = ("insights", "ideas", "opportunities", "signals")
TECH_STACK_SHAPE = "techStack must be a list of {name, roles} objects"
ANALYSED = ("name", "description", "mission", "kpis")  # what product analysis reads of the product


@dataclass(frozen=True)
class Portfolio:
    products: list[Product]
    metrics: dict[str, dict[str, int]]
    signals_lookback_days: int


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


EXTERNAL_ID = ExternalId(PRODUCTS, "product")


def _initial_features(items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """A new product has no features yet, so its initial features cannot name a parent."""
    features = [FEATURES.cleaned(item, creating=True) for item in items or []]
    if any(f.get("parent_id") is not None for f in features):
        raise InvalidInput(
            "features: initial features cannot have a parentId; add child features with createProductFeature",
            field="features",
        )
    return features


def _clean(values: dict[str, Any], creating: bool) -> None:
    """An externalId, when given, is not blank; a null list is an empty one; the tech stack is normalised;
    the initial features and personas (create only) are checked as their own mutations check them."""
    EXTERNAL_ID.clean(values, creating)
    if "kpis" in values and values["kpis"] is None:
        values["kpis"] = []
    if "tech_stack" in values:
        values["tech_stack"] = _tech_stack(values["tech_stack"])
    if creating:
        values["features"] = _initial_features(values.get("features"))
        values["personas"] = [PERSONAS.cleaned(item, creating=True) for item in values.get("personas") or []]


async def _before_save(w: Write, product: Product, values: dict[str, Any], creating: bool) -> None:
    """Refuse an externalId another product holds (resolvers/external_ids.py). An update that changes what
    analysis reads (name, description, mission, kpis) asks for a new analysis."""
    await EXTERNAL_ID.check_free(w, product, values, creating)
    if not creating and any(name in values and values[name] != getattr(product, name) for name in ANALYSED):
        w.enqueue(await schedule_analysis(w.session, w.workspace_id, product.id))


async def _after_save(w: Write, product: Product, values: dict[str, Any], creating: bool) -> None:
    """A new product: its initial features and personas, and its first analysis."""
    if creating:
        ws = w.workspace_id
        w.session.add_all(ProductFeature(workspace_id=ws, product_id=product.id, **f) for f in values["features"])
        w.session.add_all(ProductPersona(workspace_id=ws, product_id=product.id, **p) for p in values["personas"])
        w.enqueue(await schedule_analysis(w.session, ws, product.id))


# Deleting a product deletes its features, personas and questions; insights, ideas and the like keep
# living, unlinked. Its GraphQL type and inputs are written by hand (schema/products.py).
PRODUCT = Resource[Product](
    PRODUCTS,
    "Product",
    "products",
    clean=_clean,
    before_save=_before_save,
    after_save=_after_save,
    conflict=EXTERNAL_ID.taken,
    fields=(
        Field("name", required=True, max_length=500),
        Field("description", required=True),
        Field("external_id", max_length=external_ids.MAX_LENGTH),
        Field("type", max_length=200),
        Field("stack", max_length=None),
        Field("mission", max_length=None),
        Field("kpis", list),
        Field("tech_stack", list),
        Field("features", list, stored=False),  # create only: the initial root features
        Field("personas", list, stored=False),  # create only
    ),
)
