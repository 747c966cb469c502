"""Creating signals through /graphql: typed text and raw bodies, derived fields, validation, externalId
dedupe, and gap-free per-workspace public ids under concurrency."""

from __future__ import annotations

import asyncio

import pytest

from signalgraph.storage.models import Signal
from tests.factories import CREATE_SIGNAL, create_account, create_product, create_signal

SIGNAL_FIELDS = """
  id name publicId workspaceId status context signalType processorType providerType evidenceKind analysisProfile
  provenance { providerType evidenceKind analysisProfile } sourceFacet sourceLabel
  sourceLinks { name url type primary } source data insightIds accountIds accountId accountExternalId externalId
  sourceKey participantPolicy createMissingAccounts productIds createdAt updatedAt text
  processing { lastJobId startedAt processedAt failedAt lastError }
"""
CREATE = f"""
mutation($input: CreateSignalInput!) {{
  createSignal(input: $input) {{ created jobId signal {{ {SIGNAL_FIELDS} }} }}
}}
"""
SIGNAL = f"query($publicId: String!) {{ signal(publicId: $publicId) {{ {SIGNAL_FIELDS} }} }}"
COUNT = "{ signals { totalCount } }"

G2_LINK = {
    "name": "Open G2 review",
    "url": "https://www.g2.com/products/example-product/reviews/review-row-1",
    "type": "review",
    "primary": True,
}


async def create(api, **fields):
    return (await api.ok(CREATE, {"input": fields}))["createSignal"]


