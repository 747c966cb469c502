"""Insights over REST: the reference's examples replayed, include, paging, errors."""

from __future__ import annotations

import asyncio

from tests.rest_compat import given
from tests.rest_compat.reference import assert_keys, assert_list_headers, example, url

LIST, ONE = "/external/v1/insights", "/external/v1/insights/:id"
INSIGHT_KEYS = example("GET", ONE)["exampleResponse"]
# Keys Signalgraph returns beyond the reference's Insight examples (a field added to the REST fragment).
ADDED: tuple[str, ...] = ()


async def test_list_example_returns_insights_with_paging_headers(api):
    given_ids = [(await given.insight(api, name=f"n{i}"))["id"] for i in range(3)]
    spec = example("GET", LIST)
    response = await api.rest("GET", f"{url(LIST)}?{spec['exampleQuery']}")
    assert response.status_code == 200
    assert_list_headers(response.headers, total=3, limit=10, offset=0, has_more=False)
    body = response.json()
    assert [i["id"] for i in body] == given_ids[::-1]
    for item in body:
        assert_keys(item, spec["exampleResponse"][0], extra=ADDED)


async def test_list_pages_with_limit_and_offset(api):
    for i in range(3):
        await given.insight(api, name=f"n{i}")
    response = await api.rest("GET", f"{url(LIST)}?limit=2&offset=1")
    assert [i["name"] for i in response.json()] == ["n1", "n0"]
    assert_list_headers(response.headers, total=3, limit=2, offset=1, has_more=False)
    first = await api.rest("GET", f"{url(LIST)}?limit=1")
    assert_list_headers(first.headers, total=3, limit=1, offset=0, has_more=True)


async def test_list_defaults_to_20_and_clamps_limit_to_100(api):
    default = await api.rest("GET", url(LIST))
    assert default.headers["X-Limit"] == "20" and default.headers["X-Offset"] == "0"
    clamped = await api.rest("GET", f"{url(LIST)}?limit=100000")
    assert clamped.status_code == 200
    assert clamped.headers["X-Limit"] == "100"


async def test_get_example_returns_the_insight(api):
    created = await given.insight(
        api, name="Users find navigation confusing", status="published", type="feedback"
    )
    response = await api.rest("GET", url(ONE, id=created["id"]))
    assert response.status_code == 200
    body = response.json()
    assert_keys(body, INSIGHT_KEYS, extra=ADDED)
    assert body == created


async def test_include_adds_classifications_and_provenance(api):
    created = await given.insight(api)
    plain = (await api.rest("GET", url(ONE, id=created["id"]))).json()
    assert "classifications" not in plain and "provenance" not in plain
    both = await api.rest("GET", url(ONE, id=created["id"]) + "?include=classifications,provenance")
    assert_keys(both.json(), INSIGHT_KEYS, extra=(*ADDED, "classifications", "provenance"))
    listed = await api.rest("GET", url(LIST) + "?include=provenance")
    assert_keys(listed.json()[0], INSIGHT_KEYS, extra=(*ADDED, "provenance"))


async def test_unknown_include_is_400_naming_include(api):
    response = await api.rest("GET", url(LIST) + "?include=everything")
    assert response.status_code == 400
    assert (
        response.json()["message"] == "include must be a comma-separated list of: classifications, provenance"
    )


async def test_create_example_is_201_with_the_sent_fields(api):
    product = await given.product(api)
    tag = await given.tag(api)
    spec = example("POST", LIST)
    request = {**spec["exampleRequest"], "productId": product["id"], "tagIds": [tag["id"]]}
    response = await api.rest("POST", url(LIST), json=request)
    assert response.status_code == 201
    body = response.json()
    assert_keys(body, spec["exampleResponse"], extra=ADDED)
    expected = {k: v for k, v in spec["exampleResponse"].items() if k not in ("id", "createdAt", "updatedAt")}
    documented = {k: v for k, v in body.items() if k not in ADDED}
    assert documented | {"id": None, "createdAt": None, "updatedAt": None} == {
        **expected,
        "productId": product["id"],
        "tagIds": [tag["id"]],
        "id": None,
        "createdAt": None,
        "updatedAt": None,
    }


