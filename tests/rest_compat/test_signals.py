"""Signals over REST: typed-text and raw creates, dedupe by externalId, derived fields, process."""

from __future__ import annotations

import asyncio

from tests.rest_compat import given
from tests.rest_compat.reference import assert_keys, assert_list_headers, example, url

LIST, ONE = "/external/v1/signals", "/external/v1/signals/:publicId"
PROCESS = "/external/v1/signals/:publicId/process"
# Documented on the Signal object but left out of some examples, and the create options clients send.
SIGNAL_EXTRA = ("processing", "sourceKey", "participantPolicy", "createMissingAccounts")
RAW_ZENDESK = {
    "processorType": "zendesk",
    "providerType": "zendesk",
    "evidenceKind": "support_ticket",
    "analysisProfile": "support_ticket",
    "source": {"type": "zendesk", "external_data": {"ticketId": "12345"}},
    "data": {"subject": "Users cannot reset password", "severity": "high"},
    "externalId": "external-123",
}


def create_example(**changes):
    """The reference's create request, without its placeholder product id unless a real one is given."""
    request = {**example("POST", LIST)["exampleRequest"], **changes}
    if "productIds" not in changes:
        del request["productIds"]
    return request


async def test_create_example_is_201_queued_with_the_derived_fields(api):
    product = await given.product(api)
    spec = example("POST", LIST)
    response = await api.rest("POST", url(LIST), json=create_example(productIds=[product["id"]]))
    assert response.status_code == 201
    body = response.json()
    assert_keys(
        body,
        spec["exampleResponse"],
        extra=("accountIds", "sourceKey", "participantPolicy", "createMissingAccounts"),
    )
    expected = spec["exampleResponse"]
    for field in (
        "signalType",
        "processorType",
        "providerType",
        "evidenceKind",
        "analysisProfile",
        "provenance",
        "sourceFacet",
        "sourceLabel",
        "sourceLinks",
        "source",
        "accountExternalId",
        "externalId",
        "createdAt",
    ):
        assert body[field] == expected[field], field
    assert body["publicId"].startswith("SIGNAL-") and body["workspaceId"] == api.workspace_id
    assert body["data"]["productIds"] == [product["id"]]
    assert body["data"]["additionalContext"] == expected["data"]["additionalContext"]
    # The name sent is kept (the reference's example shows a generated one although a name was sent).
    assert body["name"] == "G2 Reviews - March Batch"
    assert body["status"] == "processing"
    assert isinstance(body["jobId"], str) and body["jobId"] == body["processing"]["lastJobId"]


async def test_a_name_is_generated_from_the_type_and_occurred_at(api):
    request = create_example()
    del request["name"], request["externalId"]
    body = (await api.rest("POST", url(LIST), json=request)).json()
    assert body["name"] == example("POST", LIST)["exampleResponse"]["name"] == "Review - 3/11/25, 2:30 PM"


