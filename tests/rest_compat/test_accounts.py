"""Accounts and their contacts over REST: the reference's examples replayed, filters, 404s."""

from __future__ import annotations

import asyncio

from tests.rest_compat import given
from tests.rest_compat.reference import assert_keys, assert_list_headers, example, url

LIST, ONE = "/external/v1/accounts", "/external/v1/accounts/:id"
CONTACTS, CONTACT = "/external/v1/accounts/:id/contacts", "/external/v1/accounts/:id/contacts/:contactId"
# The Account object: the list example's keys plus what create accepts and returns.
ACCOUNT_EXTRA = ("industry", "companySize", "notes")
MISSING = "00000000-0000-0000-0000-000000000000"


async def test_list_example_finds_the_account_by_external_id(api):
    wanted = await given.account(api, name="Example Account", externalId="crm-example-account")
    await given.account(api, name="Other", externalId="crm-other")
    spec = example("GET", LIST)
    response = await api.rest("GET", f"{url(LIST)}?{spec['exampleQuery']}")
    assert response.status_code == 200
    assert_list_headers(response.headers, total=1, limit=20, offset=0, has_more=False)
    [body] = response.json()
    assert body["id"] == wanted["id"]
    assert_keys(body, spec["exampleResponse"][0], extra=ACCOUNT_EXTRA)


async def test_list_filters_by_q_name_and_domain(api):
    acme = await given.account(api, name="Acme Corp", domain="acme.io")
    await given.account(api, name="Globex", website="https://globex.com")
    by_q = (await api.rest("GET", url(LIST) + "?q=acme")).json()
    by_name = (await api.rest("GET", url(LIST) + "?name=ACME%20corp")).json()
    by_domain = (await api.rest("GET", url(LIST) + "?domain=acme.io")).json()
    assert (
        [a["id"] for a in by_q] == [a["id"] for a in by_name] == [a["id"] for a in by_domain] == [acme["id"]]
    )
    assert [a["name"] for a in (await api.rest("GET", url(LIST) + "?domain=globex.com")).json()] == ["Globex"]


async def test_a_q_longer_than_the_search_limit_is_400_naming_q(api):
    """A search is a LIKE pattern, and SQLite refuses one over 50000 bytes: this was a 500 there."""
    response = await api.rest("GET", url(LIST) + "?q=" + "x" * 60_000)
    assert response.status_code == 400, response.text
    assert response.json()["message"] == "q must be at most 1000 characters"
    assert (await api.rest("GET", url(LIST) + "?q=" + "x" * 1000)).json() == []


async def test_get_example_returns_the_account_with_its_relation_ids(api):
    account = await given.account(api)
    contact = await given.post(api, f"/accounts/{account['id']}/contacts", {"name": "Pat"})
    insight = await given.insight(api, accountIds=[account["id"]])
    opportunity = await given.post(
        api, "/opportunities", {"name": "o", "description": "d", "accountIds": [account["id"]]}
    )
    idea = await given.post(api, "/ideas", {"name": "i", "description": "d", "accountIds": [account["id"]]})
    response = await api.rest("GET", url(ONE, id=account["id"]))
    assert response.status_code == 200
    body = response.json()
    assert_keys(body, example("GET", ONE)["exampleResponse"], extra=ACCOUNT_EXTRA)
    assert body["contactIds"] == [contact["id"]]
    assert body["insightIds"] == [insight["id"]]
    assert body["opportunityIds"] == [opportunity["id"]]
    assert body["ideaIds"] == [idea["id"]]


async def test_create_example_is_201_with_every_sent_field(api):
    spec = example("POST", LIST)
    response = await api.rest("POST", url(LIST), json=spec["exampleRequest"])
    assert response.status_code == 201
    body = response.json()
    assert_keys(body, spec["exampleResponse"], extra=("notes",))
    assert {k: body[k] for k in spec["exampleRequest"]} == spec["exampleRequest"]
    assert body["workspaceId"] == api.workspace_id
    assert body["contactIds"] == body["insightIds"] == body["opportunityIds"] == body["ideaIds"] == []


async def test_update_example_changes_the_lifecycle_stage(api):
    account = await given.account(api, lifecycleStage="TRIAL", notes="keep")
    response = await api.rest(
        "PATCH", url(ONE, id=account["id"]), json=example("PATCH", ONE)["exampleRequest"]
    )
    assert response.status_code == 200
    assert response.json()["lifecycleStage"] == "ACTIVE" and response.json()["notes"] == "keep"


