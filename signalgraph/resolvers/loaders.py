"""Per-request DataLoaders, one per access path, named `<thing>_by_<key>`, declared one line each.

Each batch runs one statement on the request's read session (`Context.read`: batches take turns on one
connection), so a nested query costs one statement per level whatever the page sizes. Loaders
are built per request and bound to the caller's workspace: never keep one across requests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, TypeVar, overload

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

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
from ..storage.repositories import insights as insights_repo
from ..storage.repositories import links
from ..storage.repositories import products as products_repo
from ..storage.repositories import signals as signals_repo
from ..storage.repositories.base import Link, Related

V = TypeVar("V")
M = TypeVar("M")
# One batch: (session, workspace, keys) → the values found, by key.
Fetch = Callable[[AsyncSession, str, list[str]], Awaitable[dict[str, Any]]]


class Loader(Generic[V]):
    """A loader declared on `Loaders`: built on first use in a request, then the same for that request."""

    def __init__(self, fetch: Fetch, default: Callable[[], Any] = lambda: None, related: Related | None = None):
        self.fetch = fetch
        self.default = default
        self.related = related  # a has-many relation, which `Loaders.page` also reads a page at a time

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, loaders: None, owner: type) -> Loader[V]: ...
    @overload
    def __get__(self, loaders: Loaders, owner: type) -> DataLoader[str, V]: ...
    def __get__(self, loaders: Loaders | None, owner: type) -> Loader[V] | DataLoader[str, V]:
        if loaders is None:
            return self
        built = loaders.__dict__.get(self.name)
        if built is None:
            built = loaders.__dict__[self.name] = loaders.build(self)
        return built


def by_id(model: type[M]) -> Loader[M | None]:
    return Loader(lambda s, ws, keys: repo.read_by_ids(s, model, ws, keys))


def linked(link: Link, target: type[M]) -> Loader[list[M]]:
    related = Related(target, link=link)  # type: ignore[arg-type]
    return Loader(lambda s, ws, keys: repo.linked_rows(s, link, target, ws, keys), list, related)


def linked_ids(link: Link) -> Loader[list[str]]:
    return Loader(lambda s, ws, keys: repo.linked_ids(s, link, ws, keys), list)


def by_parent(model: type[M], column: str) -> Loader[list[M]]:
    """A has-many relation by a foreign key of the target (insights by product id), oldest first."""
    table: Any = model
    key, order = getattr(table, column), (table.created_at, table.id)
    return Loader(lambda s, ws, keys: repo.read_by_key(s, model, key, ws, keys, order), list, Related(table, column=column))


def children(model: type[M], key: Any, *order_by: Any) -> Loader[list[M]]:
    """Rows by their parent's id (`key`), oldest first unless `order_by` says otherwise."""
    table: Any = model
    order = order_by or (table.created_at, table.id)
    return Loader(lambda s, ws, keys: repo.read_by_key(s, model, key, ws, keys, order), list)


NOT_LOADED: Any = object()


def ready(loader: DataLoader[str, V], key: str) -> V:
    """The loader's value for `key` when it has it already (loaded, not failed), else NOT_LOADED; asks for
    nothing."""
    future = loader.cache_map.get(key) if loader.cache else None
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return NOT_LOADED


def loaded(loader: DataLoader[str, V], key: str) -> V | Awaitable[V]:
    """The value at once when the loader has it already (loaded for the whole page before), else its
    future: a value lets graphql-core complete the field without an asyncio task."""
    value = ready(loader, key)
    return loader.load(key) if value is NOT_LOADED else value


async def load_ahead(loader: DataLoader[str, V], keys: Iterable[str]) -> list[V]:
    """What `load_many(keys)` answers, for a whole page at once, without its bookkeeping: the keys the loader
    lacks go to its batch function in one call and their values are primed (a done future each), where
    `load_many` made a pending future per key with two callbacks, a batch task and a gather (a tenth of
    REST's insights page). A failed call leaves the failed future under each key, as a failed batch does:
    every field that reads one raises at its own path."""
    keys = list(keys)
    cache = loader.cache_map
    missing = [key for key in dict.fromkeys(keys) if (known := cache.get(key)) is None or known.cancelled()]
    if missing:
        try:
            values: list[Any] = list(await loader.load_fn(missing))
        except Exception as exc:
            for key in missing:
                failed = loader.loop.create_future()
                failed.set_exception(exc)
                failed.exception()  # retrieved: it is raised where it is read, not logged as forgotten
                cache.set(key, failed)
            raise
        loader.prime_many(dict(zip(missing, values, strict=True)), force=True)
    return [await future for future in map(cache.get, keys)]  # type: ignore[misc]


