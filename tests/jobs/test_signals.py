"""Signal processing through /graphql on the in-process runner: create → processing → processed with
linked insights; re-processing reconciles; processSignal, job(id:) and Signal.processing."""

from __future__ import annotations

from tests.factories import create_account, create_product
from tests.processing.extract.test_local import TICKET, TRANSCRIPT

CREATE = """
mutation($input: CreateSignalInput!) {
  createSignal(input: $input) { jobId signal { publicId status processing { lastJobId startedAt processedAt } } }
}
"""
SIGNAL = """
query($publicId: String!) { signal(publicId: $publicId) {
  id status context insightIds accountIds
  processing { lastJobId startedAt processedAt failedAt lastError }
  insights { nodes { id name description status type productId accountIds signalIds classifications provenance } }
  accounts { nodes { name domain } }
} }
"""
PROCESS = """
mutation($publicId: String!) { processSignal(publicId: $publicId) { jobId signal { status processing { lastJobId } } } }
"""
JOB = "query($id: ID!) { job(id: $id) { id kind targetId status attempts lastError startedAt finishedAt } }"
PUBLISH = 'mutation($id: ID!) { updateInsight(id: $id, input: {status: published}) { insight { id } } }'
CONTACTS = "query($id: ID!) { account(id: $id) { contacts { name email role } } }"


async def create(api, **fields):
    return (await api.ok(CREATE, {"input": fields}))["createSignal"]


async def settled(api, services, public_id):
    await services.queue.drain()
    return (await api.ok(SIGNAL, {"publicId": public_id}))["signal"]


async def test_a_created_signal_is_processed_into_linked_insights(api, services):
    product = await create_product(api, name="Fleet")
    customer = await create_account(api, name="Northwind Logistics")

    created = await create(
        api, text=TRANSCRIPT, signalType="transcript", productIds=[product["id"]],
        accountIds=[customer["id"]], participantPolicy="create",
    )

    # the create answers at once: processing, with its job
    assert created["signal"]["status"] == "processing"
    assert created["jobId"] == created["signal"]["processing"]["lastJobId"]
    assert created["signal"]["processing"]["startedAt"] and created["signal"]["processing"]["processedAt"] is None
    signal = await settled(api, services, created["signal"]["publicId"])
    assert signal["status"] == "processed" and signal["context"] == "user_interview"
    assert signal["processing"]["processedAt"] and signal["processing"]["lastError"] is None
    insights = {i["name"]: i for i in signal["insights"]["nodes"]}
    assert set(insights) == {
        "CSV export is so slow for our larger accounts",
        "Export failed with a 500 error twice",
        "Scheduled export",
        "New route dashboard",
        "API for pulling delivery data into Power BI",
    }
    slow = insights["CSV export is so slow for our larger accounts"]
    assert slow["status"] == "draft" and slow["type"] == "user-interview"
    assert slow["productId"] == product["id"]
    assert slow["accountIds"] == [customer["id"]] and slow["signalIds"] == [signal["id"]]
    assert slow["classifications"] == {"kind": "pain_point", "sentiment": "negative", "severity": "medium", "mentions": 2}
    assert slow["provenance"]["signalId"] == signal["id"]
    assert slow["provenance"]["signalPublicId"] == created["signal"]["publicId"]
    quote = slow["provenance"]["quote"]
    assert TRANSCRIPT[slow["provenance"]["start"]:slow["provenance"]["end"]] == quote
    assert slow["provenance"]["speaker"] == "Dana Whitfield" and len(slow["provenance"]["evidence"]) == 2
    assert "“The CSV export is so slow for our larger accounts" in slow["description"]
    assert sorted(signal["insightIds"]) == sorted(i["id"] for i in signal["insights"]["nodes"])
    # the speaker named her company, which the existing account matched, and became its contact
    assert signal["accountIds"] == [customer["id"]]
    contacts = (await api.ok(CONTACTS, {"id": customer["id"]}))["account"]["contacts"]
    assert contacts == [{"name": "Dana Whitfield", "email": None, "role": "operations lead"}]
    job = (await api.ok(JOB, {"id": created["jobId"]}))["job"]
    assert job["kind"] == "process_signal" and job["targetId"] == signal["id"]
    assert (job["status"], job["attempts"], job["lastError"]) == ("succeeded", 1, None)