async def test_unknown_lifecycle_stage_is_400_listing_the_stages(api):
    response = await api.rest("POST", url(LIST), json={"name": "x", "lifecycleStage": "PROSPECT"})
    assert response.status_code == 400
    assert (
        response.json()["message"]
        == "lifecycleStage must be one of the following values: LEAD, TRIAL, ACTIVE, CHURNED, PARTNER"
    )


async def test_delete_example_then_404(api):
    account = await given.account(api)
    response = await api.rest("DELETE", url(ONE, id=account["id"]))
    assert response.status_code == 200 and response.json() == {"message": "Deleted"}
    assert (await api.rest("GET", url(ONE, id=account["id"]))).status_code == 404


async def test_other_workspace_account_is_404(api, make_api):
    theirs = await given.account(await make_api())
    for method, kwargs in (("GET", {}), ("PATCH", {"json": {"name": "x"}}), ("DELETE", {})):
        assert (await api.rest(method, url(ONE, id=theirs["id"]), **kwargs)).status_code == 404, method
    assert (await api.rest("GET", url(CONTACTS, id=theirs["id"]))).status_code == 404


async def test_contacts_examples_list_create_update_delete(api):
    account = await given.account(api)
    create = example("POST", CONTACTS)
    created = await api.rest("POST", url(CONTACTS, id=account["id"]), json=create["exampleRequest"])
    assert created.status_code == 201
    contact = created.json()
    assert_keys(contact, create["exampleResponse"], extra=("phone",))
    assert {k: contact[k] for k in create["exampleRequest"]} == create["exampleRequest"]
    assert contact["accountId"] == account["id"] and contact["phone"] is None

    listed = await api.rest("GET", url(CONTACTS, id=account["id"]))
    assert listed.status_code == 200
    assert_list_headers(listed.headers, total=1, limit=1, offset=0, has_more=False)
    [item] = listed.json()
    assert_keys(item, example("GET", CONTACTS)["exampleResponse"][0])
    assert item == contact

    patch = example("PATCH", CONTACT)["exampleRequest"]
    updated = await api.rest("PATCH", url(CONTACT, id=account["id"], contactId=contact["id"]), json=patch)
    assert updated.status_code == 200 and updated.json()["notes"] == patch["notes"]
    assert updated.json()["name"] == contact["name"]

    deleted = await api.rest("DELETE", url(CONTACT, id=account["id"], contactId=contact["id"]))
    assert deleted.status_code == 200 and deleted.json() == {"message": "Deleted"}
    assert (await api.rest("GET", url(CONTACTS, id=account["id"]))).json() == []


async def test_contact_updates_racing_the_account_delete_are_200_or_404(api):
    """On PostgreSQL an update that found the contact just before the account's delete committed: a 500."""
    for _ in range(4):
        account = await given.account(api)
        contact = (await api.rest("POST", url(CONTACTS, id=account["id"]), json={"name": "c"})).json()
        path = url(CONTACT, id=account["id"], contactId=contact["id"])
        responses = await asyncio.gather(
            api.rest("DELETE", url(ONE, id=account["id"])),
            *(api.rest("PATCH", path, json={"name": f"n{i}", "isPrimary": True}) for i in range(4)),
        )
        for response in responses:
            assert response.status_code in (200, 404), response.text
            if response.status_code == 404:
                assert response.json()["message"] == f"Account {account['id']} not found"


async def test_contact_errors_unknown_account_and_mismatched_pair_are_404(api):
    bad_account = await api.rest("POST", url(CONTACTS, id=MISSING), json={"name": "Pat"})
    assert bad_account.status_code == 404
    first, second = await given.account(api, name="a"), await given.account(api, name="b")
    contact = await given.post(api, f"/accounts/{first['id']}/contacts", {"name": "Pat"})
    wrong_pair = url(CONTACT, id=second["id"], contactId=contact["id"])
    assert (await api.rest("PATCH", wrong_pair, json={"notes": "x"})).status_code == 404
    assert (await api.rest("DELETE", wrong_pair)).status_code == 404
    missing_name = await api.rest("POST", url(CONTACTS, id=first["id"]), json={"role": "VP"})
    assert missing_name.status_code == 400 and missing_name.json()["message"] == "name is required"


async def test_deleting_a_contact_needs_only_accounts_write(make_api):
    writer = await make_api(scopes=["accounts:write", "accounts:read"])
    account = await given.account(writer)
    contact = await given.post(writer, f"/accounts/{account['id']}/contacts", {"name": "Pat"})
    assert (
        await writer.rest("DELETE", url(CONTACT, id=account["id"], contactId=contact["id"]))
    ).status_code == 200
    denied = await writer.rest("DELETE", url(ONE, id=account["id"]))
    assert denied.status_code == 403 and denied.json()["message"] == "Missing scope: accounts:delete"