async def test_a_known_external_id_returns_the_existing_signal_with_200(api):
    first = await api.rest("POST", url(LIST), json=create_example())
    again = await api.rest("POST", url(LIST), json=create_example(text="changed"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["publicId"] == first.json()["publicId"]
    assert "jobId" in first.json() and "jobId" not in again.json()  # nothing was queued the second time
    assert (await api.rest("GET", url(LIST))).headers["X-Total-Count"] == "1"


async def test_an_unknown_account_external_id_is_linked_once_the_account_exists(api):
    signal = (await api.rest("POST", url(LIST), json=create_example())).json()
    assert signal["accountIds"] == [] and signal["accountId"] is None
    account = await given.account(api, externalId="crm-example-account")
    got = (await api.rest("GET", url(ONE, publicId=signal["publicId"]))).json()
    assert got["accountIds"] == [account["id"]] and got["accountId"] == account["id"]


async def test_create_accepts_the_client_options(api):
    body = (
        await api.rest(
            "POST",
            url(LIST),
            json=create_example(
                externalId="opts",
                sourceKey="g2-march",
                participantPolicy="create",
                createMissingAccounts=True,
            ),
        )
    ).json()
    assert (body["sourceKey"], body["participantPolicy"], body["createMissingAccounts"]) == (
        "g2-march",
        "create",
        True,
    )
    default = (await api.rest("POST", url(LIST), json=create_example(externalId="defaults"))).json()
    assert (default["participantPolicy"], default["createMissingAccounts"]) == ("link", False)


async def test_create_errors_name_the_field(api):
    bad_type = await api.rest("POST", url(LIST), json={"text": "t", "signalType": "tweet"})
    assert bad_type.status_code == 400
    assert bad_type.json()["message"] == (
        "signalType must be one of the following values: transcript, support_ticket, review, feedback_record, discovery_report"
    )
    bad_date = await api.rest("POST", url(LIST), json={"text": "t", "signalType": "review", "occurredAt": "yesterday"})
    assert bad_date.status_code == 400 and bad_date.json()["message"].startswith("occurredAt")
    no_text = await api.rest("POST", url(LIST), json={"signalType": "review"})
    assert no_text.status_code == 400 and "text" in str(no_text.json()["message"])


async def test_list_and_get_examples_return_the_raw_signal(api):
    created = await api.rest("POST", url(LIST), json=RAW_ZENDESK)
    assert created.status_code == 201
    spec = example("GET", LIST)
    listed = await api.rest("GET", f"{url(LIST)}?{spec['exampleQuery']}")
    assert listed.status_code == 200
    assert_list_headers(listed.headers, total=1, limit=10, offset=0, has_more=False)
    [item] = listed.json()
    assert_keys(item, spec["exampleResponse"][0], extra=SIGNAL_EXTRA)
    expected = spec["exampleResponse"][0]
    for field in (
        "processorType",
        "providerType",
        "evidenceKind",
        "analysisProfile",
        "provenance",
        "sourceFacet",
        "source",
        "data",
        "externalId",
        "signalType",
        "accountId",
        "accountIds",
        "insightIds",
    ):
        assert item[field] == expected[field], field
    one = await api.rest("GET", url(ONE, publicId=item["publicId"]))
    assert one.status_code == 200
    assert_keys(one.json(), example("GET", ONE)["exampleResponse"], extra=SIGNAL_EXTRA)
    assert one.json() == item


async def test_update_example_links_insights(api):
    signal = (await api.rest("POST", url(LIST), json=RAW_ZENDESK)).json()
    insight = await given.insight(api)
    request = {"insightIds": [insight["id"]]}
    response = await api.rest("PATCH", url(ONE, publicId=signal["publicId"]), json=request)
    assert response.status_code == 200
    assert response.json()["insightIds"] == [insight["id"]]
    assert_keys(response.json(), example("GET", ONE)["exampleResponse"], extra=SIGNAL_EXTRA)
    bad = await api.rest("PATCH", url(ONE, publicId=signal["publicId"]), json={"status": "processing"})
    assert bad.status_code == 400 and "status" in str(bad.json()["message"])


async def test_delete_example_then_404(api):
    signal = (await api.rest("POST", url(LIST), json=RAW_ZENDESK)).json()
    response = await api.rest("DELETE", url(ONE, publicId=signal["publicId"]))
    assert response.status_code == 200 and response.json() == example("DELETE", ONE)["exampleResponse"]
    missing = await api.rest("GET", url(ONE, publicId=signal["publicId"]))
    assert missing.status_code == 404
    assert missing.json()["message"] == f"Signal {signal['publicId']} not found"


async def test_process_example_queues_a_job(api):
    signal = (await api.rest("POST", url(LIST), json=create_example())).json()
    response = await api.rest("POST", url(PROCESS, publicId=signal["publicId"]))
    assert response.status_code == 201
    assert_keys(response.json(), example("POST", PROCESS)["exampleResponse"])
    job_id = response.json()["jobId"]
    assert isinstance(job_id, str) and job_id != signal["jobId"]
    got = (await api.rest("GET", url(ONE, publicId=signal["publicId"]))).json()
    assert got["processing"]["lastJobId"] == job_id
    assert (await api.rest("POST", url(PROCESS, publicId="SIGNAL-999999"))).status_code == 404


async def test_other_workspace_signal_is_404(api, make_api):
    other = await make_api()
    theirs = (await other.rest("POST", url(LIST), json=RAW_ZENDESK)).json()
    for method, kwargs in (("GET", {}), ("PATCH", {"json": {"context": "x"}}), ("DELETE", {})):
        assert (await api.rest(method, url(ONE, publicId=theirs["publicId"]), **kwargs)).status_code == 404, (
            method
        )


async def test_a_public_id_past_the_integer_column_is_404_on_every_route(api):
    """`SIGNAL-2147483648` was a 500 on PostgreSQL, whose INTEGER column refused the number as a parameter."""
    for public_id in ("SIGNAL-2147483648", "SIGNAL-999999999999999999"):
        for method, path, kwargs in (
            ("GET", ONE, {}),
            ("PATCH", ONE, {"json": {"context": "x"}}),
            ("DELETE", ONE, {}),
            ("POST", PROCESS, {}),
        ):
            response = await api.rest(method, url(path, publicId=public_id), **kwargs)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["message"] == f"Signal {public_id} not found"


async def test_updates_and_runs_racing_the_delete_are_answered_before_or_after_it(api):
    """On PostgreSQL a write that found the signal just before its delete committed: a 500."""
    for _ in range(4):
        signal = (await api.rest("POST", url(LIST), json=create_example())).json()
        one, process = url(ONE, publicId=signal["publicId"]), url(PROCESS, publicId=signal["publicId"])
        responses = await asyncio.gather(
            api.rest("DELETE", one),
            *(api.rest("PATCH", one, json={"name": f"n{i}"}) for i in range(2)),
            *(api.rest("POST", process) for _ in range(2)),
        )
        for response in responses:
            assert response.status_code in (200, 201, 404), response.text
            if response.status_code == 404:
                assert response.json()["message"] == f"Signal {signal['publicId']} not found"