async def test_re_processing_reconciles_instead_of_duplicating(api, services):
    created = await create(api, text=TICKET, signalType="support_ticket", participantPolicy="create",
                           createMissingAccounts=True)
    public_id = created["signal"]["publicId"]
    first = await settled(api, services, public_id)
    kept = first["insights"]["nodes"][0]
    await api.ok(PUBLISH, {"id": kept["id"]})

    rerun = (await api.ok(PROCESS, {"publicId": public_id}))["processSignal"]

    assert rerun["signal"]["status"] == "processing"
    assert rerun["jobId"] == rerun["signal"]["processing"]["lastJobId"] != created["jobId"]
    second = await settled(api, services, public_id)
    assert second["status"] == "processed"
    assert sorted(second["insightIds"]) == sorted(first["insightIds"])  # the same insights, updated
    assert {i["id"]: i["status"] for i in second["insights"]["nodes"]}[kept["id"]] == "published"
    # the sender's company was created once, with her as its contact, and found again on the re-run
    assert second["accounts"]["nodes"] == [{"name": "Brightside Health", "domain": "brightside-health.com"}]
    contacts = (await api.ok(CONTACTS, {"id": second["accountIds"][0]}))["account"]["contacts"]
    assert contacts == [{"name": "Priya Raman", "email": "priya.raman@brightside-health.com",
                         "role": "Finance Operations Manager"}]
    assert (await api.ok(JOB, {"id": rerun["jobId"]}))["job"]["status"] == "succeeded"


async def test_participant_policies_decide_what_is_linked_or_created(api, services):
    none = await create(api, text=TICKET, signalType="support_ticket", participantPolicy="none",
                        createMissingAccounts=True)
    link_only = await create(api, text=TICKET, signalType="support_ticket", participantPolicy="link")

    assert (await settled(api, services, none["signal"]["publicId"]))["accounts"]["nodes"] == []
    assert (await settled(api, services, link_only["signal"]["publicId"]))["accounts"]["nodes"] == []  # nothing to link to
    account = await create_account(api, name="Brightside", domain="brightside-health.com")
    relinked = (await api.ok(PROCESS, {"publicId": link_only["signal"]["publicId"]}))["processSignal"]
    signal = await settled(api, services, link_only["signal"]["publicId"])
    assert rerun_ok(relinked) and signal["accountIds"] == [account["id"]]
    assert (await api.ok(CONTACTS, {"id": account["id"]}))["account"]["contacts"] == []  # link creates no contacts


def rerun_ok(result) -> bool:
    return result["signal"]["status"] == "processing" and bool(result["jobId"])


async def post_and_settle(api, services, body):
    """POST the signal over REST, check it answers queued, run its job; returns (created, settled)."""
    response = await api.rest("POST", "/external/v1/signals", json=body)
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "processing" and created["jobId"] == created["processing"]["lastJobId"]
    await services.queue.drain()
    return created, (await api.rest("GET", f"/external/v1/signals/{created['publicId']}")).json()


async def test_a_signal_posted_over_rest_ends_processed(http_api, services):
    _, signal = await post_and_settle(http_api, services, {
        "text": TICKET, "signalType": "support_ticket", "providerType": "zendesk",
    })

    assert signal["status"] == "processed" and signal["context"] == "support_request"
    assert len(signal["insightIds"]) == 3 and signal["processing"]["processedAt"]  # 2 bugs and a question
    insight = (await http_api.rest("GET", f"/external/v1/insights/{signal['insightIds'][0]}")).json()
    assert insight["type"] == "support-ticket" and insight["status"] == "draft"


async def test_a_raw_signal_is_auto_queued_from_the_evidence_in_its_payloads(http_api, services):
    created, signal = await post_and_settle(http_api, services, {
        "processorType": "zendesk", "providerType": "zendesk", "evidenceKind": "support_ticket",
        "source": {"type": "zendesk", "external_data": {"ticketId": "12345"}},
        "data": {"subject": "Password reset", "comments": [
            {"author": "Ana", "body": "The password reset link is broken for every new user."},
            {"author": "Support", "body": "Thanks, we are looking into it."},
        ]},
    })

    assert signal["status"] == "processed" and signal["context"] == "support_request"
    assert signal["data"] == created["data"]  # the payload is kept as sent
    insights = [(await http_api.rest("GET", f"/external/v1/insights/{i}")).json() for i in signal["insightIds"]]
    assert [(i["type"], i["name"]) for i in insights] == [
        ("support-ticket", "Password reset link is broken for every new user")
    ]


async def test_a_raw_signal_without_evidence_text_waits_unqueued(http_api, services):
    response = await http_api.rest("POST", "/external/v1/signals", json={
        "processorType": "zendesk", "data": {"ticketId": 12345, "severity": "high"},
    })
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "pending" and "jobId" not in created
    refused = await http_api.rest("POST", f"/external/v1/signals/{created['publicId']}/process")
    assert refused.status_code == 400 and "without text" in refused.json()["message"]