class Loaders:
    def __init__(self, read: Callable[[], AbstractAsyncContextManager[AsyncSession]], workspace_id: str):
        self._read = read
        self._workspace_id = workspace_id
        self._pages: dict[tuple[Any, ...], DataLoader[str, Any]] = {}

    def build(self, loader: Loader[V]) -> DataLoader[str, V]:
        async def load(keys: list[str]) -> list[Any]:
            async with self._read() as session:
                found = await loader.fetch(session, self._workspace_id, keys)
            return [found[key] if key in found else loader.default() for key in keys]

        return DataLoader(load_fn=load)

    def page(
        self, relation: str, limit: int, after: tuple[Any, ...] | None, columns: frozenset[str] | None = None
    ) -> DataLoader[str, list[Any]]:
        """One page of the has-many relation `relation` (the name of its list loader) for every parent that
        asks for the same page: (sort key, row) pairs, up to `limit + 1` of them; rows of only `columns`
        (and their sort key) when given, all columns when None."""
        related = self._related(relation)
        key = ("page", relation, limit, after, columns)
        if key not in self._pages:
            self._pages[key] = self.build(
                Loader(lambda s, ws, keys: repo.related_page(s, related, ws, keys, limit=limit, after=after, columns=columns), list)
            )
        return self._pages[key]

    def count(self, relation: str) -> DataLoader[str, int]:
        """How many rows each parent has in the relation `relation`."""
        related = self._related(relation)
        key = ("count", relation)
        if key not in self._pages:
            self._pages[key] = self.build(Loader(lambda s, ws, keys: repo.related_counts(s, related, ws, keys), int))
        return self._pages[key]

    def page_key(self, relation: str, values: list[Any]) -> tuple[Any, ...]:
        """A cursor's sort key, typed for the relation's sort columns (InvalidInput naming `after`)."""
        related = self._related(relation)
        return repo.keyset_values(related.parts(self._workspace_id)[2], values, "after")

    def _related(self, relation: str) -> Related:
        declared = getattr(type(self), relation)
        assert isinstance(declared, Loader) and declared.related is not None, f"{relation} is no has-many relation"
        return declared.related

    # In alphabetical order. by_id: one row by id; linked: the rows linked to each key through a link table;
    # linked_ids: their ids (the REST contract's id lists); children: child rows by their parent's id.
    account_by_id = by_id(Account)
    account_ids_by_idea_id = linked_ids(links.ACCOUNT_IDEAS.reversed())
    account_ids_by_insight_id = linked_ids(links.ACCOUNT_INSIGHTS.reversed())
    account_ids_by_opportunity_id = linked_ids(links.ACCOUNT_OPPORTUNITIES.reversed())
    account_ids_by_signal_id = linked_ids(links.SIGNAL_ACCOUNTS)
    accounts_by_idea_id = linked(links.ACCOUNT_IDEAS.reversed(), Account)
    accounts_by_insight_id = linked(links.ACCOUNT_INSIGHTS.reversed(), Account)
    accounts_by_opportunity_id = linked(links.ACCOUNT_OPPORTUNITIES.reversed(), Account)
    accounts_by_signal_id = linked(links.SIGNAL_ACCOUNTS, Account)
    contacts_by_account_id = children(Contact, Contact.account_id)
    context_document_by_id = by_id(ContextDocument)
    context_unit_by_id = by_id(ContextUnit)
    feature_by_id = by_id(ProductFeature)
    features_by_parent_id = children(ProductFeature, ProductFeature.parent_id)
    features_by_product_id = children(ProductFeature, ProductFeature.product_id)
    idea_by_id = by_id(Idea)
    idea_ids_by_account_id = linked_ids(links.ACCOUNT_IDEAS)
    idea_ids_by_insight_id = linked_ids(links.INSIGHT_IDEAS)
    idea_ids_by_opportunity_id = linked_ids(links.OPPORTUNITY_IDEAS)
    ideas_by_account_id = linked(links.ACCOUNT_IDEAS, Idea)
    ideas_by_insight_id = linked(links.INSIGHT_IDEAS, Idea)
    ideas_by_opportunity_id = linked(links.OPPORTUNITY_IDEAS, Idea)
    insight_by_id = by_id(Insight)
    insight_ids_by_account_id = linked_ids(links.ACCOUNT_INSIGHTS)
    insight_ids_by_idea_id = linked_ids(links.INSIGHT_IDEAS.reversed())
    insight_ids_by_opportunity_id = linked_ids(links.INSIGHT_OPPORTUNITIES.reversed())
    insight_ids_by_signal_id = linked_ids(links.SIGNAL_INSIGHTS)
    insights_by_account_id = linked(links.ACCOUNT_INSIGHTS, Insight)
    insights_by_idea_id = linked(links.INSIGHT_IDEAS.reversed(), Insight)
    insights_by_opportunity_id = linked(links.INSIGHT_OPPORTUNITIES.reversed(), Insight)
    insights_by_product_id = by_parent(Insight, "product_id")
    insights_by_signal_id = linked(links.SIGNAL_INSIGHTS, Insight)
    insights_by_tag_id = linked(links.INSIGHT_TAGS.reversed(), Insight)
    key_results_by_okr_id = children(KeyResult, KeyResult.okr_id, KeyResult.position)
    key_results_by_project_id = linked(links.KEY_RESULT_PROJECTS.reversed(), KeyResult)
    okr_by_id = by_id(Okr)
    okrs_by_product_id = linked(links.OKR_PRODUCTS.reversed(), Okr)
    opportunities_by_account_id = linked(links.ACCOUNT_OPPORTUNITIES, Opportunity)
    opportunities_by_idea_id = linked(links.OPPORTUNITY_IDEAS.reversed(), Opportunity)
    opportunities_by_insight_id = linked(links.INSIGHT_OPPORTUNITIES, Opportunity)
    opportunity_by_id = by_id(Opportunity)
    opportunity_ids_by_account_id = linked_ids(links.ACCOUNT_OPPORTUNITIES)
    opportunity_ids_by_idea_id = linked_ids(links.OPPORTUNITY_IDEAS.reversed())
    opportunity_ids_by_insight_id = linked_ids(links.INSIGHT_OPPORTUNITIES)
    personas_by_product_id = children(ProductPersona, ProductPersona.product_id)
    product_by_id = by_id(Product)
    product_ids_by_okr_id = linked_ids(links.OKR_PRODUCTS)
    product_ids_by_signal_id = linked_ids(links.SIGNAL_PRODUCTS)
    products_by_okr_id = linked(links.OKR_PRODUCTS, Product)
    products_by_signal_id = linked(links.SIGNAL_PRODUCTS, Product)
    project_by_id = by_id(Project)
    project_ids_by_key_result_id = linked_ids(links.KEY_RESULT_PROJECTS)
    projects_by_key_result_id = linked(links.KEY_RESULT_PROJECTS, Project)
    questions_by_product_id = children(ProductQuestion, ProductQuestion.product_id)
    signal_by_id = by_id(Signal)
    signal_ids_by_insight_id = linked_ids(links.SIGNAL_INSIGHTS.reversed())
    signals_by_account_id = linked(links.SIGNAL_ACCOUNTS.reversed(), Signal)
    signals_by_insight_id = linked(links.SIGNAL_INSIGHTS.reversed(), Signal)
    tag_by_id = by_id(Tag)
    tag_ids_by_insight_id = linked_ids(links.INSIGHT_TAGS)
    tags_by_insight_id = linked(links.INSIGHT_TAGS, Tag)

    # Every count behind `Product.metrics`; the raw text of typed signals (in the blob store); the sources an
    # extracted insight gathers (its `provenance.sources`).
    metrics_by_product_id: Loader[dict[str, int]] = Loader(products_repo.metric_counts, dict)
    text_by_signal_id: Loader[str | None] = Loader(signals_repo.texts_by_signal_id)
    sources_by_insight_id: Loader[list[dict[str, Any]]] = Loader(insights_repo.sources_by_insight_id, list)
