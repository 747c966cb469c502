"""Products, features, personas, questions, metrics and the portfolio summary over REST."""

from __future__ import annotations

import asyncio

from tests.rest_compat import given
from tests.rest_compat.reference import assert_keys, assert_list_headers, example, url

LIST, ONE = "/external/v1/products", "/external/v1/products/:id"
SUMMARY, METRICS = "/external/v1/products/portfolio-summary", "/external/v1/products/:id/metrics"
FEATURES, FEATURE = "/external/v1/products/:id/features", "/external/v1/products/:id/features/:featureId"
PERSONAS, PERSONA = "/external/v1/products/:id/personas", "/external/v1/products/:id/personas/:personaId"
QUESTIONS, QUESTION = "/external/v1/products/:id/questions", "/external/v1/products/:id/questions/:questionId"
PRODUCT_KEYS = example("POST", LIST)["exampleResponse"]
QUESTION_KEYS = ("id", "productId", "topic", "question", "status", "answer", "createdAt", "updatedAt")
MISSING = "00000000-0000-0000-0000-000000000000"


async def analysed(services, api) -> dict:
    """A product without a mission, once product analysis has asked its clarification questions."""
    product = await given.product(api)
    await services.queue.drain()
    return product


async def test_create_example_is_201_and_makes_the_initial_features_and_personas(api):
    spec = example("POST", LIST)
    response = await api.rest("POST", url(LIST), json=spec["exampleRequest"])
    assert response.status_code == 201
    body = response.json()
    assert_keys(body, spec["exampleResponse"])
    for field in ("name", "description", "externalId", "mission"):
        assert body[field] == spec["exampleRequest"][field]
    assert body["workspaceId"] == api.workspace_id
    assert body["kpis"] == [] and body["techStack"] == []
    features = (await api.rest("GET", url(FEATURES, id=body["id"]))).json()
    personas = (await api.rest("GET", url(PERSONAS, id=body["id"]))).json()
    assert [(f["name"], f["description"], f["parentId"]) for f in features] == [
        ("Signal intake", "Bring customer evidence into Discovery.", None)
    ]
    assert [(p["name"], p["description"]) for p in personas] == [
        ("Product Manager", "Owns discovery synthesis.")
    ]


async def test_a_duplicate_external_id_is_409(api):
    await given.product(api, externalId="prd-discovery")
    response = await api.rest(
        "POST", url(LIST), json={"name": "n", "description": "d", "externalId": "prd-discovery"}
    )
    assert response.status_code == 409
    assert response.json()["error"] == "Conflict" and response.json()["statusCode"] == 409


async def test_list_example_filters_by_external_id_and_includes_metrics(api):
    wanted = await given.product(api, externalId="prd-discovery")
    await given.product(api, name="Other", externalId="prd-other")
    spec = example("GET", LIST)
    response = await api.rest("GET", f"{url(LIST)}?{spec['exampleQuery']}")
    assert response.status_code == 200
    assert_list_headers(response.headers, total=1, limit=20, offset=0, has_more=False)
    [body] = response.json()
    assert body["id"] == wanted["id"]
    assert_keys(body, spec["exampleResponse"][0])
    assert body["metrics"] == {"insights": 0, "ideas": 0, "opportunities": 0, "signals": 0}


async def test_list_filters_by_q_and_name(api):
    discovery = await given.product(api, name="Discovery", description="AI workspace")
    await given.product(api, name="Billing", description="Invoices")
    assert [p["id"] for p in (await api.rest("GET", url(LIST) + "?q=workspace")).json()] == [discovery["id"]]
    assert [p["id"] for p in (await api.rest("GET", url(LIST) + "?name=Discovery")).json()] == [
        discovery["id"]
    ]


async def test_get_example_includes_features_and_personas(api):
    created = (await api.rest("POST", url(LIST), json=example("POST", LIST)["exampleRequest"])).json()
    spec = example("GET", ONE)
    response = await api.rest("GET", f"{url(ONE, id=created['id'])}?{spec['exampleQuery']}")
    assert response.status_code == 200
    body = response.json()
    assert_keys(body, spec["exampleResponse"])
    assert_keys(body["features"][0], spec["exampleResponse"]["features"][0])
    assert_keys(body["personas"][0], spec["exampleResponse"]["personas"][0])
    assert (
        body["personas"][0]["goals"]
        == body["personas"][0]["painPoints"]
        == body["personas"][0]["useCases"]
        == []
    )
    plain = (await api.rest("GET", url(ONE, id=created["id"]))).json()
    assert_keys(plain, PRODUCT_KEYS)


