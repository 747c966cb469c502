"""The bench's hand-written baseline (bench/baseline.py) answers byte for byte what Signalgraph answers.

`make bench` reports Signalgraph's figures as ratios to this baseline; the ratios mean something only
if both do the same work, so the bodies must be identical on the same data, on both databases (for the
nested GraphQL query: the same `data`, without Signalgraph's cost report).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import orjson
import pytest

from bench import baseline
from bench.baseline import NESTED
from signalgraph.storage.models.base import utcnow
from signalgraph.storage.repositories import workspaces as workspaces_repo

from .factories import Api, create_idea, create_opportunity, create_signal
from .serving import serving

BATCH = 20
TAGS = "mutation($input: CreateTagInput!) { createTag(input: $input) { tag { id } } }"


def create_insights_document(count: int) -> str:
    variables = ", ".join(f"$i{n}: CreateInsightInput!" for n in range(count))
    fields = " ".join(f"i{n}: createInsight(input: $i{n}) {{ insight {{ id }} }}" for n in range(count))
    return f"mutation({variables}) {{ {fields} }}"


@pytest.fixture
async def baseline_http(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serving(baseline.create_app(database_url)) as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=30) as client,
    ):
        yield client


async def given_a_workspace_of_insights(api: Api, services) -> None:
    """105 insights (more than a page) with names or none, types, tags and links, and signals whose
    processing linked insights that lead to opportunities and ideas."""
    ideas = [(await create_idea(api, name=f"idea {n}"))["id"] for n in range(3)]
    opportunities = [
        (await create_opportunity(api, name=f"opportunity {n}", ideaIds=ideas[n:]))["id"] for n in range(3)
    ]
    tag = (await api.ok(TAGS, {"input": {"name": "exports"}}))["createTag"]["tag"]["id"]
    inputs = [
        {
            "description": f"observation {n}",
            **({"name": f"insight {n}"} if n % 3 else {}),
            **({"type": "user-interview", "tagIds": [tag]} if n % 2 else {}),
            "opportunityIds": opportunities[: n % 4],
            "ideaIds": ideas[n % 2 :],
        }
        for n in range(105)
    ]
    for start in range(0, len(inputs), BATCH):
        chunk = inputs[start : start + BATCH]
        await api.ok(create_insights_document(len(chunk)), {f"i{n}": value for n, value in enumerate(chunk)})
    for text in ("Exports are really slow and it keeps timing out.", "It would be great to schedule exports."):
        await create_signal(api, text=text, signalType="transcript")
    await services.queue.drain()
    linked = await api.ok("{ signals(first: 10) { nodes { insights { nodes { id } } } } }")
    extracted = [i["id"] for s in linked["signals"]["nodes"] for i in s["insights"]["nodes"]]
    assert extracted, "processing linked no insights to the signals"
    await api.ok(
        "mutation($id: ID!, $ids: [ID!]) { updateInsight(id: $id, input: {opportunityIds: $ids}) { insight { id } } }",
        {"id": extracted[0], "ids": opportunities},
    )


async def test_the_baseline_answers_the_insights_list_and_the_nested_query_with_the_same_bytes(
    api: Api, services, http: httpx.AsyncClient, baseline_http: httpx.AsyncClient
):
    # given
    await given_a_workspace_of_insights(api, services)
    for limit in (1, 100):
        # when
        ours = await http.get(f"/external/v1/insights?limit={limit}", headers=api.headers)
        theirs = await baseline_http.get(f"/external/v1/insights?limit={limit}", headers=api.headers)
        # then
        assert ours.status_code == theirs.status_code == 200, ours.text
        assert len(ours.json()) == limit
        assert theirs.content == ours.content
        headers = ("x-total-count", "x-limit", "x-offset", "x-has-more")
        assert [theirs.headers[h] for h in headers] == [ours.headers[h] for h in headers]
    for first in (1, 50):
        body = {"query": NESTED, "variables": {"first": first}}
        ours = await http.post("/graphql", json=body, headers=api.headers)
        theirs = await baseline_http.post("/graphql", json=body, headers=api.headers)
        assert ours.status_code == theirs.status_code == 200, ours.text
        assert "errors" not in ours.json()
        # The same data in the same bytes; Signalgraph adds the query's cost (`extensions`), which a
        # hand-written handler has no reason to compute.
        assert theirs.content == orjson.dumps({"data": ours.json()["data"]})


async def test_the_baseline_checks_the_key_as_signalgraph_does(
    make_api, services, baseline_http: httpx.AsyncClient
):
    without_scope = await make_api(scopes=["signals:read"])
    revoked = await make_api()
    async with services.db.write() as session:
        await workspaces_repo.revoke_api_key(session, revoked.key.split("_")[1], utcnow())
    answers = {
        "none": await baseline_http.get("/external/v1/insights"),
        "malformed": await baseline_http.get("/external/v1/insights", headers={"Authorization": "Bearer nope"}),
        "wrong secret": await baseline_http.get(
            "/external/v1/insights", headers={"Authorization": without_scope.headers["Authorization"][:-4] + "AAAA"}
        ),
        "no scope": await baseline_http.get("/external/v1/insights", headers=without_scope.headers),
        "revoked": await baseline_http.get("/external/v1/insights", headers=revoked.headers),
    }
    assert {why: r.status_code for why, r in answers.items()} == {
        "none": 401, "malformed": 401, "wrong secret": 401, "no scope": 403, "revoked": 401,
    }
    assert answers["no scope"].json()["message"] == "Missing scope: insights:read"
