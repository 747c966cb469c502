"""Per-request DataLoaders, one per access path, named `<thing>_by_<key>`.

Each batch runs one statement in a short-lived read session of its own, so concurrent loaders never
share a session, and a nested query costs one statement per level whatever the page sizes. Loaders
are built per request and bound to the caller's workspace: never keep one across requests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import cached_property
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from ..storage.engine import Database
from ..storage.models import (
    Account,
    Contact,
    ContextDocument,
    ContextUnit,
    Idea,
    Insight,
    KeyResult,
    Okr,
    Opportunity,
    Product,
    ProductFeature,
    ProductPersona,
    ProductQuestion,
    Project,
    Signal,
    Tag,
)
from ..storage.repositories import base as repo
from ..storage.repositories import links
from ..storage.repositories import products as products_repo
from ..storage.repositories import signals as signals_repo
from ..storage.repositories.base import Link

T = TypeVar("T")


class Loaders:
    def __init__(self, db: Database, workspace_id: str):
        self._db = db
        self._workspace_id = workspace_id

    # -- building blocks ---------------------------------------------------------------------
    def _loader(self, fetch: Callable[[Any, list[str]], Awaitable[dict[str, Any]]], default: Any) -> DataLoader:
        async def load(keys: list[str]) -> list[Any]:
            async with self._db.read() as session:
                found = await fetch(session, keys)
            return [found.get(key, default() if callable(default) else default) for key in keys]

        return DataLoader(load_fn=load)

    def _by_id(self, model: type) -> DataLoader:
        return self._loader(lambda s, keys: repo.by_ids(s, model, self._workspace_id, keys), None)

    def _linked(self, link: Link, target: type) -> DataLoader:
        return self._loader(lambda s, keys: repo.linked_rows(s, link, target, self._workspace_id, keys), list)

    def _linked_ids(self, link: Link) -> DataLoader:
        return self._loader(lambda s, keys: repo.linked_ids(s, link, self._workspace_id, keys), list)

    def _children(self, model: type, key: Any, *order_by: Any) -> DataLoader:
        return self._loader(lambda s, keys: repo.by_key(s, model, key, self._workspace_id, keys, order_by), list)

    # -- one object by id ----------------------------------------------------------------------
    @cached_property
    def signal_by_id(self) -> DataLoader[str, Signal | None]:
        return self._by_id(Signal)

    @cached_property
    def insight_by_id(self) -> DataLoader[str, Insight | None]:
        return self._by_id(Insight)

    @cached_property
    def opportunity_by_id(self) -> DataLoader[str, Opportunity | None]:
        return self._by_id(Opportunity)

    @cached_property
    def idea_by_id(self) -> DataLoader[str, Idea | None]:
        return self._by_id(Idea)

    @cached_property
    def okr_by_id(self) -> DataLoader[str, Okr | None]:
        return self._by_id(Okr)

    @cached_property
    def product_by_id(self) -> DataLoader[str, Product | None]:
        return self._by_id(Product)

    @cached_property
    def feature_by_id(self) -> DataLoader[str, ProductFeature | None]:
        return self._by_id(ProductFeature)

    @cached_property
    def account_by_id(self) -> DataLoader[str, Account | None]:
        return self._by_id(Account)

    @cached_property
    def tag_by_id(self) -> DataLoader[str, Tag | None]:
        return self._by_id(Tag)

    @cached_property
    def project_by_id(self) -> DataLoader[str, Project | None]:
        return self._by_id(Project)

    # -- signals ↔ insights, signals ↔ accounts --------------------------------------------
    @cached_property
    def insights_by_signal_id(self) -> DataLoader[str, list[Insight]]:
        return self._linked(links.SIGNAL_INSIGHTS, Insight)

    @cached_property
    def insight_ids_by_signal_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.SIGNAL_INSIGHTS)

    @cached_property
    def signals_by_insight_id(self) -> DataLoader[str, list[Signal]]:
        return self._linked(links.SIGNAL_INSIGHTS.reversed(), Signal)

    @cached_property
    def signal_ids_by_insight_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.SIGNAL_INSIGHTS.reversed())

    @cached_property
    def accounts_by_signal_id(self) -> DataLoader[str, list[Account]]:
        return self._linked(links.SIGNAL_ACCOUNTS, Account)

    @cached_property
    def account_ids_by_signal_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.SIGNAL_ACCOUNTS)

    @cached_property
    def product_ids_by_signal_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.SIGNAL_PRODUCTS)

    @cached_property
    def products_by_signal_id(self) -> DataLoader[str, list[Product]]:
        return self._linked(links.SIGNAL_PRODUCTS, Product)

    @cached_property
    def signals_by_account_id(self) -> DataLoader[str, list[Signal]]:
        return self._linked(links.SIGNAL_ACCOUNTS.reversed(), Signal)

    # -- insights ↔ opportunities ↔ ideas, insights ↔ tags ---------------------------------
    @cached_property
    def opportunities_by_insight_id(self) -> DataLoader[str, list[Opportunity]]:
        return self._linked(links.INSIGHT_OPPORTUNITIES, Opportunity)

    @cached_property
    def opportunity_ids_by_insight_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.INSIGHT_OPPORTUNITIES)

    @cached_property
    def insights_by_opportunity_id(self) -> DataLoader[str, list[Insight]]:
        return self._linked(links.INSIGHT_OPPORTUNITIES.reversed(), Insight)

    @cached_property
    def insight_ids_by_opportunity_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.INSIGHT_OPPORTUNITIES.reversed())

    @cached_property
    def ideas_by_insight_id(self) -> DataLoader[str, list[Idea]]:
        return self._linked(links.INSIGHT_IDEAS, Idea)

    @cached_property
    def idea_ids_by_insight_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.INSIGHT_IDEAS)

    @cached_property
    def insights_by_idea_id(self) -> DataLoader[str, list[Insight]]:
        return self._linked(links.INSIGHT_IDEAS.reversed(), Insight)

    @cached_property
    def insight_ids_by_idea_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.INSIGHT_IDEAS.reversed())

    @cached_property
    def ideas_by_opportunity_id(self) -> DataLoader[str, list[Idea]]:
        return self._linked(links.OPPORTUNITY_IDEAS, Idea)

    @cached_property
    def idea_ids_by_opportunity_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.OPPORTUNITY_IDEAS)

    @cached_property
    def opportunities_by_idea_id(self) -> DataLoader[str, list[Opportunity]]:
        return self._linked(links.OPPORTUNITY_IDEAS.reversed(), Opportunity)

    @cached_property
    def opportunity_ids_by_idea_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.OPPORTUNITY_IDEAS.reversed())

    @cached_property
    def tags_by_insight_id(self) -> DataLoader[str, list[Tag]]:
        return self._linked(links.INSIGHT_TAGS, Tag)

    @cached_property
    def tag_ids_by_insight_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.INSIGHT_TAGS)

    @cached_property
    def insights_by_tag_id(self) -> DataLoader[str, list[Insight]]:
        return self._linked(links.INSIGHT_TAGS.reversed(), Insight)

    # -- OKRs, key results, products, projects --------------------------------------------
    @cached_property
    def key_results_by_okr_id(self) -> DataLoader[str, list[KeyResult]]:
        return self._children(KeyResult, KeyResult.okr_id, KeyResult.position)

    @cached_property
    def products_by_okr_id(self) -> DataLoader[str, list[Product]]:
        return self._linked(links.OKR_PRODUCTS, Product)

    @cached_property
    def product_ids_by_okr_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.OKR_PRODUCTS)

    @cached_property
    def okrs_by_product_id(self) -> DataLoader[str, list[Okr]]:
        return self._linked(links.OKR_PRODUCTS.reversed(), Okr)

    @cached_property
    def projects_by_key_result_id(self) -> DataLoader[str, list[Project]]:
        return self._linked(links.KEY_RESULT_PROJECTS, Project)

    @cached_property
    def project_ids_by_key_result_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.KEY_RESULT_PROJECTS)

    @cached_property
    def key_results_by_project_id(self) -> DataLoader[str, list[KeyResult]]:
        return self._linked(links.KEY_RESULT_PROJECTS.reversed(), KeyResult)

    # -- products: features, personas, questions -----------------------------------------
    @cached_property
    def features_by_product_id(self) -> DataLoader[str, list[ProductFeature]]:
        return self._children(ProductFeature, ProductFeature.product_id, ProductFeature.created_at, ProductFeature.id)

    @cached_property
    def features_by_parent_id(self) -> DataLoader[str, list[ProductFeature]]:
        return self._children(ProductFeature, ProductFeature.parent_id, ProductFeature.created_at, ProductFeature.id)

    @cached_property
    def personas_by_product_id(self) -> DataLoader[str, list[ProductPersona]]:
        return self._children(ProductPersona, ProductPersona.product_id, ProductPersona.created_at, ProductPersona.id)

    @cached_property
    def questions_by_product_id(self) -> DataLoader[str, list[ProductQuestion]]:
        return self._children(
            ProductQuestion, ProductQuestion.product_id, ProductQuestion.created_at, ProductQuestion.id
        )

    # -- accounts: contacts and links ---------------------------------------------------------
    @cached_property
    def contacts_by_account_id(self) -> DataLoader[str, list[Contact]]:
        return self._children(Contact, Contact.account_id, Contact.created_at, Contact.id)

    @cached_property
    def insights_by_account_id(self) -> DataLoader[str, list[Insight]]:
        return self._linked(links.ACCOUNT_INSIGHTS, Insight)

    @cached_property
    def insight_ids_by_account_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.ACCOUNT_INSIGHTS)

    @cached_property
    def account_ids_by_insight_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.ACCOUNT_INSIGHTS.reversed())

    @cached_property
    def accounts_by_insight_id(self) -> DataLoader[str, list[Account]]:
        return self._linked(links.ACCOUNT_INSIGHTS.reversed(), Account)

    @cached_property
    def opportunities_by_account_id(self) -> DataLoader[str, list[Opportunity]]:
        return self._linked(links.ACCOUNT_OPPORTUNITIES, Opportunity)

    @cached_property
    def opportunity_ids_by_account_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.ACCOUNT_OPPORTUNITIES)

    @cached_property
    def accounts_by_opportunity_id(self) -> DataLoader[str, list[Account]]:
        return self._linked(links.ACCOUNT_OPPORTUNITIES.reversed(), Account)

    @cached_property
    def ideas_by_account_id(self) -> DataLoader[str, list[Idea]]:
        return self._linked(links.ACCOUNT_IDEAS, Idea)

    @cached_property
    def idea_ids_by_account_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.ACCOUNT_IDEAS)

    @cached_property
    def accounts_by_idea_id(self) -> DataLoader[str, list[Account]]:
        return self._linked(links.ACCOUNT_IDEAS.reversed(), Account)

    # -- context ---------------------------------------------------------------------------
    @cached_property
    def context_unit_by_id(self) -> DataLoader[str, ContextUnit | None]:
        return self._by_id(ContextUnit)

    @cached_property
    def context_document_by_id(self) -> DataLoader[str, ContextDocument | None]:
        return self._by_id(ContextDocument)

    # -- product metrics -------------------------------------------------------------------
    @cached_property
    def metrics_by_product_id(self) -> DataLoader[str, dict[str, int]]:
        """Every count behind `Product.metrics`, for a whole page of products in one statement."""
        return self._loader(lambda s, keys: products_repo.metric_counts(s, self._workspace_id, keys), dict)

    # -- signal text ---------------------------------------------------------------------
    @cached_property
    def text_by_signal_id(self) -> DataLoader[str, str | None]:
        """The raw text of typed signals from the blob store; a whole page in one statement."""
        return self._loader(lambda s, keys: signals_repo.texts_by_signal_id(s, self._workspace_id, keys), None)

    # -- accounts linked to opportunities and ideas, as ids -------------------------------
    @cached_property
    def account_ids_by_opportunity_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.ACCOUNT_OPPORTUNITIES.reversed())

    @cached_property
    def account_ids_by_idea_id(self) -> DataLoader[str, list[str]]:
        return self._linked_ids(links.ACCOUNT_IDEAS.reversed())