async def test_update_example_archives_and_keeps_other_fields(api):
    created = await given.insight(api, name="Users find navigation confusing", type="feedback")
    spec = example("PATCH", ONE)
    response = await api.rest("PATCH", url(ONE, id=created["id"]), json=spec["exampleRequest"])
    assert response.status_code == 200
    body = response.json()
    # The example omits the id lists; the Insight object has them.
    assert_keys(body, spec["exampleResponse"], extra=(*ADDED, "opportunityIds", "ideaIds", "tagIds"))
    assert body["status"] == "archived"
    assert body["name"] == "Users find navigation confusing" and body["type"] == "feedback"
    assert body["updatedAt"] >= created["updatedAt"]


async def test_delete_example_then_get_is_404(api):
    created = await given.insight(api)
    response = await api.rest("DELETE", url(ONE, id=created["id"]))
    assert response.status_code == 200
    assert response.json() == example("DELETE", ONE)["exampleResponse"] == {"message": "Deleted"}
    missing = await api.rest("GET", url(ONE, id=created["id"]))
    assert missing.status_code == 404
    assert missing.json() == {
        "statusCode": 404,
        "message": f"Insight {created['id']} not found",
        "error": "Not Found",
    }


async def test_writes_racing_a_delete_are_answered_before_or_after_it(api):
    """On PostgreSQL a write that found its row (or a row to link) just before a concurrent delete committed
    failed against the missing row: 500s. Now the delete waits for the write, or the write finds nothing."""
    product_path = "/external/v1/products/:id"
    for _ in range(4):
        insight, product = await given.insight(api), await given.product(api)
        linked = {"description": "d", "productId": product["id"]}
        responses = await asyncio.gather(
            api.rest("DELETE", url(ONE, id=insight["id"])),
            api.rest("DELETE", url(product_path, id=product["id"])),
            *(api.rest("PATCH", url(ONE, id=insight["id"]), json={"name": f"n{i}"}) for i in range(3)),
            *(api.rest("POST", url(LIST), json=linked) for _ in range(3)),
        )
        for response in responses:
            assert response.status_code in (200, 201, 404), response.text
            if response.status_code == 404:
                assert response.json()["message"] in (
                    f"Insight {insight['id']} not found",
                    f"productId: not found: {product['id']}",
                ), response.text
        assert (await api.rest("GET", url(ONE, id=insight["id"]))).status_code == 404


async def test_updates_linking_a_product_that_is_being_deleted_are_200_404_or_409(api):
    """The product's delete locks it, then the insights it unlinks; an update locks the insight, then the
    product: PostgreSQL breaks such a deadlock by failing one of them, which was a 500."""
    for _ in range(8):
        product = await given.product(api)
        insight = await given.insight(api, productId=product["id"])
        patch = {"productId": product["id"]}
        responses = await asyncio.gather(
            api.rest("DELETE", url("/external/v1/products/:id", id=product["id"])),
            *(api.rest("PATCH", url(ONE, id=insight["id"]), json=patch) for _ in range(4)),
        )
        expected = {
            404: f"productId: not found: {product['id']}",
            409: "The request conflicted with a concurrent change; retry it",
        }
        for response in responses:
            assert response.status_code in (200, *expected), response.text
            if response.status_code in expected:
                assert response.json()["message"] == expected[response.status_code]


async def test_other_workspace_insight_is_404_for_read_update_delete(api, make_api):
    other = await make_api()
    theirs = await given.insight(other)
    for method, kwargs in (("GET", {}), ("PATCH", {"json": {"name": "x"}}), ("DELETE", {})):
        response = await api.rest(method, url(ONE, id=theirs["id"]), **kwargs)
        assert response.status_code == 404, (method, response.text)
    assert (await other.rest("GET", url(ONE, id=theirs["id"]))).status_code == 200


async def test_linking_another_workspace_product_is_404_naming_the_field(api, make_api):
    foreign = await given.product(await make_api())
    response = await api.rest("POST", url(LIST), json={"description": "d", "productId": foreign["id"]})
    assert response.status_code == 404
    assert "productId" in response.json()["message"]


