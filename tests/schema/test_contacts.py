"""An account's contacts through /graphql: one primary per account, light email checks, ownership, scopes."""

from __future__ import annotations

import pytest

from tests.factories import create_account

CONTACTS = "query($a: ID!) { contacts(accountId: $a) { id name isPrimary } }"
ACCOUNT_CONTACTS = "query($id: ID!) { account(id: $id) { contactIds contacts { name } } }"
CREATE = """
mutation($a: ID!, $input: CreateContactInput!) {
  createContact(accountId: $a, input: $input) { contact {
    id accountId name role email phone notes isPrimary createdAt updatedAt account { id }
  } }
}
"""
UPDATE = """
mutation($a: ID!, $id: ID!, $input: UpdateContactInput!) {
  updateContact(accountId: $a, id: $id, input: $input) { contact { id name role email phone notes isPrimary updatedAt } }
}
"""
DELETE = "mutation($a: ID!, $id: ID!) { deleteContact(accountId: $a, id: $id) { deletedId message } }"
MISSING = "00000000-0000-0000-0000-000000000000"


async def add_contact(api, account_id: str, name: str = "Pat", **fields) -> dict:
    return (await api.ok(CREATE, {"a": account_id, "input": {"name": name, **fields}}))["createContact"]["contact"]


async def primaries(api, account_id: str) -> list[str]:
    return [c["name"] for c in (await api.ok(CONTACTS, {"a": account_id}))["contacts"] if c["isPrimary"]]


async def test_create_then_list_on_the_account(api):
    account = await create_account(api)
    contact = await add_contact(
        api,
        account["id"],
        "Primary product contact",
        role="VP Product",
        email="product-contact@example.com",
        notes="Champion.",
        isPrimary=True,
    )
    assert contact["accountId"] == account["id"] and contact["account"] == {"id": account["id"]}
    assert (contact["role"], contact["email"], contact["phone"], contact["notes"], contact["isPrimary"]) == (
        "VP Product",
        "product-contact@example.com",
        None,
        "Champion.",
        True,
    )
    assert contact["createdAt"].endswith("Z")
    second = await add_contact(api, account["id"], "Sam")
    assert second["isPrimary"] is False
    listed = (await api.ok(CONTACTS, {"a": account["id"]}))["contacts"]
    assert [c["id"] for c in listed] == [contact["id"], second["id"]]
    nested = (await api.ok(ACCOUNT_CONTACTS, {"id": account["id"]}))["account"]
    assert nested == {
        "contactIds": [contact["id"], second["id"]],
        "contacts": [{"name": "Primary product contact"}, {"name": "Sam"}],
    }


async def test_one_primary_contact_per_account(api):
    account = await create_account(api)
    other_account = await create_account(api, name="Other")
    await add_contact(api, other_account["id"], "Elsewhere", isPrimary=True)
    await add_contact(api, account["id"], "Ann", isPrimary=True)
    bob = await add_contact(api, account["id"], "Bob", isPrimary=True)
    assert await primaries(api, account["id"]) == ["Bob"]
    cy = await add_contact(api, account["id"], "Cy")
    await api.ok(UPDATE, {"a": account["id"], "id": cy["id"], "input": {"isPrimary": True}})
    assert await primaries(api, account["id"]) == ["Cy"]
    await api.ok(UPDATE, {"a": account["id"], "id": bob["id"], "input": {"notes": "still not primary"}})
    assert await primaries(api, account["id"]) == ["Cy"]
    await api.ok(UPDATE, {"a": account["id"], "id": cy["id"], "input": {"isPrimary": False}})
    assert await primaries(api, account["id"]) == []
    assert await primaries(api, other_account["id"]) == ["Elsewhere"]


async def test_update_changes_only_sent_fields_and_null_clears(api):
    account = await create_account(api)
    contact = await add_contact(api, account["id"], role="CTO", email="pat@example.com", phone="+1 555")
    updated = await api.ok(
        UPDATE, {"a": account["id"], "id": contact["id"], "input": {"phone": None, "role": "CEO"}}
    )
    assert updated["updateContact"]["contact"]["phone"] is None and updated["updateContact"]["contact"]["role"] == "CEO"
    assert (
        updated["updateContact"]["contact"]["email"] == "pat@example.com" and updated["updateContact"]["contact"]["name"] == "Pat"
    )
    assert updated["updateContact"]["contact"]["updatedAt"] >= contact["updatedAt"]


