"""Merging through /graphql, on both databases: signals that say the same thing share one draft insight,
within one workspace and product; re-processing keeps it; an insight a person edited is never touched;
two jobs racing on one subject still make one insight."""

from __future__ import annotations

import asyncio

import orjson

from tests.factories import create_product
from tests.jobs.conftest import job_settings, running_app
from tests.jobs.fake_llm import Answer, serve_fake_llm

CREATE = "mutation($input: CreateSignalInput!) { createSignal(input: $input) { signal { id publicId } } }"
PROCESS = "mutation($publicId: String!) { processSignal(publicId: $publicId) { jobId } }"
SIGNAL = """
query($publicId: String!) { signal(publicId: $publicId) {
  status insights { nodes { id name description status signalIds productId classifications provenance } }
} }
"""
INSIGHT = "query($id: ID!) { insight(id: $id) { id name description status signalIds } }"
INSIGHTS = "{ insights(first: 100) { nodes { id name signalIds } } }"
RENAME = 'mutation($id: ID!) { updateInsight(id: $id, input: {name: "Dark theme (PM notes)"}) { insight { id } } }'
REQUEST = "Please add a dark mode to the dashboard."
FIRST = f"The mobile app crashes every time I open the map view. {REQUEST}"
SECOND = f"{REQUEST} Your onboarding emails are really helpful."


async def create(api, text, **fields):
    data = await api.ok(CREATE, {"input": {"text": text, "signalType": "review", **fields}})
    return data["createSignal"]["signal"]


async def read(api, signal):
    return (await api.ok(SIGNAL, {"publicId": signal["publicId"]}))["signal"]


def shared(first, second) -> list[dict]:
    ids = {i["id"] for i in second["insights"]["nodes"]}
    return [i for i in first["insights"]["nodes"] if i["id"] in ids]


async def test_two_signals_with_the_same_request_share_one_insight_that_gathers_their_quotes(api, services):
    one = await create(api, FIRST)
    await services.queue.drain()
    two = await create(api, SECOND)
    await services.queue.drain()
    first, second = await read(api, one), await read(api, two)

    insight, = shared(first, second)
    assert sorted(insight["signalIds"]) == sorted([one["id"], two["id"]])
    assert insight["status"] == "draft" and insight["classifications"]["mentions"] == 2
    assert f"raised in 2 signals ({one['publicId']}, {two['publicId']})" in insight["description"]
    assert f"“{REQUEST[:-1]}" in insight["description"] and two["publicId"] in insight["description"]
    assert [s["signalId"] for s in insight["provenance"]["sources"]] == [one["id"], two["id"]]
    names = [i["name"] for i in (await api.ok(INSIGHTS))["insights"]["nodes"]]
    assert len(names) == len(set(names))  # no near-duplicates anywhere in the workspace

    # re-processing either signal keeps the one insight, with both signals' evidence
    await api.ok(PROCESS, {"publicId": one["publicId"]})
    await api.ok(PROCESS, {"publicId": two["publicId"]})
    await services.queue.drain()
    again = shared(await read(api, one), await read(api, two))
    assert [(i["id"], sorted(i["signalIds"]), i["description"]) for i in again] == [
        (insight["id"], sorted(insight["signalIds"]), insight["description"])
    ]


async def test_merging_stays_within_a_workspace_and_a_product(api, make_api, services):
    other_workspace = await make_api(workspace="merging-elsewhere")
    product = await create_product(api, name="Dashboards")
    mine = await create(api, FIRST)
    theirs = await create(other_workspace, SECOND)
    in_product = await create(api, SECOND, productIds=[product["id"]])
    await services.queue.drain()

    mine, theirs, in_product = await read(api, mine), await read(other_workspace, theirs), await read(api, in_product)
    assert shared(mine, theirs) == [] and shared(mine, in_product) == []
    assert {i["productId"] for i in in_product["insights"]["nodes"]} == {product["id"]}