async def test_bad_type_value_is_400_with_the_schema_message(api):
    response = await api.rest("POST", url(LIST), json={"description": "d", "type": "gossip"})
    assert response.status_code == 400
    assert response.json()["message"].startswith("type must be one of")


async def test_missing_description_and_bad_status_are_listed(api):
    response = await api.rest("POST", url(LIST), json={"status": "bogus"})
    assert response.status_code == 400
    assert set(response.json()["message"]) == {
        "description is required",
        "status must be one of the following values: draft, published, archived",
    }


async def test_scopes_are_the_schema_ones(make_api):
    reader = await make_api(scopes=["insights:read"])
    denied = await reader.rest("POST", url(LIST), json={"description": "d"})
    assert denied.status_code == 403
    assert denied.json() == {
        "statusCode": 403,
        "message": "Missing scope: insights:write",
        "error": "Forbidden",
    }
    assert (await reader.rest("GET", url(LIST))).status_code == 200
    writer = await make_api(scopes=["insights:write"])
    created = await given.insight(writer)
    delete = await writer.rest("DELETE", url(ONE, id=created["id"]))
    assert delete.status_code == 403 and "insights:delete" in delete.json()["message"]


EXTRACT = "/external/v1/insights/process-transcript/insights"
TRANSCRIPT = (
    "Interviewer: How do you export reports?\n"
    "Customer: Exporting is painfully slow, it takes ten minutes for a big dataset.\n"
    "Customer: I also can never find the billing page, the menu is confusing."
)


async def test_extract_example_returns_insights_and_saves_them_when_asked(api):
    spec = example("POST", EXTRACT)
    response = await api.rest("POST", url(EXTRACT), json={**spec["exampleRequest"], "transcript": TRANSCRIPT})
    assert response.status_code == 200
    found = response.json()
    assert found and isinstance(found, list)
    for item in found:
        assert_keys(item, INSIGHT_KEYS, extra=ADDED)
        assert set(spec["exampleResponse"][0]) <= set(item)
        assert item["status"] == "draft"
    listed = (await api.rest("GET", url(LIST))).json()
    assert {i["id"] for i in found} <= {i["id"] for i in listed}


async def test_extract_without_create_saves_nothing(api):
    product = await given.product(api)
    response = await api.rest(
        "POST", url(EXTRACT), json={"transcript": TRANSCRIPT, "productId": product["id"]}
    )
    assert response.status_code == 200 and response.json()
    assert all(i["productId"] == product["id"] for i in response.json())
    assert (await api.rest("GET", url(LIST))).headers["X-Total-Count"] == "0"


async def test_extract_needs_a_transcript(api):
    response = await api.rest("POST", url(EXTRACT), json={"createInsights": True})
    assert response.status_code == 400 and response.json()["message"] == "transcript is required"


async def test_links_written_from_both_sides_at_once_are_never_a_500(api, server_errors):
    """On PostgreSQL an insight's opportunityIds and its opportunities' insightIds, written at once, both
    inserted the same link row: UniqueViolation, 500s. Link writes are idempotent now (ON CONFLICT DO
    NOTHING); a deadlock the database breaks is a 409 to retry, never a 500."""
    opportunity_path = "/external/v1/opportunities/:id"
    for _ in range(3):
        insight = await given.insight(api)
        opportunities = [
            await given.post(api, "/opportunities", {"name": f"o{i}", "description": "d"}) for i in range(3)
        ]
        every = [o["id"] for o in opportunities]
        responses = await asyncio.gather(
            *(api.rest("PATCH", url(ONE, id=insight["id"]), json={"opportunityIds": every}) for _ in range(3)),
            *(
                api.rest("PATCH", url(opportunity_path, id=o["id"]), json={"insightIds": [insight["id"]]})
                for o in opportunities
                for _ in range(2)
            ),
        )
        assert {r.status_code for r in responses} <= {200, 409}, [r.text for r in responses]
        assert any(r.status_code == 200 for r in responses)
        assert server_errors() == []
        final = set((await api.rest("GET", url(ONE, id=insight["id"]))).json()["opportunityIds"])
        assert final == set(every) if any(r.status_code == 200 for r in responses[:3]) else final <= set(every)