@pytest.mark.parametrize(
    "email",
    [
        "pat",
        "pat@",
        "@example.com",
        "pat@example",
        "a@b@example.com",
        "pat@.com",
        "pat@example.",
        "pat smith@example.com",
    ],
)
async def test_malformed_email_is_refused(api, email):
    account = await create_account(api)
    error = await api.error(CREATE, {"a": account["id"], "input": {"name": "Pat", "email": email}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}


async def test_other_validation_names_the_field(api):
    account = await create_account(api)
    error = await api.error(CREATE, {"a": account["id"], "input": {"name": " "}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    contact = await add_contact(api, account["id"], email="pat@example.com")
    for field in ("name", "isPrimary"):
        error = await api.error(UPDATE, {"a": account["id"], "id": contact["id"], "input": {field: None}})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    error = await api.error(UPDATE, {"a": account["id"], "id": contact["id"], "input": {"email": "nope"}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}


async def test_delete_then_gone_and_second_delete_is_not_found(api):
    account = await create_account(api)
    contact = await add_contact(api, account["id"])
    assert (await api.ok(DELETE, {"a": account["id"], "id": contact["id"]}))["deleteContact"] == {
        "deletedId": contact["id"],
        "message": "Deleted",
    }
    assert (await api.ok(CONTACTS, {"a": account["id"]}))["contacts"] == []
    assert await api.error_code(DELETE, {"a": account["id"], "id": contact["id"]}) == "NOT_FOUND"


async def test_a_contact_is_only_reachable_through_its_own_account(api):
    account = await create_account(api, name="A")
    other = await create_account(api, name="B")
    contact = await add_contact(api, account["id"])
    wrong = {"a": other["id"], "id": contact["id"]}
    error = await api.error(UPDATE, {**wrong, "input": {"name": "x"}})
    assert error["extensions"]["code"] == "NOT_FOUND" and contact["id"] in error["message"]
    assert await api.error_code(DELETE, wrong) == "NOT_FOUND"
    assert [c["name"] for c in (await api.ok(CONTACTS, {"a": account["id"]}))["contacts"]] == ["Pat"]


async def test_contacts_of_a_missing_account_are_not_found_not_empty(api):
    for document, variables in (
        (CONTACTS, {"a": MISSING}),
        (CREATE, {"a": MISSING, "input": {"name": "Pat"}}),
        (UPDATE, {"a": MISSING, "id": MISSING, "input": {"name": "x"}}),
        (DELETE, {"a": MISSING, "id": MISSING}),
    ):
        error = await api.error(document, variables)
        assert error["extensions"]["code"] == "NOT_FOUND" and f"Account {MISSING}" in error["message"]


async def test_contact_writes_need_accounts_write_deletes_included(make_api):
    owner = await make_api()
    account = await create_account(owner)
    contact = await add_contact(owner, account["id"])
    reader = await make_api(scopes=["accounts:read"], workspace=owner.workspace)
    assert [c["name"] for c in (await reader.ok(CONTACTS, {"a": account["id"]}))["contacts"]] == ["Pat"]
    assert await reader.error_code(CREATE, {"a": account["id"], "input": {"name": "n"}}) == "FORBIDDEN"
    assert (
        await reader.error_code(UPDATE, {"a": account["id"], "id": contact["id"], "input": {"name": "x"}})
        == "FORBIDDEN"
    )
    assert await reader.error_code(DELETE, {"a": account["id"], "id": contact["id"]}) == "FORBIDDEN"
    writer = await make_api(scopes=["accounts:write"], workspace=owner.workspace)
    assert await writer.error_code(CONTACTS, {"a": account["id"]}) == "FORBIDDEN"
    assert (await writer.ok(DELETE, {"a": account["id"], "id": contact["id"]}))["deleteContact"][
        "deletedId"
    ] == contact["id"]


async def test_other_workspace_cannot_reach_the_contacts(make_api):
    alice = await make_api()
    bob = await make_api()
    account = await create_account(alice)
    contact = await add_contact(alice, account["id"])
    a = account["id"]
    assert await bob.error_code(CONTACTS, {"a": a}) == "NOT_FOUND"
    assert await bob.error_code(CREATE, {"a": a, "input": {"name": "Mallory"}}) == "NOT_FOUND"
    assert await bob.error_code(UPDATE, {"a": a, "id": contact["id"], "input": {"name": "x"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"a": a, "id": contact["id"]}) == "NOT_FOUND"
    assert [c["name"] for c in (await alice.ok(CONTACTS, {"a": a}))["contacts"]] == ["Pat"]