async def test_include_questions_and_metrics(api, services):
    product = await analysed(services, api)
    questions = (await api.rest("GET", url(QUESTIONS, id=product["id"]))).json()
    body = (await api.rest("GET", url(ONE, id=product["id"]) + "?include=questions,metrics")).json()
    assert_keys(body, PRODUCT_KEYS, extra=("questions", "metrics"))
    assert body["questions"] == questions and questions
    assert_keys(body["questions"][0], QUESTION_KEYS)


async def test_update_example_changes_the_external_id(api):
    product = await given.product(api, externalId="prd-discovery", mission="keep")
    response = await api.rest(
        "PATCH", url(ONE, id=product["id"]), json=example("PATCH", ONE)["exampleRequest"]
    )
    assert response.status_code == 200
    assert_keys(response.json(), PRODUCT_KEYS)
    assert response.json()["externalId"] == "prd-discovery-v2" and response.json()["mission"] == "keep"
    cleared = await api.rest("PATCH", url(ONE, id=product["id"]), json={"externalId": None})
    assert cleared.status_code == 200 and cleared.json()["externalId"] is None


async def test_update_refuses_nested_collections(api):
    product = await given.product(api)
    response = await api.rest("PATCH", url(ONE, id=product["id"]), json={"features": []})
    assert response.status_code == 400 and response.json()["message"] == "property features should not exist"


async def test_delete_example_then_404(api):
    product = await given.product(api)
    response = await api.rest("DELETE", url(ONE, id=product["id"]))
    assert response.status_code == 200 and response.json() == {"message": "Deleted"}
    assert (await api.rest("GET", url(ONE, id=product["id"]))).status_code == 404
    assert (await api.rest("GET", url(METRICS, id=product["id"]))).status_code == 404


async def test_portfolio_summary_example_is_not_taken_for_an_id(api):
    product = await given.product(api)
    spec = example("GET", SUMMARY)
    response = await api.rest("GET", url(SUMMARY))
    assert response.status_code == 200
    body = response.json()
    assert_keys(body, spec["exampleResponse"])
    [listed] = body["products"]
    assert_keys(listed, spec["exampleResponse"]["products"][0])
    assert body["metrics"] == {product["id"]: {"insights": 0, "ideas": 0, "opportunities": 0, "signals": 0}}
    assert body["meta"] == {"signalsLookbackDays": 7}


async def test_metrics_example_counts_the_product_context(api):
    product = await given.product(api)
    await given.post(api, f"/products/{product['id']}/personas", {"name": "PM", "description": "d"})
    await given.post(api, f"/products/{product['id']}/features", {"name": "F", "description": "d"})
    await given.insight(api, productId=product["id"])
    response = await api.rest("GET", url(METRICS, id=product["id"]))
    assert response.status_code == 200
    body = response.json()
    assert_keys(body, example("GET", METRICS)["exampleResponse"])
    assert body == {
        "contextPersonas": 1,
        "contextFeatureMapNodes": 1,
        "initiativesTotal": 0,
        "insights": 1,
        "signals": 0,
        "opportunities": 0,
        "ideas": 0,
    }


async def test_features_examples_list_create_update_delete(api):
    product = await given.product(api)
    create = example("POST", FEATURES)
    created = await api.rest("POST", url(FEATURES, id=product["id"]), json=create["exampleRequest"])
    assert created.status_code == 201
    feature = created.json()
    assert_keys(feature, example("GET", FEATURES)["exampleResponse"][0])
    assert feature["productId"] == product["id"] and feature["parentId"] is None
    child = await given.post(
        api,
        f"/products/{product['id']}/features",
        {"name": "c", "description": "d", "parentId": feature["id"]},
    )
    assert child["parentId"] == feature["id"]

    listed = await api.rest("GET", url(FEATURES, id=product["id"]))
    assert {f["id"] for f in listed.json()} == {feature["id"], child["id"]}
    assert_list_headers(listed.headers, total=2, limit=2, offset=0, has_more=False)

    path = url(FEATURE, id=product["id"], featureId=child["id"])
    updated = await api.rest("PATCH", path, json={"name": "Renamed", "parentId": None})
    assert updated.status_code == 200
    assert (updated.json()["name"], updated.json()["parentId"]) == ("Renamed", None)
    deleted = await api.rest("DELETE", path)
    assert deleted.status_code == 200 and deleted.json() == {"message": "Deleted"}
    assert (await api.rest("DELETE", path)).status_code == 404


