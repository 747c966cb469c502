"""Signals through /graphql after creation: read by publicId, list with filters and paging, update,
delete (with the raw text), relations, scopes and workspace isolation."""

from __future__ import annotations

import pytest

from signalgraph.storage import blobs
from signalgraph.storage.repositories.signals import text_key
from tests.factories import create_account, create_insight, create_product, create_signal

SIGNAL = """
query($publicId: String!) { signal(publicId: $publicId) {
  id publicId name status context externalId source data sourceLinks { url primary } insightIds text updatedAt
} }
"""
SIGNALS = """
query($first: Int, $after: String, $offset: Int, $filter: SignalFilter) {
  signals(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { publicId name text } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
UPDATE = """
mutation($publicId: String!, $input: UpdateSignalInput!) {
  updateSignal(publicId: $publicId, input: $input) { signal {
    publicId name status context externalId source data sourceLinks { name url type primary } insightIds updatedAt
  } }
}
"""
DELETE = "mutation($publicId: String!) { deleteSignal(publicId: $publicId) { deletedId message } }"
RELATIONS = """
query($publicId: String!) { signal(publicId: $publicId) {
  insights { nodes { id description } } accounts { nodes { id name } } products { nodes { id name } }
} }
"""


async def test_read_by_public_id_and_unknown_or_malformed_ids_are_null(api):
    created = await create_signal(api, name="Export pain", text="Exports are slow.")
    signal = (await api.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"]
    assert signal["id"] == created["id"] and signal["name"] == "Export pain"
    assert signal["text"] == "Exports are slow."
    for missing in ("SIGNAL-2", "SIGNAL-01", "SIGNAL-0", "signal-1", "1", "SIGNAL-x"):
        assert (await api.ok(SIGNAL, {"publicId": missing}))["signal"] is None


async def test_list_is_newest_first_and_pages(api):
    await create_signal(api, name="old", occurredAt="2020-01-01T00:00:00Z")
    for name in ("a", "b", "c"):
        await create_signal(api, name=name)
    first = (await api.ok(SIGNALS, {"first": 2}))["signals"]
    assert first["totalCount"] == 4
    assert [n["publicId"] for n in first["nodes"]] == ["SIGNAL-4", "SIGNAL-3"]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    rest = (await api.ok(SIGNALS, {"first": 10, "after": first["pageInfo"]["endCursor"]}))["signals"]
    assert [n["name"] for n in rest["nodes"]] == ["a", "old"]
    assert rest["pageInfo"]["hasNextPage"] is False
    by_offset = (await api.ok(SIGNALS, {"first": 1, "offset": 3}))["signals"]
    assert [n["name"] for n in by_offset["nodes"]] == ["old"]
    assert [n["text"] for n in by_offset["nodes"]] == ["Exports are slow."]


async def test_list_filters(api):
    product = await create_product(api)
    account = await create_account(api)
    await create_signal(api, name="Ticket about exports", signalType="support_ticket", providerType="zendesk",
                        externalId="z-1", accountId=account["id"])
    await create_signal(api, name="Review of onboarding", providerType="g2", productIds=[product["id"]])
    await api.ok(UPDATE, {"publicId": "SIGNAL-2", "input": {"status": "processed"}})

    async def names(**filter_):
        return sorted(n["name"] for n in (await api.ok(SIGNALS, {"filter": filter_}))["signals"]["nodes"])

    assert await names(status=["processed"]) == ["Review of onboarding"]
    assert await names(status=["processing", "processed"]) == ["Review of onboarding", "Ticket about exports"]
    assert await names(signalType=["support_ticket"]) == ["Ticket about exports"]
    assert await names(providerType="g2") == ["Review of onboarding"]
    assert await names(externalId="z-1") == ["Ticket about exports"]
    assert await names(accountId=account["id"]) == ["Ticket about exports"]
    assert await names(productId=product["id"]) == ["Review of onboarding"]
    assert await names(search="EXPORTS") == ["Ticket about exports"]
    assert await names(updatedSince="2999-01-01T00:00:00Z") == []


async def test_update_changes_sent_fields_and_recomputes_links(api):
    created = await create_signal(api, name="Before", externalId="e-1")
    before = (await api.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"]
    updated = (await api.ok(UPDATE, {"publicId": "SIGNAL-1", "input": {
        "name": "After",
        "status": "processed",
        "context": "feature_feedback",
        "externalId": "e-2",
        "source": {"type": "zendesk", "external_data": {"url": "https://example.zendesk.com/t/9"}},
        "data": {"permalink": "http://example.com/row/9", "other": "javascript:void(0)"},
    }}))["updateSignal"]["signal"]
    assert updated["publicId"] == "SIGNAL-1"
    assert (updated["name"], updated["status"], updated["context"], updated["externalId"]) == (
        "After", "processed", "feature_feedback", "e-2"
    )
    assert updated["source"] == {"type": "zendesk", "external_data": {"url": "https://example.zendesk.com/t/9"}}
    assert updated["data"] == {"permalink": "http://example.com/row/9", "other": "javascript:void(0)"}
    assert updated["sourceLinks"] == [
        {"name": "Open review", "url": "https://example.zendesk.com/t/9", "type": "review", "primary": True},
        {"name": "Open review", "url": "http://example.com/row/9", "type": "review", "primary": False},
    ]
    assert updated["updatedAt"] >= before["updatedAt"]
    # the raw text survives a replaced data payload
    assert (await api.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"]["text"] == "Exports are slow."
    # absent fields stay, null clears where allowed
    cleared = (await api.ok(UPDATE, {"publicId": "SIGNAL-1", "input": {"context": None, "externalId": None,
                                                                        "data": None}}))["updateSignal"]["signal"]
    assert (cleared["name"], cleared["context"], cleared["externalId"], cleared["data"]) == ("After", None, None, None)
    assert cleared["sourceLinks"] == [{"name": "Open review", "url": "https://example.zendesk.com/t/9",
                                       "type": "review", "primary": True}]
    assert created["id"] == (await api.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"]["id"]


async def test_update_links_insights_by_replacing_them(api):
    await create_signal(api)
    a, b = await create_insight(api, description="a"), await create_insight(api, description="b")
    linked = (await api.ok(UPDATE, {"publicId": "SIGNAL-1", "input": {"insightIds": [a["id"], b["id"], a["id"]]}}))
    assert sorted(linked["updateSignal"]["signal"]["insightIds"]) == sorted([a["id"], b["id"]])
    replaced = (await api.ok(UPDATE, {"publicId": "SIGNAL-1", "input": {"insightIds": [b["id"]]}}))
    assert replaced["updateSignal"]["signal"]["insightIds"] == [b["id"]]
    relations = (await api.ok(RELATIONS, {"publicId": "SIGNAL-1"}))["signal"]
    assert [i["description"] for i in relations["insights"]["nodes"]] == ["b"]
    cleared = (await api.ok(UPDATE, {"publicId": "SIGNAL-1", "input": {"insightIds": []}}))
    assert cleared["updateSignal"]["signal"]["insightIds"] == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": "failed"}, "status"),
        ({"status": "processing"}, "status"),
        ({"status": None}, "status"),
        ({"name": None}, "name"),
        ({"name": "  "}, "name"),
        ({"source": None}, "source"),
        ({"source": {"external_data": {}}}, "source"),
        ({"data": [1]}, "data"),
        ({"externalId": ""}, "externalId"),
    ],
)
async def test_invalid_update_is_bad_user_input_naming_the_field(api, fields, field):
    await create_signal(api, name="Unchanged")
    error = await api.error(UPDATE, {"publicId": "SIGNAL-1", "input": fields})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert (await api.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"]["name"] == "Unchanged"


async def test_update_to_a_taken_external_id_is_a_conflict(api):
    await create_signal(api, externalId="taken")
    await create_signal(api, externalId="mine")
    error = await api.error(UPDATE, {"publicId": "SIGNAL-2", "input": {"externalId": "taken"}})
    assert error["extensions"] == {"code": "CONFLICT", "field": "externalId"}
    same = await api.ok(UPDATE, {"publicId": "SIGNAL-2", "input": {"externalId": "mine"}})
    assert same["updateSignal"]["signal"]["externalId"] == "mine"


async def test_update_missing_signal_is_not_found(api):
    assert await api.error_code(UPDATE, {"publicId": "SIGNAL-9", "input": {"name": "x"}}) == "NOT_FOUND"
    assert await api.error_code(UPDATE, {"publicId": "nonsense", "input": {"name": "x"}}) == "NOT_FOUND"


async def test_delete_removes_signal_links_and_text(api, services):
    created = await create_signal(api)
    insight = await create_insight(api, description="kept")
    await api.ok(UPDATE, {"publicId": "SIGNAL-1", "input": {"insightIds": [insight["id"]]}})
    deleted = (await api.ok(DELETE, {"publicId": "SIGNAL-1"}))["deleteSignal"]
    assert deleted == {"deletedId": created["id"], "message": "Deleted"}
    assert (await api.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"] is None
    async with services.db.read() as session:
        assert await blobs.get(session, api.workspace_id, text_key(api.workspace_id, created["id"])) is None
    kept = await api.ok("query($id: ID!) { insight(id: $id) { id signalIds } }", {"id": insight["id"]})
    assert kept["insight"] == {"id": insight["id"], "signalIds": []}
    assert await api.error_code(DELETE, {"publicId": "SIGNAL-1"}) == "NOT_FOUND"
    # public numbers are never reused
    assert (await create_signal(api))["publicId"] == "SIGNAL-2"


async def test_relations_return_linked_rows(api):
    product = await create_product(api, name="Discovery")
    account = await create_account(api, name="Acme")
    await create_signal(api, productIds=[product["id"]], accountIds=[account["id"]])
    relations = (await api.ok(RELATIONS, {"publicId": "SIGNAL-1"}))["signal"]
    assert relations == {"insights": {"nodes": []}, "accounts": {"nodes": [{"id": account["id"], "name": "Acme"}]},
                         "products": {"nodes": [{"id": product["id"], "name": "Discovery"}]}}


async def test_scopes_guard_read_write_delete_and_relations(make_api):
    writer = await make_api(scopes=["signals:write"])
    reader = await make_api(scopes=["signals:read"], workspace=writer.workspace)
    await create_signal(writer)
    error = await writer.error(SIGNAL, {"publicId": "SIGNAL-1"})
    assert error["extensions"]["code"] == "FORBIDDEN" and "signals:read" in error["message"]
    assert await writer.error_code(SIGNALS) == "FORBIDDEN"
    assert await writer.error_code(DELETE, {"publicId": "SIGNAL-1"}) == "FORBIDDEN"
    assert await reader.error_code(UPDATE, {"publicId": "SIGNAL-1", "input": {"name": "x"}}) == "FORBIDDEN"
    assert (await reader.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"]["publicId"] == "SIGNAL-1"
    for relation, scope in (("insights", "insights:read"), ("accounts", "accounts:read"),
                            ("products", "products:read")):
        query = f"query {{ signal(publicId: \"SIGNAL-1\") {{ {relation} {{ nodes {{ id }} }} }} }}"
        error = await reader.error(query)
        assert error["extensions"]["code"] == "FORBIDDEN" and scope in error["message"]
    deleter = await make_api(scopes=["signals:delete"], workspace=writer.workspace)
    assert (await deleter.ok(DELETE, {"publicId": "SIGNAL-1"}))["deleteSignal"]["message"] == "Deleted"


async def test_other_workspace_cannot_read_update_delete_or_link(make_api):
    alice, bob = await make_api(), await make_api()
    await create_signal(alice, name="alice only")
    assert (await bob.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"] is None
    assert (await bob.ok(SIGNALS))["signals"]["totalCount"] == 0
    assert await bob.error_code(UPDATE, {"publicId": "SIGNAL-1", "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"publicId": "SIGNAL-1"}) == "NOT_FOUND"
    # bob's own SIGNAL-1 cannot be linked to alice's insight
    await create_signal(bob)
    alice_insight = await create_insight(alice, description="private")
    error = await bob.error(UPDATE, {"publicId": "SIGNAL-1", "input": {"insightIds": [alice_insight["id"]]}})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "insightIds"}
    # and alice's signal is untouched
    signal = (await alice.ok(SIGNAL, {"publicId": "SIGNAL-1"}))["signal"]
    assert signal["name"] == "alice only" and signal["insightIds"] == []