async def test_an_insight_a_person_edited_or_published_is_never_merged_into(api, services):
    one = await create(api, FIRST)
    await services.queue.drain()
    edited = next(i for i in (await read(api, one))["insights"]["nodes"] if "dark mode" in i["description"])
    await api.ok(RENAME, {"id": edited["id"]})
    before = (await api.ok(INSIGHT, {"id": edited["id"]}))["insight"]

    two = await create(api, SECOND)
    await services.queue.drain()
    await api.ok(PROCESS, {"publicId": one["publicId"]})  # and the first signal's evidence stays as it was
    await services.queue.drain()

    assert (await api.ok(INSIGHT, {"id": edited["id"]}))["insight"] == before
    second = await read(api, two)
    fresh, = [i for i in second["insights"]["nodes"] if "dark mode" in i["description"]]
    assert fresh["id"] != edited["id"] and fresh["signalIds"] == [two["id"]] and fresh["status"] == "draft"
    assert edited["id"] in {i["id"] for i in (await read(api, one))["insights"]["nodes"]}  # still linked to its signal


def named(name: str, quote: str) -> dict:
    return {"findings": [{"kind": "feature_request", "name": name, "description": f"Wants {name.lower()}.",
                          "sentiment": "neutral", "severity": "medium",
                          "evidence": [{"quote": quote, "speaker": None}]}],
            "people": [], "companies": [], "context": "feature_feedback"}


WORDINGS = {
    "Would be five stars if it had a dark mode.": ("Dark mode", "if it had a dark mode"),
    "Our team begs for a dark theme, the white screen hurts at night.": ("Dark mode.", "begs for a dark theme"),
}


def answer_by_text(body) -> Answer:
    text = orjson.loads(body["messages"][1]["content"])["text"]
    name, quote = WORDINGS.get(text, ("", ""))
    return Answer(content=named(name, quote) if name else {**named("x", "x"), "findings": []})


async def test_differently_worded_signals_named_alike_by_a_model_merge_and_withdraw(jobs_database_url):
    async with serve_fake_llm() as llm:
        llm.respond = answer_by_text
        settings = job_settings(jobs_database_url, llm_base_url=llm.base_url, llm_model="fake")
        async with running_app(settings) as app:
            api = await app.api()
            one, two = [await create(api, text) for text in WORDINGS]
            await app.services.queue.drain()  # the two jobs may run in either order

            insight, = shared(await read(api, one), await read(api, two))
            assert insight["name"] == "Dark mode" and len(insight["provenance"]["sources"]) == 2
            assert "“if it had a dark mode” — " + one["publicId"] in insight["description"]
            assert "“begs for a dark theme” — " + two["publicId"] in insight["description"]

            # the first signal, processed again, no longer says it: only its evidence leaves
            llm.respond = lambda body: Answer(content={**named("x", "x"), "findings": []})
            await api.ok(PROCESS, {"publicId": one["publicId"]})
            await app.services.queue.drain()
            left = (await api.ok(INSIGHT, {"id": insight["id"]}))["insight"]
            assert left["signalIds"] == [two["id"]] and "if it had a dark mode" not in left["description"]
            assert (await read(api, one))["insights"]["nodes"] == []


async def test_two_jobs_extracting_the_same_finding_at_once_make_one_insight(jobs_database_url):
    async with serve_fake_llm() as llm:
        llm.answer = Answer(content=named("Scheduled export to S3", "scheduled export to S3"), delay=60)
        settings = job_settings(jobs_database_url, llm_base_url=llm.base_url, llm_model="fake",
                                job_timeout_seconds=120)
        async with running_app(settings) as app:
            api = await app.api()
            texts = ["They would love a scheduled export to S3.", "A scheduled export to S3 would save us hours."]
            signals = [await create(api, text) for text in texts]
            while len(llm.requests) < 2:  # both jobs wait inside their extraction
                await asyncio.sleep(0.05)
            llm.release.set()  # answered together, they write together
            await app.services.queue.drain()

            nodes = (await api.ok(INSIGHTS))["insights"]["nodes"]
            assert [(n["name"], sorted(n["signalIds"])) for n in nodes] == [
                ("Scheduled export to S3", sorted(s["id"] for s in signals))
            ]
