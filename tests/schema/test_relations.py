"""Has-many relations are connections: a page at a time, batched per level, with keyset cursors."""

from __future__ import annotations

from datetime import timedelta

from signalgraph.storage.models import Insight, InsightTag, Product, Signal, SignalInsight, Tag
from signalgraph.storage.models.base import new_id, utcnow
from tests.sql import bulk_insert, counting_selects

PRODUCT_INSIGHTS = """
query($first: Int, $inner: Int) { products(first: $first) { nodes { id
  insights(first: $inner) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
} } }
"""
PRODUCT_INSIGHTS_IDS = "query($first: Int, $inner: Int) { products(first: $first) { nodes { insights(first: $inner) { nodes { id } } } } }"
SIGNAL_INSIGHTS = """
query($first: Int, $after: String) { signal(publicId: "SIGNAL-1") {
  insightIds
  insights(first: $first, after: $after) {
    totalCount nodes { id } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
} }
"""

TAG_INSIGHTS = """
query($after: String) { tags(first: 1) { nodes {
  insights(first: 100, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } }
} } }
"""


async def seed_products(services, workspace_id: str, products: int, insights_each: int) -> list[str]:
    """`products` products, each with `insights_each` insights created a second apart."""
    now = utcnow()
    async with services.db.write() as session:
        made = [Product(workspace_id=workspace_id, name=f"p{i:03}", description="d") for i in range(products)]
        session.add_all(made)
        await session.flush()
        session.add_all(
            Insight(workspace_id=workspace_id, description=f"{p.name}-{j}", product_id=p.id,
                    created_at=now + timedelta(seconds=j))
            for p in made for j in range(insights_each)
        )
    return [p.id for p in made]


async def seed_signal(services, workspace_id: str, insights: int) -> list[str]:
    """SIGNAL-1 linked to `insights` insights; their ids in the relation's order (oldest first)."""
    now = utcnow()
    async with services.db.write() as session:
        signal = Signal(workspace_id=workspace_id, public_number=1, name="s")
        linked = [Insight(workspace_id=workspace_id, description=f"i{j}", created_at=now + timedelta(seconds=j))
                  for j in range(insights)]
        session.add_all([signal, *linked])
        await session.flush()
        session.add_all(SignalInsight(signal_id=signal.id, insight_id=i.id, workspace_id=workspace_id) for i in linked)
    return [i.id for i in linked]


async def test_nested_pages_cost_a_statement_per_level_whatever_the_page_sizes(api, services, monkeypatch):
    await seed_products(services, api.workspace_id, 25, 12)
    monkeypatch.setattr(services.keys, "seconds", 0)  # the key is read by both requests, not kept by the first

    with counting_selects(services.db.engine) as small:
        await api.ok(PRODUCT_INSIGHTS_IDS, {"first": 2, "inner": 1})
    with counting_selects(services.db.engine) as large:
        data = await api.ok(PRODUCT_INSIGHTS_IDS, {"first": 20, "inner": 10})

    products = data["products"]["nodes"]
    assert len(products) == 20 and all(len(p["insights"]["nodes"]) == 10 for p in products)
    # the products page (no count: totalCount is not asked), one statement for the insights of every product
    # on the page.
    assert len(large) == len(small) <= 2, "\n".join(large)
    assert sum("ROW_NUMBER" in s.upper() for s in large) == 1


async def test_total_count_is_one_more_statement_for_the_whole_page(api, services):
    await seed_products(services, api.workspace_id, 3, 12)

    with counting_selects(services.db.engine) as statements:
        data = await api.ok(PRODUCT_INSIGHTS, {"first": 3, "inner": 5})

    for product in data["products"]["nodes"]:
        page = product["insights"]
        assert page["totalCount"] == 12 and len(page["nodes"]) == 5 and page["pageInfo"]["hasNextPage"]
    assert len(statements) <= 5, "\n".join(statements)


