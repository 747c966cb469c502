"""Product analysis: what a description says and lacks, and the clarification questions it leaves."""

from __future__ import annotations

from signalgraph.processing.product_analysis import ProductFacts, analyse

PRODUCT = """
query($id: ID!) { product(id: $id) { descriptionAnalysis questions { topic question status answer } } }
"""
CREATE = """
mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id descriptionAnalysis } } }
"""
UPDATE = "mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { product { id } } }"
RICH = (
    "Fleetline helps dispatch managers plan delivery routes so that every truck leaves on time. "
    "It offers route planning, live tracking and CSV exports. We measure on-time rate and weekly retention."
)


def facts(**fields) -> ProductFacts:
    return ProductFacts(**{"name": "Fleetline", "description": "", "mission": None, "kpis": [], "personas": [],
                           "features": [], **fields})


def test_a_rich_description_covers_every_topic_but_unmapped_features():
    analysis = analyse(facts(description=RICH, features=["Route planning", "Live tracking"]))

    assert analysis.summary.startswith("Fleetline helps dispatch managers plan delivery routes")
    assert analysis.mission == analysis.summary
    assert analysis.kpis == ["on-time rate", "retention"]
    assert analysis.personas == ["dispatch managers"]
    assert analysis.features_present == ["Route planning", "Live tracking"]
    assert analysis.features_missing == ["CSV exports"]
    assert list(analysis.questions) == ["features"]
    assert "mentions CSV exports, which its feature map does not list" in analysis.questions["features"]


def test_a_bare_description_asks_about_every_topic():
    analysis = analyse(facts(description="A tool."))

    assert analysis.mission is None and analysis.kpis == analysis.personas == []
    assert sorted(analysis.questions) == ["features", "kpis", "mission", "personas"]
    assert analysis.questions["mission"].startswith("What is Fleetline's mission")


def test_the_products_own_fields_count_first():
    analysis = analyse(facts(description="A tool.", mission="Trucks on time.", kpis=["NPS"], personas=["Dispatcher"],
                             features=["Maps"]))

    assert (analysis.mission, analysis.kpis, analysis.personas) == ("Trucks on time.", ["NPS"], ["Dispatcher"])
    assert analysis.questions == {}


async def read(api, product_id):
    return (await api.ok(PRODUCT, {"id": product_id}))["product"]


async def test_creating_a_product_analyses_it_and_writes_questions(api, services):
    created = (await api.ok(CREATE, {"input": {"name": "Fleetline", "description": "A tool."}}))["createProduct"]["product"]
    assert created["descriptionAnalysis"] is None
    await services.queue.drain()

    product = await read(api, created["id"])

    analysis = product["descriptionAnalysis"]
    assert analysis["summary"] == "A tool." and analysis["missing"] == ["features", "kpis", "mission", "personas"]
    assert analysis["analyzer"] == "local" and analysis["analyzedAt"].endswith("Z")
    assert sorted(q["topic"] for q in product["questions"]) == ["features", "kpis", "mission", "personas"]
    assert {q["status"] for q in product["questions"]} == {"open"}


async def test_covering_topics_removes_their_questions_and_running_again_duplicates_nothing(api, services):
    created = (await api.ok(CREATE, {"input": {
        "name": "Fleetline", "description": "A tool.", "features": [{"name": "Route planning", "description": "x"}],
    }}))["createProduct"]["product"]
    await services.queue.drain()

    await api.ok(UPDATE, {"id": created["id"], "input": {"description": RICH}})
    await services.queue.drain()
    await api.ok(UPDATE, {"id": created["id"], "input": {"description": RICH + " "}})
    await services.queue.drain()

    product = await read(api, created["id"])
    assert [q["topic"] for q in product["questions"]] == ["features"]
    assert "live tracking, CSV exports" in product["questions"][0]["question"]
    assert product["descriptionAnalysis"]["features"] == {
        "present": ["Route planning"], "missing": ["live tracking", "CSV exports"]
    }


async def test_adding_and_removing_personas_and_features_re_asks_only_what_is_missing(api, services):
    created = (await api.ok(CREATE, {"input": {"name": "Fleetline", "description": "A tool.", "mission": "On time.",
                                               "kpis": ["NPS"]}}))["createProduct"]["product"]
    await services.queue.drain()
    assert sorted(q["topic"] for q in (await read(api, created["id"]))["questions"]) == ["features", "personas"]

    persona = (await api.ok(
        "mutation($p: ID!) { createProductPersona(productId: $p, input: {name: \"Dispatcher\", description: \"d\"}) "
        "{ productPersona { id } } }", {"p": created["id"]},
    ))["createProductPersona"]["productPersona"]
    await api.ok(
        "mutation($p: ID!) { createProductFeature(productId: $p, input: {name: \"Maps\", description: \"m\"}) { productFeature { id } } }",
        {"p": created["id"]},
    )
    await services.queue.drain()
    product = await read(api, created["id"])
    assert product["questions"] == [] and product["descriptionAnalysis"]["personas"] == ["Dispatcher"]

    await api.ok("mutation($p: ID!, $id: ID!) { deleteProductPersona(productId: $p, id: $id) { deletedId } }",
                 {"p": created["id"], "id": persona["id"]})
    await services.queue.drain()
    assert [q["topic"] for q in (await read(api, created["id"]))["questions"]] == ["personas"]
