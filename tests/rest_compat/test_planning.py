"""Opportunities, ideas and OKRs over REST: the reference's examples replayed against the Data Models."""

from __future__ import annotations

from tests.factories import create_project
from tests.rest_compat import given
from tests.rest_compat.reference import assert_keys, assert_list_headers, example, url

OPPORTUNITIES, OPPORTUNITY = "/external/v1/opportunities", "/external/v1/opportunities/:id"
IDEAS, IDEA = "/external/v1/ideas", "/external/v1/ideas/:id"
OKRS, OKR = "/external/v1/okrs", "/external/v1/okrs/:id"
# The Data Models: the examples of these three show only a few of the fields.
OPPORTUNITY_KEYS = (
    "id",
    "name",
    "description",
    "score",
    "status",
    "productId",
    "insightIds",
    "ideaIds",
    "createdAt",
    "updatedAt",
)
IDEA_KEYS = (
    "id",
    "name",
    "description",
    "status",
    "productId",
    "opportunityIds",
    "insightIds",
    "createdAt",
    "updatedAt",
)
OKR_KEYS = example("GET", OKR)["exampleResponse"]


async def test_opportunity_examples(api):
    create = example("POST", OPPORTUNITIES)
    created = await api.rest("POST", url(OPPORTUNITIES), json=create["exampleRequest"])
    assert created.status_code == 201
    opportunity = created.json()
    assert_keys(opportunity, OPPORTUNITY_KEYS)
    assert set(create["exampleResponse"]) <= set(opportunity)
    assert (opportunity["name"], opportunity["description"], opportunity["score"]) == (
        "Reduce churn in Mobile App",
        "Users are uninstalling after 2 days...",
        92,
    )
    assert opportunity["status"] == "discovery"

    insight = await given.insight(api)
    await api.rest("PATCH", url(OPPORTUNITY, id=opportunity["id"]), json={"insightIds": [insight["id"]]})
    listed = await api.rest("GET", f"{url(OPPORTUNITIES)}?{example('GET', OPPORTUNITIES)['exampleQuery']}")
    assert listed.status_code == 200
    assert_list_headers(listed.headers, total=1, limit=10, offset=0, has_more=False)
    [item] = listed.json()
    assert set(example("GET", OPPORTUNITIES)["exampleResponse"][0]) <= set(item)
    assert_keys(item, OPPORTUNITY_KEYS)
    assert item["insightIds"] == [insight["id"]] and item["ideaIds"] == []

    got = await api.rest("GET", url(OPPORTUNITY, id=opportunity["id"]))
    assert got.status_code == 200 and got.json() == item

    updated = await api.rest(
        "PATCH",
        url(OPPORTUNITY, id=opportunity["id"]),
        content=b'{"score": 95}',  # as the reference's curl sends it
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert updated.status_code == 200 and updated.json()["score"] == 95

    deleted = await api.rest("DELETE", url(OPPORTUNITY, id=opportunity["id"]))
    assert deleted.status_code == 200 and deleted.json() == {"message": "Deleted"}
    assert (await api.rest("GET", url(OPPORTUNITY, id=opportunity["id"]))).status_code == 404


async def test_opportunity_errors(api):
    missing = await api.rest("POST", url(OPPORTUNITIES), json={"name": "n"})
    assert missing.status_code == 400 and missing.json()["message"] == "description is required"
    bad_status = await api.rest(
        "POST", url(OPPORTUNITIES), json={"name": "n", "description": "d", "status": "Draft"}
    )
    assert bad_status.status_code == 400
    assert (
        bad_status.json()["message"]
        == "status must be one of the following values: discovery, defined, validated, archived"
    )
    bad_score = await api.rest(
        "POST", url(OPPORTUNITIES), json={"name": "n", "description": "d", "score": "high"}
    )
    assert bad_score.status_code == 400 and bad_score.json()["message"] == "score must be a number"


async def test_idea_examples(api):
    create = example("POST", IDEAS)
    created = await api.rest("POST", url(IDEAS), json=create["exampleRequest"])
    assert created.status_code == 201
    idea = created.json()
    assert_keys(idea, IDEA_KEYS)
    assert set(create["exampleResponse"]) <= set(idea)
    assert (idea["name"], idea["status"], idea["opportunityIds"]) == ("AI-powered search", "evaluating", [])

    listed = await api.rest("GET", f"{url(IDEAS)}?{example('GET', IDEAS)['exampleQuery']}")
    assert listed.status_code == 200
    assert_list_headers(listed.headers, total=1, limit=10, offset=0, has_more=False)
    assert set(example("GET", IDEAS)["exampleResponse"][0]) <= set(listed.json()[0])
    assert listed.json() == [idea]

    got = await api.rest("GET", url(IDEA, id=idea["id"]))
    assert got.status_code == 200 and got.json() == idea

    updated = await api.rest("PATCH", url(IDEA, id=idea["id"]), json=example("PATCH", IDEA)["exampleRequest"])
    assert updated.status_code == 200
    assert updated.json()["name"] == "AI Search 2.0" and updated.json()["description"] == idea["description"]

    deleted = await api.rest("DELETE", url(IDEA, id=idea["id"]))
    assert deleted.status_code == 200 and deleted.json() == {"message": "Deleted"}
    assert (await api.rest("DELETE", url(IDEA, id=idea["id"]))).status_code == 404


async def test_okr_examples(api):
    product = await given.product(api)
    project = await create_project(api)
    create = example("POST", OKRS)
    request = create["exampleRequest"]
    request["productIds"] = [product["id"]]
    request["keyResults"][0]["projectIds"] = [project["id"]]
    created = await api.rest("POST", url(OKRS), json=request)
    assert created.status_code == 201
    okr = created.json()
    assert_keys(okr, create["exampleResponse"])
    assert_keys(okr["keyResults"][0], create["exampleResponse"]["keyResults"][0])
    assert (okr["objective"], okr["priority"], okr["productIds"]) == (
        request["objective"],
        1,
        [product["id"]],
    )
    assert [(k["name"], k["projectIds"]) for k in okr["keyResults"]] == [
        (request["keyResults"][0]["name"], [project["id"]])
    ]

    listed = await api.rest("GET", f"{url(OKRS)}?{example('GET', OKRS)['exampleQuery']}")
    assert listed.status_code == 200 and listed.json() == [okr]
    assert_list_headers(listed.headers, total=1, limit=20, offset=0, has_more=False)
    got = await api.rest("GET", url(OKR, id=okr["id"]))
    assert got.status_code == 200 and got.json() == okr
    assert_keys(got.json(), OKR_KEYS)

    updated = await api.rest("PATCH", url(OKR, id=okr["id"]), json=example("PATCH", OKR)["exampleRequest"])
    assert updated.status_code == 200
    assert updated.json()["priority"] == 2 and updated.json()["keyResults"] == okr["keyResults"]

    deleted = await api.rest("DELETE", url(OKR, id=okr["id"]))
    assert deleted.status_code == 200 and deleted.json() == {"message": "Deleted"}
    assert (await api.rest("GET", url(OKR, id=okr["id"]))).status_code == 404


async def test_okr_key_results_are_replaced_as_a_whole(api):
    okr = await given.post(
        api, "/okrs", {"objective": "o", "priority": 1, "keyResults": [{"name": "a"}, {"name": "b"}]}
    )
    kept, dropped = okr["keyResults"]
    response = await api.rest(
        "PATCH",
        url(OKR, id=okr["id"]),
        json={"keyResults": [{"id": kept["id"], "name": "a2"}, {"name": "c"}]},
    )
    assert response.status_code == 200
    results = response.json()["keyResults"]
    assert [k["name"] for k in results] == ["a2", "c"]
    assert results[0]["id"] == kept["id"] and dropped["id"] not in {k["id"] for k in results}


async def test_okr_errors(api, make_api):
    missing = await api.rest("POST", url(OKRS), json={"objective": "o", "priority": 1})
    assert missing.status_code == 400 and missing.json()["message"] == "keyResults is required"
    foreign = await given.product(await make_api())
    response = await api.rest(
        "POST",
        url(OKRS),
        json={"objective": "o", "priority": 1, "keyResults": [], "productIds": [foreign["id"]]},
    )
    assert response.status_code == 404 and "productIds" in response.json()["message"]