async def test_typed_create_with_every_field_derives_the_documented_values(api):
    # given a product, an account linked by id, and one known by its CRM external id
    product = await create_product(api)
    direct = await create_account(api, name="Direct")
    crm = await create_account(api, name="CRM", externalId="crm-example-account")

    # when a typed review is created with every field of the REST body
    result = await create(
        api,
        text="Users love the product, but exports are hard to find.",
        signalType="review",
        providerType="g2",
        externalId="g2-review:review-row-1",
        additionalContext="Public review batch collected from G2.",
        occurredAt="2025-03-11T14:30:00Z",
        productIds=[product["id"]],
        accountId=direct["id"],
        accountIds=[direct["id"]],
        accountExternalId="crm-example-account",
        sourceExternalData={
            "reviewId": "review-row-1",
            "rating": 3,
            "productSlug": "example-product",
            "reviewUrl": "HTTPS://WWW.G2.COM/legacy/review-row-1",
        },
        sourceLinks=[G2_LINK, {"url": "ftp://files.example.com/review.csv"}, {"url": "javascript:alert(1)"}],
        sourceKey="g2-march-batch",
        participantPolicy="create",
        createMissingAccounts=True,
    )

    # then the signal holds the derived values of the spec's create example
    assert result["created"] is True and result["jobId"].startswith("process_signal:")
    signal = result["signal"]
    assert signal["publicId"] == "SIGNAL-1"
    assert signal["workspaceId"] == api.workspace_id
    assert signal["name"] == "Review - 3/11/25, 2:30 PM"
    assert signal["status"] == "processing"  # typed text is queued for processing at once
    assert signal["context"] is None
    assert (signal["signalType"], signal["processorType"], signal["providerType"]) == ("review", "manual-text", "g2")
    assert (signal["evidenceKind"], signal["analysisProfile"]) == ("review", "survey_response")
    assert signal["provenance"] == {"providerType": "g2", "evidenceKind": "review", "analysisProfile": "survey_response"}
    assert signal["sourceFacet"] == "g2:review"
    assert signal["sourceLabel"] == "G2 Review"
    legacy = {"name": "Open G2 review", "url": "https://www.g2.com/legacy/review-row-1", "type": "review",
              "primary": False}
    assert signal["sourceLinks"] == [G2_LINK, legacy]
    assert signal["source"] == {
        "type": "manual-text",
        "external_data": {
            "reviewId": "review-row-1",
            "rating": 3,
            "productSlug": "example-product",
            "reviewUrl": "HTTPS://WWW.G2.COM/legacy/review-row-1",
            "links": [G2_LINK],
        },
    }
    data = dict(signal["data"])
    assert data.pop("uploadedAt").endswith("Z")
    assert data == {
        "s3Key": f"signals/manual-text/{api.workspace_id}/{signal['id']}.txt",
        "productIds": [product["id"]],
        "accountId": direct["id"],
        "accountExternalId": "crm-example-account",
        "additionalContext": "Public review batch collected from G2.",
    }
    assert signal["accountIds"] == [direct["id"], crm["id"]] and signal["accountId"] == direct["id"]
    assert signal["accountExternalId"] == "crm-example-account"
    assert signal["productIds"] == [product["id"]]
    assert signal["insightIds"] == []
    assert signal["externalId"] == "g2-review:review-row-1"
    assert signal["sourceKey"] == "g2-march-batch"
    assert signal["participantPolicy"] == "create" and signal["createMissingAccounts"] is True
    assert signal["createdAt"] == "2025-03-11T14:30:00Z" and signal["updatedAt"] > "2025-03-12"
    assert signal["text"] == "Users love the product, but exports are hard to find."
    assert signal["processing"] == {
        "lastJobId": result["jobId"], "startedAt": signal["updatedAt"], "processedAt": None, "failedAt": None,
        "lastError": None,
    }
    # and reading it back gives the same
    assert (await api.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"] == signal


async def test_typed_defaults_for_a_bare_text_signal(api):
    result = await create(api, text="Call notes", signalType="transcript")
    signal = result["signal"]
    assert signal["providerType"] == "external_api"
    assert signal["provenance"] == {
        "providerType": "external_api", "evidenceKind": "transcript", "analysisProfile": "default_transcript"
    }
    assert signal["sourceFacet"] == "external_api:transcript" and signal["sourceLabel"] == "API transcript"
    assert signal["source"] == {"type": "manual-text"}
    assert set(signal["data"]) == {"s3Key", "uploadedAt"}
    assert signal["sourceLinks"] == [] and signal["accountIds"] == [] and signal["accountId"] is None
    assert signal["participantPolicy"] == "link" and signal["createMissingAccounts"] is False
    assert signal["name"].startswith("Transcript - ") and signal["name"][-2:] in ("AM", "PM")
    assert signal["createdAt"] == signal["updatedAt"]


@pytest.mark.parametrize(
    ("signal_type", "occurred_at", "name"),
    [
        ("support_ticket", "2024-01-05T00:07:00Z", "Support Ticket - 1/5/24, 12:07 AM"),
        ("transcript", "2025-12-25T12:00:00Z", "Transcript - 12/25/25, 12:00 PM"),
        ("feedback_record", "2009-07-04T09:05:00+02:00", "Feedback Record - 7/4/09, 7:05 AM"),
        ("discovery_report", "2024-03-20T23:59:59Z", "Discovery Report - 3/20/24, 11:59 PM"),
    ],
)
async def test_generated_name_is_type_label_and_utc_time(api, signal_type, occurred_at, name):
    result = await create(api, text="t", signalType=signal_type, occurredAt=occurred_at)
    assert result["signal"]["name"] == name


async def test_sent_name_and_overrides_are_kept(api):
    result = await create(
        api, name="G2 Reviews - March Batch", text="t", signalType="review",
        evidenceKind="survey_response", analysisProfile="discovery_report",
    )
    signal = result["signal"]
    assert signal["name"] == "G2 Reviews - March Batch"
    assert signal["provenance"] == {
        "providerType": "external_api", "evidenceKind": "survey_response", "analysisProfile": "discovery_report"
    }
    assert signal["sourceLabel"] == "API survey response"


async def test_unknown_provider_and_evidence_labels_fall_back_to_their_words(api):
    result = await create(api, text="t", signalType="review", providerType="acme_crm", evidenceKind="call_note")
    assert result["signal"]["sourceLabel"] == "Acme Crm call note"
    assert result["signal"]["sourceFacet"] == "acme_crm:call_note"


async def test_source_links_are_deduplicated_with_one_primary_and_default_names(api):
    result = await create(
        api, text="t", signalType="support_ticket", providerType="zendesk",
        sourceLinks=[
            {"url": "https://example.zendesk.com/tickets/1"},
            {"url": " https://example.zendesk.com/tickets/2 ", "name": "Second", "primary": True},
            {"url": "https://EXAMPLE.zendesk.com/tickets/1", "name": "Duplicate"},
            {"url": "https://example.zendesk.com/tickets/3", "primary": True},
            {"url": "mailto:help@example.com"},
        ],
    )
    assert result["signal"]["sourceLinks"] == [
        {"name": "Duplicate", "url": "https://example.zendesk.com/tickets/1", "type": "support_ticket",
         "primary": False},
        {"name": "Second", "url": "https://example.zendesk.com/tickets/2", "type": "support_ticket", "primary": True},
        {"name": "Open Zendesk ticket", "url": "https://example.zendesk.com/tickets/3", "type": "support_ticket",
         "primary": False},
    ]


async def test_raw_create_keeps_source_and_data_and_derives_the_spec_example(api):
    result = await create(
        api,
        processorType="zendesk",
        providerType="zendesk",
        evidenceKind="support_ticket",
        source={"type": "zendesk", "external_data": {"ticketId": "12345"}},
        data={"subject": "Users cannot reset password", "severity": "high",
              "ticketUrl": "https://example.zendesk.com/agent/tickets/12345"},
        externalId="external-123",
        occurredAt="2024-03-20T10:00:00Z",
    )
    signal = result["signal"]
    assert result["created"] is True
    assert signal["name"] == "Support Ticket - 3/20/24, 10:00 AM"
    assert signal["signalType"] is None
    assert (signal["processorType"], signal["providerType"], signal["evidenceKind"]) == (
        "zendesk", "zendesk", "support_ticket"
    )
    assert signal["analysisProfile"] == "support_ticket"
    assert signal["sourceFacet"] == "zendesk:support_ticket"
    assert signal["sourceLabel"] == "Zendesk support ticket"
    assert signal["sourceLinks"] == [{
        "name": "Open Zendesk ticket", "url": "https://example.zendesk.com/agent/tickets/12345",
        "type": "support_ticket", "primary": True,
    }]
    assert signal["source"] == {"type": "zendesk", "external_data": {"ticketId": "12345"}}
    assert signal["data"]["severity"] == "high" and "s3Key" not in signal["data"]
    assert signal["text"] is None
    assert signal["createdAt"] == "2024-03-20T10:00:00Z"


async def test_raw_create_defaults_processor_from_source_and_merges_external_data(api):
    result = await create(
        api, source={"type": "gong"}, sourceExternalData={"callId": "c1"},
        sourceLinks=[{"url": "https://app.gong.io/call?id=c1"}], additionalContext="Q3 calls",
    )
    signal = result["signal"]
    assert signal["processorType"] == "gong" and signal["providerType"] == "external_api"
    assert signal["evidenceKind"] is None and signal["analysisProfile"] is None
    assert signal["provenance"] == {"providerType": "external_api", "evidenceKind": None, "analysisProfile": None}
    assert signal["sourceFacet"] == "external_api" and signal["sourceLabel"] == "API"
    assert signal["name"].startswith("API - ")
    link = {"name": "Open source", "url": "https://app.gong.io/call?id=c1", "type": "source", "primary": True}
    assert signal["source"] == {"type": "gong", "external_data": {"callId": "c1", "links": [link]}}
    assert signal["sourceLinks"] == [link]
    assert signal["data"] == {"additionalContext": "Q3 calls"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "t"}, "signalType"),
        ({"signalType": "review"}, "text"),
        ({}, "text"),
        ({"name": "Only a name"}, "text"),
        ({"text": "   ", "signalType": "review"}, "text"),
        ({"text": "t", "signalType": "review", "source": {"type": "x"}}, "source"),
        ({"text": "t", "signalType": "review", "data": {}}, "data"),
        ({"text": "t", "signalType": "review", "processorType": "gong"}, "processorType"),
        ({"text": "t", "signalType": "review", "sourceExternalData": [1, 2]}, "sourceExternalData"),
        ({"text": "t", "signalType": "review", "name": " "}, "name"),
        ({"text": "t", "signalType": "review", "externalId": ""}, "externalId"),
        ({"text": "t", "signalType": "review", "providerType": "x" * 65}, "providerType"),
        ({"source": {"external_data": {}}}, "source"),
        ({"source": "zendesk"}, "source"),
        ({"processorType": "zendesk", "data": "not an object"}, "data"),
        ({"processorType": "manual-text", "data": {}}, "text"),
        ({"source": {"type": "manual-text"}}, "text"),
    ],
)
async def test_invalid_create_is_bad_user_input_naming_the_field(api, fields, field):
    error = await api.error(CREATE, {"input": fields})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert (await api.ok(COUNT))["signals"]["totalCount"] == 0


