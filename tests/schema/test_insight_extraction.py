"""processSignal and extractInsights through /graphql: results, validation, scopes, isolation."""

from __future__ import annotations

from tests.factories import create_product
from tests.processing.extract.test_local import TRANSCRIPT

CREATE = """
mutation($input: CreateSignalInput!) { createSignal(input: $input) { jobId signal { publicId } } }
"""
PROCESS = """
mutation($publicId: String!) { processSignal(publicId: $publicId) { jobId signal { status processing { lastJobId } } } }
"""
EXTRACT = """
mutation($input: ExtractInsightsInput!) { extractInsights(input: $input) { insights {
  id name description status type productId classifications provenance opportunityIds tagIds createdAt
} } }
"""
INSIGHT = "query($id: ID!) { insight(id: $id) { id name productId } }"
INSIGHT_COUNT = "{ insights { totalCount } }"


async def create(api, **fields):
    return (await api.ok(CREATE, {"input": fields}))["createSignal"]


async def test_process_signal_queues_a_new_run(api, services):
    created = await create(api, text="Exports are slow.", signalType="review")
    await services.queue.drain()

    result = (await api.ok(PROCESS, {"publicId": created["signal"]["publicId"]}))["processSignal"]

    assert result["signal"]["status"] == "processing"
    assert result["jobId"] == result["signal"]["processing"]["lastJobId"]
    assert result["jobId"] != created["jobId"] and result["jobId"].startswith("process_signal:")
    await services.queue.drain()


async def test_process_signal_refuses_raw_signals_other_workspaces_and_missing_scope(api, make_api, services):
    raw = (await create(api, processorType="zendesk", data={"ticketId": 12345}))["signal"]
    typed = (await create(api, text="Exports are slow.", signalType="review"))["signal"]
    reader = await make_api(scopes=["signals:read"], workspace=api.workspace)
    other = await make_api()
    await services.queue.drain()

    error = await api.error(PROCESS, {"publicId": raw["publicId"]})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "publicId"}
    assert await reader.error_code(PROCESS, {"publicId": typed["publicId"]}) == "FORBIDDEN"
    assert await other.error_code(PROCESS, {"publicId": typed["publicId"]}) == "NOT_FOUND"
    assert await api.error_code(PROCESS, {"publicId": "SIGNAL-999999"}) == "NOT_FOUND"
    assert await api.error_code(PROCESS, {"publicId": "nonsense"}) == "NOT_FOUND"


async def test_extract_insights_without_saving_returns_candidates(api):
    product = await create_product(api)
    before = (await api.ok(INSIGHT_COUNT))["insights"]["totalCount"]

    insights = (await api.ok(EXTRACT, {"input": {"transcript": TRANSCRIPT, "productId": product["id"]}}))[
        "extractInsights"
    ]["insights"]

    assert [i["classifications"]["kind"] for i in insights] == [
        "pain_point", "bug", "feature_request", "praise", "question"
    ]
    first = insights[0]
    assert first["name"] == "CSV export is so slow for our larger accounts"
    assert (first["status"], first["type"], first["productId"]) == ("draft", "user-interview", product["id"])
    assert first["provenance"]["speaker"] == "Dana Whitfield" and "signalId" not in first["provenance"]
    assert first["opportunityIds"] == first["tagIds"] == []
    assert len({i["id"] for i in insights}) == 5
    assert (await api.ok(INSIGHT, {"id": first["id"]}))["insight"] is None
    assert (await api.ok(INSIGHT_COUNT))["insights"]["totalCount"] == before


async def test_extract_insights_with_saving_persists_them(api):
    product = await create_product(api)

    insights = (await api.ok(EXTRACT, {"input": {"transcript": TRANSCRIPT, "productId": product["id"],
                                                 "createInsights": True}}))["extractInsights"]["insights"]

    assert len(insights) == 5
    for insight in insights:
        saved = (await api.ok(INSIGHT, {"id": insight["id"]}))["insight"]
        assert saved == {"id": insight["id"], "name": insight["name"], "productId": product["id"]}


async def test_extract_insights_validation_scopes_and_isolation(api, make_api):
    other_product = await create_product(await make_api())
    reader = await make_api(scopes=["insights:read"], workspace=api.workspace)

    error = await api.error(EXTRACT, {"input": {"transcript": "   "}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "transcript"}
    error = await api.error(EXTRACT, {"input": {"transcript": "Exports are slow.", "productId": other_product["id"]}})
    assert error["extensions"]["code"] == "NOT_FOUND" and error["extensions"]["field"] == "productId"
    assert await reader.error_code(EXTRACT, {"input": {"transcript": "Exports are slow."}}) == "FORBIDDEN"
    assert (await api.ok(EXTRACT, {"input": {"transcript": "Nothing to see here."}}))["extractInsights"]["insights"] == []
