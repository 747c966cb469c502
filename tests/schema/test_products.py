"""Products through /graphql: create, read, list, update, delete, metrics, the portfolio summary; validation,
scopes, isolation. Features, personas and questions are in test_product_features.py."""

from __future__ import annotations

from datetime import timedelta

from signalgraph.storage.models import Idea, Okr, OkrProduct, Opportunity, Signal, SignalProduct
from signalgraph.storage.models.base import utcnow
from tests.factories import create_insight, create_product
from tests.sql import counting_selects

PRODUCT = """
query($id: ID!) { product(id: $id) {
  id workspaceId name description descriptionAnalysis type stack mission externalId kpis techStack analysis
  createdAt updatedAt
  features { name description parentId productId }
  personas { name description goals painPoints useCases productId }
} }
"""
PRODUCTS = """
query($first: Int, $after: String, $offset: Int, $filter: ProductFilter) {
  products(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
CREATE = "mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id name externalId } } }"
UPDATE = """
mutation($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { product {
    id name description externalId mission kpis type stack techStack updatedAt
  } }
}
"""
DELETE = "mutation($id: ID!) { deleteProduct(id: $id) { deletedId message } }"
METRIC_FIELDS = "insights ideas opportunities signals contextPersonas contextFeatureMapNodes initiativesTotal"
PRODUCT_METRICS = f"query($id: ID!) {{ productMetrics(id: $id) {{ {METRIC_FIELDS} }} }}"
PRODUCTS_WITH_METRICS = (
    f"query($first: Int) {{ products(first: $first) {{ nodes {{ id metrics {{ {METRIC_FIELDS} }} }} }} }}"
)
PORTFOLIO = "{ portfolioSummary { products { id name } metrics meta { signalsLookbackDays } } }"
FEATURES = "query($p: ID!) { productFeatures(productId: $p) { id } }"
MISSING = "00000000-0000-0000-0000-000000000000"

FULL_INPUT = {
    "name": "Zentrik Discovery",
    "description": "AI-assisted discovery workspace for product teams.",
    "externalId": "prd-discovery",
    "type": "SaaS",
    "stack": "NestJS, React, PostgreSQL",
    "mission": "Preserve customer intent from signal to roadmap.",
    "kpis": ["Reduce insight review time", "Increase evidence coverage"],
    "techStack": [{"name": "PostgreSQL", "roles": ["Backend Engineer"]}],
    "features": [{"name": "Signal intake", "description": "Bring customer evidence into Discovery."}],
    "personas": [{"name": "Product Manager", "description": "Owns discovery synthesis.", "goals": ["Ship"]}],
}


async def test_create_then_read_returns_every_field_with_initial_features_and_personas(api):
    created = (await api.ok(CREATE, {"input": FULL_INPUT}))["createProduct"]["product"]
    product = (await api.ok(PRODUCT, {"id": created["id"]}))["product"]
    assert product["workspaceId"] == api.workspace_id
    for field in ("name", "description", "externalId", "type", "stack", "mission", "kpis", "techStack"):
        assert product[field] == FULL_INPUT[field], field
    assert product["analysis"] == {} and product["descriptionAnalysis"] is None
    assert product["features"] == [
        {
            "name": "Signal intake",
            "description": "Bring customer evidence into Discovery.",
            "parentId": None,
            "productId": created["id"],
        }
    ]
    assert product["personas"] == [
        {
            "name": "Product Manager",
            "description": "Owns discovery synthesis.",
            "goals": ["Ship"],
            "painPoints": [],
            "useCases": [],
            "productId": created["id"],
        }
    ]
    assert product["createdAt"].endswith("Z")


async def test_optional_fields_default_to_empty(api):
    created = await create_product(api, name="Bare", description="d")
    product = (await api.ok(PRODUCT, {"id": created["id"]}))["product"]
    assert product["externalId"] is None and product["mission"] is None and product["type"] is None
    assert product["kpis"] == [] and product["techStack"] == [] and product["features"] == []


async def test_duplicate_external_id_is_a_conflict_on_create_and_update(api, make_api):
    await create_product(api, externalId="prd-1")
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", "externalId": "prd-1"}})
    assert error["extensions"] == {"code": "CONFLICT", "field": "externalId"}
    other = await create_product(api, externalId="prd-2")
    error = await api.error(UPDATE, {"id": other["id"], "input": {"externalId": "prd-1"}})
    assert error["extensions"] == {"code": "CONFLICT", "field": "externalId"}
    same = (await api.ok(UPDATE, {"id": other["id"], "input": {"externalId": "prd-2"}}))["updateProduct"]["product"]
    assert same["externalId"] == "prd-2"
    elsewhere = await make_api()
    assert (await create_product(elsewhere, externalId="prd-1"))["externalId"] == "prd-1"


async def test_cleared_external_id_can_be_taken_by_another_product(api):
    first = await create_product(api, externalId="prd-x")
    cleared = (await api.ok(UPDATE, {"id": first["id"], "input": {"externalId": None}}))["updateProduct"]["product"]
    assert cleared["externalId"] is None
    assert (await create_product(api, externalId="prd-x"))["externalId"] == "prd-x"


async def test_update_changes_only_sent_fields_and_clears_what_may_be_cleared(api):
    created = (await api.ok(CREATE, {"input": FULL_INPUT}))["createProduct"]["product"]
    renamed = (await api.ok(UPDATE, {"id": created["id"], "input": {"name": "Renamed"}}))["updateProduct"]["product"]
    assert renamed["name"] == "Renamed"
    assert renamed["mission"] == FULL_INPUT["mission"] and renamed["kpis"] == FULL_INPUT["kpis"]
    changes = {
        "mission": None,
        "kpis": None,
        "techStack": [{"name": "Redis"}],
        "type": "Platform",
        "stack": None,
    }
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": changes}))["updateProduct"]["product"]
    assert updated["mission"] is None and updated["kpis"] == [] and updated["stack"] is None
    assert updated["techStack"] == [{"name": "Redis", "roles": []}] and updated["type"] == "Platform"
    assert updated["updatedAt"] >= renamed["updatedAt"]


async def test_update_refuses_null_name_or_description(api):
    created = await create_product(api)
    for field in ("name", "description"):
        error = await api.error(UPDATE, {"id": created["id"], "input": {field: None}})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_update_refuses_nested_features_personas_and_questions(api):
    created = await create_product(api)
    for field in ("features", "personas", "questions"):
        error = await api.error(UPDATE, {"id": created["id"], "input": {field: []}})
        assert error["extensions"]["code"] == "BAD_USER_INPUT" and field in error["message"]


async def test_validation_names_the_field(api):
    cases = [
        ({"name": " ", "description": "d"}, "name"),
        ({"name": "n", "description": ""}, "description"),
        ({"name": "n", "description": "d", "externalId": ""}, "externalId"),
        ({"name": "n", "description": "d", "techStack": {"name": "x"}}, "techStack"),
        ({"name": "n", "description": "d", "techStack": [{"roles": ["x"]}]}, "techStack"),
        ({"name": "n", "description": "d", "techStack": [{"name": "x", "roles": "dev"}]}, "techStack"),
        ({"name": "n", "description": "d", "techStack": [{"name": "x", "level": 3}]}, "techStack"),
        ({"name": "n", "description": "d", "features": [{"name": "f", "description": " "}]}, "features.description"),
        ({"name": "n", "description": "d", "personas": [{"name": "", "description": "p"}]}, "personas.name"),
    ]
    for product_input, field in cases:
        error = await api.error(CREATE, {"input": product_input})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}, product_input


async def test_initial_features_cannot_name_a_parent(api):
    feature = {"name": "Child", "description": "d", "parentId": MISSING}
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", "features": [feature]}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "features"}
    assert (await api.ok(PRODUCTS))["products"]["totalCount"] == 0


async def test_list_pages_newest_first_with_cursors_and_offset(api):
    ids = [(await create_product(api, name=f"p{i}"))["id"] for i in range(5)]
    first = (await api.ok(PRODUCTS, {"first": 2}))["products"]
    assert first["totalCount"] == 5 and [n["id"] for n in first["nodes"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    second = (await api.ok(PRODUCTS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))["products"]
    assert [n["id"] for n in second["nodes"]] == ids[::-1][2:4]
    last = (await api.ok(PRODUCTS, {"first": 10, "offset": 4}))["products"]
    assert [n["id"] for n in last["nodes"]] == [ids[0]] and last["pageInfo"]["hasNextPage"] is False


async def test_list_filters(api):
    await create_product(
        api, name="Billing", description="Invoices and plans", type="SaaS", externalId="prd-bill"
    )
    await create_product(api, name="Mobile", description="The iOS app", type="App", externalId="prd-mobile")

    async def names(filter_):
        return [n["name"] for n in (await api.ok(PRODUCTS, {"filter": filter_}))["products"]["nodes"]]

    assert await names({"search": "INVOICE"}) == ["Billing"]
    assert await names({"search": "app"}) == ["Mobile"]
    assert await names({"search": "PRD-MOB"}) == ["Mobile"]
    assert await names({"name": "Billing"}) == ["Billing"]
    assert await names({"name": "Bill"}) == []
    assert await names({"externalId": "prd-bill"}) == ["Billing"]
    assert await names({"updatedSince": "2999-01-01T00:00:00Z"}) == []
    assert sorted(await names({"updatedSince": "2000-01-01T00:00:00Z"})) == ["Billing", "Mobile"]


async def test_delete_removes_the_product_and_its_features_but_unlinks_insights(api):
    created = (await api.ok(CREATE, {"input": FULL_INPUT}))["createProduct"]["product"]
    insight = await create_insight(api, description="d", productId=created["id"])
    assert (await api.ok(DELETE, {"id": created["id"]}))["deleteProduct"] == {
        "deletedId": created["id"],
        "message": "Deleted",
    }
    assert (await api.ok(PRODUCT, {"id": created["id"]}))["product"] is None
    assert await api.error_code(FEATURES, {"p": created["id"]}) == "NOT_FOUND"
    still = (await api.ok("query($id: ID!) { insight(id: $id) { productId } }", {"id": insight["id"]}))[
        "insight"
    ]
    assert still == {"productId": None}
    assert await api.error_code(DELETE, {"id": created["id"]}) == "NOT_FOUND"


async def test_update_missing_product_is_not_found(api):
    assert await api.error_code(UPDATE, {"id": MISSING, "input": {"name": "x"}}) == "NOT_FOUND"


async def seed_counts(services, workspace_id: str, product_id: str, *, old_signals: int = 0) -> None:
    """2 ideas, 1 opportunity, 3 recent signals (+ `old_signals` from 10 days ago), 2 OKRs for the product."""
    now = utcnow()
    async with services.db.write() as session:
        session.add_all(
            [
                Idea(workspace_id=workspace_id, name=f"idea {i}", description="d", product_id=product_id)
                for i in range(2)
            ]
        )
        session.add(
            Opportunity(workspace_id=workspace_id, name="opp", description="d", product_id=product_id)
        )
        signals = [
            Signal(
                workspace_id=workspace_id,
                public_number=n + 1,
                name=f"s{n}",
                created_at=now - timedelta(days=10) if n < old_signals else now,
            )
            for n in range(3 + old_signals)
        ]
        okrs = [Okr(workspace_id=workspace_id, objective=f"o{i}") for i in range(2)]
        session.add_all([*signals, *okrs])
        await session.flush()
        session.add_all(
            SignalProduct(signal_id=s.id, product_id=product_id, workspace_id=workspace_id) for s in signals
        )
        session.add_all(
            OkrProduct(okr_id=o.id, product_id=product_id, workspace_id=workspace_id) for o in okrs
        )


async def test_metrics_count_what_links_to_the_product(api, services):
    product = (await api.ok(CREATE, {"input": FULL_INPUT}))["createProduct"]["product"]
    empty = await create_product(api, name="Empty")
    await create_insight(api, description="d", productId=product["id"])
    await seed_counts(services, api.workspace_id, product["id"], old_signals=1)

    metrics = (await api.ok(PRODUCT_METRICS, {"id": product["id"]}))["productMetrics"]
    assert metrics == {
        "insights": 1,
        "ideas": 2,
        "opportunities": 1,
        "signals": 4,
        "contextPersonas": 1,
        "contextFeatureMapNodes": 1,
        "initiativesTotal": 2,
    }
    nodes = {n["id"]: n["metrics"] for n in (await api.ok(PRODUCTS_WITH_METRICS))["products"]["nodes"]}
    assert nodes[product["id"]] == metrics
    assert set(nodes[empty["id"]].values()) == {0}


async def test_product_metrics_of_a_missing_product_is_not_found(api):
    assert await api.error_code(PRODUCT_METRICS, {"id": MISSING}) == "NOT_FOUND"


async def test_metrics_of_a_page_cost_the_same_few_statements_whatever_its_size(api, services):
    for i in range(100):
        await create_product(api, name=f"p{i:03}")

    with counting_selects(services.db.engine) as small:
        await api.ok(PRODUCTS_WITH_METRICS, {"first": 3})
    with counting_selects(services.db.engine) as large:
        data = await api.ok(PRODUCTS_WITH_METRICS, {"first": 100})

    assert len(data["products"]["nodes"]) == 100
    # products count + page, then one statement for every metric of every product.
    assert len(large) == len(small) <= 3, "\n".join(large)


async def test_portfolio_summary_lists_products_by_name_with_recent_signal_counts(api, services):
    zeta = await create_product(api, name="Zeta")
    alpha = await create_product(api, name="alpha")
    await create_insight(api, description="d", productId=zeta["id"])
    await seed_counts(services, api.workspace_id, zeta["id"], old_signals=2)

    summary = (await api.ok(PORTFOLIO))["portfolioSummary"]
    assert [p["name"] for p in summary["products"]] == ["alpha", "Zeta"]
    assert summary["metrics"] == {
        zeta["id"]: {"insights": 1, "ideas": 2, "opportunities": 1, "signals": 3},
        alpha["id"]: {"insights": 0, "ideas": 0, "opportunities": 0, "signals": 0},
    }
    assert summary["meta"] == {"signalsLookbackDays": 7}
    assert (await api.ok(PRODUCT_METRICS, {"id": zeta["id"]}))["productMetrics"]["signals"] == 5


async def test_scopes_guard_read_write_delete(make_api):
    reader = await make_api(scopes=["products:read"])
    assert await reader.error_code(CREATE, {"input": {"name": "n", "description": "d"}}) == "FORBIDDEN"
    writer = await make_api(scopes=["products:write"], workspace=reader.workspace)
    created = await create_product(writer)
    error = await writer.error(PRODUCT, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "products:read" in error["message"]
    assert await writer.error_code(PORTFOLIO) == "FORBIDDEN"
    assert await writer.error_code(DELETE, {"id": created["id"]}) == "FORBIDDEN"
    deleter = await make_api(scopes=["products:delete"], workspace=reader.workspace)
    assert (await deleter.ok(DELETE, {"id": created["id"]}))["deleteProduct"]["deletedId"] == created["id"]
    assert (await reader.ok(PRODUCT, {"id": created["id"]}))["product"] is None


async def test_other_workspace_cannot_see_or_change_the_product(make_api):
    alice = await make_api()
    bob = await make_api()
    secret = await create_product(alice, name="Secret")
    assert (await bob.ok(PRODUCT, {"id": secret["id"]}))["product"] is None
    assert (await bob.ok(PRODUCTS))["products"]["totalCount"] == 0
    assert (await bob.ok(PORTFOLIO))["portfolioSummary"] == {
        "products": [],
        "metrics": {},
        "meta": {"signalsLookbackDays": 7},
    }
    assert await bob.error_code(PRODUCT_METRICS, {"id": secret["id"]}) == "NOT_FOUND"
    assert await bob.error_code(UPDATE, {"id": secret["id"], "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"id": secret["id"]}) == "NOT_FOUND"
    error = await bob.error(
        'mutation($p: ID) { createInsight(input: {description: "d", productId: $p}) { insight { id } } }',
        {"p": secret["id"]},
    )
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "productId"}
    assert (await alice.ok(PRODUCT, {"id": secret["id"]}))["product"]["name"] == "Secret"