async def test_child_features_racing_the_parent_delete_are_201_or_404_naming_parent_id(api):
    """On PostgreSQL a child whose parent was deleted between the check and the insert: a 500."""
    for _ in range(4):
        product = await given.product(api)
        features = f"/products/{product['id']}/features"
        parent = await given.post(api, features, {"name": "p", "description": "d"})
        child = {"name": "c", "description": "d", "parentId": parent["id"]}
        responses = await asyncio.gather(
            api.rest("DELETE", url(FEATURE, id=product["id"], featureId=parent["id"])),
            *(api.rest("POST", url(FEATURES, id=product["id"]), json=child) for _ in range(4)),
        )
        for response in responses:
            assert response.status_code in (200, 201, 404), response.text
            if response.status_code == 404:
                assert response.json()["message"] == (
                    f"parentId: no feature {parent['id']} in product {product['id']}"
                )


async def test_a_feature_of_another_product_is_404(api):
    first, second = await given.product(api, name="a"), await given.product(api, name="b")
    feature = await given.post(api, f"/products/{first['id']}/features", {"name": "f", "description": "d"})
    path = url(FEATURE, id=second["id"], featureId=feature["id"])
    assert (await api.rest("PATCH", path, json={"name": "x"})).status_code == 404
    assert (await api.rest("DELETE", path)).status_code == 404
    assert (await api.rest("GET", url(FEATURES, id=MISSING))).status_code == 404


async def test_personas_examples_list_create_update_delete(api):
    product = await given.product(api)
    created = await api.rest(
        "POST",
        url(PERSONAS, id=product["id"]),
        json={"name": "Product Manager", "description": "Owns discovery synthesis.", "goals": ["Ship"]},
    )
    assert created.status_code == 201
    persona = created.json()
    assert_keys(persona, example("GET", PERSONAS)["exampleResponse"][0])
    assert persona["goals"] == ["Ship"] and persona["painPoints"] == []
    listed = await api.rest("GET", url(PERSONAS, id=product["id"]))
    assert listed.json() == [persona] and listed.headers["X-Total-Count"] == "1"
    path = url(PERSONA, id=product["id"], personaId=persona["id"])
    updated = await api.rest("PATCH", path, json={"painPoints": ["Noise"], "goals": []})
    assert updated.status_code == 200
    assert (updated.json()["goals"], updated.json()["painPoints"]) == ([], ["Noise"])
    assert (await api.rest("DELETE", path)).json() == {"message": "Deleted"}
    assert (await api.rest("GET", url(PERSONAS, id=product["id"]))).json() == []


async def test_questions_are_listed_and_read_one_by_one(api, services):
    product = await analysed(services, api)
    listed = await api.rest("GET", url(QUESTIONS, id=product["id"]))
    assert listed.status_code == 200
    questions = listed.json()
    assert "mission" in {q["topic"] for q in questions}
    assert_list_headers(listed.headers, total=len(questions), limit=len(questions), offset=0, has_more=False)
    for item in questions:
        assert_keys(item, QUESTION_KEYS)
        assert item["productId"] == product["id"] and item["status"] == "open" and item["answer"] is None
        one = await api.rest("GET", url(QUESTION, id=product["id"], questionId=item["id"]))
        assert one.status_code == 200 and one.json() == item
    missing = await api.rest("GET", url(QUESTION, id=product["id"], questionId=MISSING))
    assert missing.status_code == 404
    assert missing.json()["message"] == f"Product question {MISSING} not found"


async def test_feature_and_persona_writes_need_products_write(make_api):
    reader = await make_api(scopes=["products:read"])
    denied = await reader.rest("POST", url(FEATURES, id=MISSING), json={"name": "f", "description": "d"})
    assert denied.status_code == 403 and denied.json()["message"] == "Missing scope: products:write"