async def test_a_relation_pages_through_every_row_once_in_order(api, services):
    insight_ids = await seed_signal(services, api.workspace_id, 23)

    seen, after, pages = [], None, 0
    while True:
        page = (await api.ok(SIGNAL_INSIGHTS, {"first": 10, "after": after}))["signal"]["insights"]
        assert page["totalCount"] == 23
        assert [e["node"]["id"] for e in page["edges"]] == [n["id"] for n in page["nodes"]]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        seen += [n["id"] for n in page["nodes"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == insight_ids and pages == 3


async def test_a_relation_page_survives_inserts_and_deletes_before_the_cursor(api, services):
    insight_ids = await seed_signal(services, api.workspace_id, 10)
    first = (await api.ok(SIGNAL_INSIGHTS, {"first": 5}))["signal"]["insights"]
    async with services.db.write() as session:
        for id_ in insight_ids[:3]:
            await session.delete(await session.get(Insight, id_))

    rest = (await api.ok(SIGNAL_INSIGHTS, {"first": 10, "after": first["pageInfo"]["endCursor"]}))
    assert [n["id"] for n in rest["signal"]["insights"]["nodes"]] == insight_ids[5:]


async def test_the_id_list_stays_the_whole_list(api, services):
    insight_ids = await seed_signal(services, api.workspace_id, 30)
    signal = (await api.ok(SIGNAL_INSIGHTS, {"first": 2}))["signal"]
    assert sorted(signal["insightIds"]) == sorted(insight_ids) and len(signal["insights"]["nodes"]) == 2


async def test_page_arguments_are_checked(api, services):
    await seed_signal(services, api.workspace_id, 1)
    for variables, field in [
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"after": "not a cursor"}, "after"),
        ({"after": "azpbMV0="}, "after"),  # k:[1]: a sort key of the wrong shape
    ]:
        error = await api.error(SIGNAL_INSIGHTS, {**variables})
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and field in error["message"], error


async def seed_tag(services, workspace_id: str, links: int) -> list[str]:
    """One tag on `links` insights, inserted in bulk (COPY or Core, not ORM objects); their ids oldest first."""
    now = utcnow()
    rows = [
        {"id": new_id(), "workspace_id": workspace_id, "description": f"i{j}", "status": "draft",
         "external_links": [], "created_at": now + timedelta(seconds=j), "updated_at": now}
        for j in range(links)
    ]
    async with services.db.write() as session:
        tag = Tag(workspace_id=workspace_id, name="everywhere")
        session.add(tag)
        await session.flush()
        await bulk_insert(session, Insight, rows)
        await bulk_insert(
            session, InsightTag, [{"insight_id": r["id"], "tag_id": tag.id, "workspace_id": workspace_id} for r in rows]
        )
    return [r["id"] for r in rows]


async def test_a_tag_on_50000_insights_is_served_a_page_at_a_time(http_api, services):
    # given one tag linked to 50,000 insights
    insight_ids = await seed_tag(services, http_api.workspace_id, 50_000)

    # when a client asks for the tag's insights over HTTP, then follows the cursor twice
    pages, sizes, after = [], [], None
    for _ in range(3):
        response = await http_api.http.post(
            "/graphql", json={"query": TAG_INSIGHTS, "variables": {"after": after}}, headers=http_api.headers
        )
        sizes.append(len(response.content))
        page = response.json()["data"]["tags"]["nodes"][0]["insights"]
        pages.append(page)
        after = page["pageInfo"]["endCursor"]

    # then each answer is one page of 100 (a few kilobytes, not 50,000 items), in order, the count exact
    assert all(p["totalCount"] == 50_000 and p["pageInfo"]["hasNextPage"] for p in pages)
    assert [n["id"] for p in pages for n in p["nodes"]] == insight_ids[:300]
    assert max(sizes) < 20_000, sizes
    # and a page larger than the bound is refused rather than served
    too_big = await http_api.graphql(TAG_INSIGHTS.replace("first: 100", "first: 101"))
    assert too_big["data"] == {"tags": {"nodes": [{"insights": None}]}}  # a tag's fields may fail alone
    assert [(e["path"], e["extensions"]["field"]) for e in too_big["errors"]] == [(["tags", "nodes", 0, "insights"], "first")]