async def test_unknown_enum_values_are_bad_user_input(api):
    for fields in ({"signalType": "podcast"}, {"signalType": "review", "analysisProfile": "vibes"},
                   {"signalType": "review", "participantPolicy": "always"}):
        error = await api.error(CREATE, {"input": {"text": "t", **fields}})
        assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_same_external_id_returns_the_existing_signal_unchanged(api):
    first = await create(api, text="original", signalType="review", externalId="ext-1", name="First")
    again = await create(api, text="changed", signalType="transcript", externalId="ext-1", name="Second")
    assert again["created"] is False and again["jobId"] is None
    assert again["signal"] == first["signal"]
    assert again["signal"]["text"] == "original" and again["signal"]["name"] == "First"
    assert (await api.ok(COUNT))["signals"]["totalCount"] == 1
    # and the dedupe used no public number
    assert (await create(api, text="next", signalType="review"))["signal"]["publicId"] == "SIGNAL-2"


async def test_concurrent_creates_get_unique_gap_free_public_ids(api):
    results = await asyncio.gather(
        *(api.ok(CREATE_SIGNAL, {"input": {"text": f"t{i}", "signalType": "review"}}) for i in range(20))
    )
    public_ids = sorted(r["createSignal"]["signal"]["publicId"] for r in results)
    assert sorted(public_ids, key=lambda p: int(p.split("-")[1])) == [f"SIGNAL-{n}" for n in range(1, 21)]
    assert (await api.ok(COUNT))["signals"]["totalCount"] == 20


async def test_concurrent_creates_with_one_external_id_make_one_signal(api, services):
    results = await asyncio.gather(
        *(api.ok(CREATE_SIGNAL, {"input": {"text": "t", "signalType": "review", "externalId": "race"}})
          for _ in range(10))
    )
    created = [r["createSignal"] for r in results]
    assert sum(c["created"] for c in created) == 1
    assert {c["signal"]["id"] for c in created} == {created[0]["signal"]["id"]}
    assert {c["signal"]["publicId"] for c in created} == {"SIGNAL-1"}
    assert (await api.ok(COUNT))["signals"]["totalCount"] == 1
    assert (await create(api, text="next", signalType="review"))["signal"]["publicId"] == "SIGNAL-2"


async def test_public_ids_are_numbered_per_workspace(make_api):
    alice, bob = await make_api(), await make_api()
    assert (await create_signal(alice))["publicId"] == "SIGNAL-1"
    assert (await create_signal(alice))["publicId"] == "SIGNAL-2"
    assert (await create_signal(bob))["publicId"] == "SIGNAL-1"


async def test_account_external_id_without_account_is_kept_unlinked(api, services):
    signal = (await create(api, text="t", signalType="review", accountExternalId="crm-later"))["signal"]
    assert signal["accountIds"] == [] and signal["accountId"] is None
    assert signal["accountExternalId"] == "crm-later" and signal["data"]["accountExternalId"] == "crm-later"
    async with services.db.read() as session:
        row = await session.get(Signal, signal["id"])
    assert row.account_external_id == "crm-later"


async def test_linking_another_workspaces_ids_is_not_found(make_api):
    alice, bob = await make_api(), await make_api()
    product = await create_product(alice)
    account = await create_account(alice, externalId="shared-crm-id")
    for fields, field in (
        ({"productIds": [product["id"]]}, "productIds"),
        ({"accountId": account["id"]}, "accountId"),
        ({"accountIds": [account["id"]]}, "accountIds"),
    ):
        error = await bob.error(CREATE, {"input": {"text": "t", "signalType": "review", **fields}})
        assert error["extensions"] == {"code": "NOT_FOUND", "field": field}
    assert (await bob.ok(COUNT))["signals"]["totalCount"] == 0
    # an accountExternalId only matches accounts of the caller's workspace
    signal = (await create(bob, text="t", signalType="review", accountExternalId="shared-crm-id"))["signal"]
    assert signal["accountIds"] == [] and signal["publicId"] == "SIGNAL-1"


async def test_create_needs_signals_write(make_api):
    reader = await make_api(scopes=["signals:read"])
    error = await reader.error(CREATE, {"input": {"text": "t", "signalType": "review"}})
    assert error["extensions"]["code"] == "FORBIDDEN" and "signals:write" in error["message"]
    writer = await make_api(scopes=["signals:write"], workspace=reader.workspace)
    assert (await create_signal(writer))["publicId"] == "SIGNAL-1"
