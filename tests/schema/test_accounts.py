"""Accounts through /graphql: create, read, list, update, delete; the deferred link from signals that named an
account's externalId first; validation, scopes, isolation. Contacts are in test_contacts.py."""

from __future__ import annotations

from sqlalchemy import select

from signalgraph.storage.models import Account, Contact, Signal, SignalAccount
from tests.factories import create_account

ACCOUNT = """
query($id: ID!) { account(id: $id) {
  id workspaceId name externalId domain website industry companySize lifecycleStage notes
  contactIds insightIds opportunityIds ideaIds createdAt updatedAt
} }
"""
ACCOUNTS = """
query($first: Int, $after: String, $offset: Int, $filter: AccountFilter) {
  accounts(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
CREATE = "mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id name externalId } } }"
UPDATE = """
mutation($id: ID!, $input: UpdateAccountInput!) {
  updateAccount(id: $id, input: $input) { account { id name externalId domain website lifecycleStage notes updatedAt } }
}
"""
DELETE = "mutation($id: ID!) { deleteAccount(id: $id) { deletedId message } }"
ACCOUNT_SIGNALS = "query($id: ID!) { account(id: $id) { signals { nodes { id } } } }"
MISSING = "00000000-0000-0000-0000-000000000000"

FULL_INPUT = {
    "name": "Example Account",
    "externalId": "crm-example-account",
    "domain": "example.com",
    "website": "https://example.com",
    "industry": "B2B software",
    "companySize": "11-50",
    "lifecycleStage": "TRIAL",
    "notes": "Primary contact evaluates roadmap fit.",
}


async def test_create_then_read_returns_every_field(api):
    created = (await api.ok(CREATE, {"input": FULL_INPUT}))["createAccount"]["account"]
    account = (await api.ok(ACCOUNT, {"id": created["id"]}))["account"]
    for field, value in FULL_INPUT.items():
        assert account[field] == value, field
    assert account["workspaceId"] == api.workspace_id
    assert (
        account["contactIds"]
        == account["insightIds"]
        == account["opportunityIds"]
        == account["ideaIds"]
        == []
    )
    assert account["createdAt"].endswith("Z")


async def test_insights_linked_to_the_account_show_in_its_ids(api):
    account = await create_account(api)
    insight = (
        await api.ok(
            'mutation($a: [ID!]) { createInsight(input: {description: "d", accountIds: $a}) { insight { id } } }',
            {"a": [account["id"]]},
        )
    )["createInsight"]["insight"]
    assert (await api.ok(ACCOUNT, {"id": account["id"]}))["account"]["insightIds"] == [insight["id"]]


async def test_duplicate_external_id_is_a_conflict_on_create_and_update(api, make_api):
    await create_account(api, externalId="crm-1")
    error = await api.error(CREATE, {"input": {"name": "n", "externalId": "crm-1"}})
    assert error["extensions"] == {"code": "CONFLICT", "field": "externalId"}
    other = await create_account(api, externalId="crm-2")
    error = await api.error(UPDATE, {"id": other["id"], "input": {"externalId": "crm-1"}})
    assert error["extensions"] == {"code": "CONFLICT", "field": "externalId"}
    assert (await api.ok(UPDATE, {"id": other["id"], "input": {"externalId": "crm-2"}}))["updateAccount"]["account"][
        "externalId"
    ] == "crm-2"
    elsewhere = await make_api()
    assert (await create_account(elsewhere, externalId="crm-1"))["externalId"] == "crm-1"


async def test_update_changes_only_sent_fields_and_null_clears(api):
    created = (await api.ok(CREATE, {"input": FULL_INPUT}))["createAccount"]["account"]
    staged = (await api.ok(UPDATE, {"id": created["id"], "input": {"lifecycleStage": "ACTIVE"}}))[
        "updateAccount"
    ]["account"]
    assert staged["lifecycleStage"] == "ACTIVE"
    assert staged["name"] == "Example Account" and staged["domain"] == "example.com"
    cleared = await api.ok(
        UPDATE, {"id": created["id"], "input": {"domain": None, "externalId": None, "notes": None}}
    )
    assert cleared["updateAccount"]["account"]["domain"] is None and cleared["updateAccount"]["account"]["externalId"] is None
    assert (
        cleared["updateAccount"]["account"]["notes"] is None
        and cleared["updateAccount"]["account"]["website"] == "https://example.com"
    )
    assert cleared["updateAccount"]["account"]["updatedAt"] >= staged["updatedAt"]


async def test_validation_names_the_field(api):
    created = await create_account(api)
    error = await api.error(UPDATE, {"id": created["id"], "input": {"name": None}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    error = await api.error(CREATE, {"input": {"name": "  "}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    error = await api.error(CREATE, {"input": {"name": "n", "externalId": ""}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "externalId"}
    error = await api.error(CREATE, {"input": {"name": "n", "companySize": "x" * 65}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "companySize"}
    error = await api.error(CREATE, {"input": {"name": "n", "lifecycleStage": "PROSPECT"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "lifecycleStage" in error["message"]


async def test_update_refuses_contact_arrays(api):
    created = await create_account(api)
    error = await api.error(UPDATE, {"id": created["id"], "input": {"contacts": []}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "contacts" in error["message"]


async def test_list_pages_newest_first_with_cursors_and_offset(api):
    ids = [(await create_account(api, name=f"a{i}"))["id"] for i in range(5)]
    first = (await api.ok(ACCOUNTS, {"first": 2}))["accounts"]
    assert first["totalCount"] == 5 and [n["id"] for n in first["nodes"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    second = (await api.ok(ACCOUNTS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))["accounts"]
    assert [n["id"] for n in second["nodes"]] == ids[::-1][2:4]
    last = (await api.ok(ACCOUNTS, {"first": 10, "offset": 4}))["accounts"]
    assert [n["id"] for n in last["nodes"]] == [ids[0]] and last["pageInfo"]["hasNextPage"] is False


async def test_list_filters(api):
    await create_account(api, name="Acme Corp", domain="acme.io", externalId="crm-acme")
    await create_account(api, name="Globex", website="https://globex.com/")
    await create_account(api, name="Initech", domain="INITECH.COM", website="http://www.initech.com")

    async def names(filter_):
        return sorted(n["name"] for n in (await api.ok(ACCOUNTS, {"filter": filter_}))["accounts"]["nodes"])

    assert await names({"search": "ACME"}) == ["Acme Corp"]
    assert await names({"search": "globex.com"}) == ["Globex"]
    assert await names({"search": "crm-ac"}) == ["Acme Corp"]
    assert await names({"name": "acme corp"}) == ["Acme Corp"]
    assert await names({"name": "Acme"}) == []
    assert await names({"domain": "ACME.IO"}) == ["Acme Corp"]
    assert await names({"domain": "globex.com"}) == ["Globex"]
    assert await names({"domain": "https://globex.com"}) == ["Globex"]
    assert await names({"domain": "https://initech.com/"}) == ["Initech"]
    assert await names({"domain": "www.initech.com"}) == ["Initech"]
    assert await names({"domain": "example.com"}) == []
    assert await names({"externalId": "crm-acme"}) == ["Acme Corp"]
    assert await names({"updatedSince": "2999-01-01T00:00:00Z"}) == []


async def test_delete_removes_the_account_and_its_contacts(api, services):
    account = await create_account(api)
    await api.ok(
        'mutation($a: ID!) { createContact(accountId: $a, input: {name: "Pat"}) { contact { id } } }',
        {"a": account["id"]},
    )
    assert (await api.ok(DELETE, {"id": account["id"]}))["deleteAccount"] == {
        "deletedId": account["id"],
        "message": "Deleted",
    }
    assert (await api.ok(ACCOUNT, {"id": account["id"]}))["account"] is None
    assert (
        await api.error_code("query($a: ID!) { contacts(accountId: $a) { id } }", {"a": account["id"]})
        == "NOT_FOUND"
    )
    async with services.db.read() as session:
        assert (
            await session.execute(select(Contact).where(Contact.account_id == account["id"]))
        ).first() is None
    assert await api.error_code(DELETE, {"id": account["id"]}) == "NOT_FOUND"


async def test_update_missing_account_is_not_found(api):
    assert await api.error_code(UPDATE, {"id": MISSING, "input": {"name": "x"}}) == "NOT_FOUND"


# -- signals that named the account before it existed -------------------------------------------
async def store_signals(services, workspace_id: str, *account_external_ids: str | None) -> list[str]:
    """Signals as signal creation leaves them, one per external id, numbered from 1."""
    async with services.db.write() as session:
        signals = [
            Signal(
                workspace_id=workspace_id,
                public_number=n,
                name=f"signal {n}",
                account_external_id=external_id,
            )
            for n, external_id in enumerate(account_external_ids, start=1)
        ]
        session.add_all(signals)
    return [s.id for s in signals]


async def links_of(services, signal_id: str) -> list[tuple[str, int]]:
    async with services.db.read() as session:
        rows = await session.execute(
            select(SignalAccount.account_id, SignalAccount.position)
            .where(SignalAccount.signal_id == signal_id)
            .order_by(SignalAccount.position)
        )
        return [tuple(row) for row in rows]


async def test_creating_an_account_links_the_signals_waiting_for_its_external_id(api, services, make_api):
    early, linked_elsewhere, unrelated = await store_signals(
        services, api.workspace_id, "crm-42", "crm-42", "crm-7"
    )
    other = await create_account(api, name="Other")
    async with services.db.write() as session:
        session.add(
            SignalAccount(signal_id=linked_elsewhere, account_id=other["id"], workspace_id=api.workspace_id)
        )
    neighbour = await make_api()
    (foreign,) = await store_signals(services, neighbour.workspace_id, "crm-42")

    account = await create_account(api, externalId="crm-42")

    assert await links_of(services, early) == [(account["id"], 0)]
    assert await links_of(services, linked_elsewhere) == [(other["id"], 0), (account["id"], 1)]
    assert await links_of(services, unrelated) == []
    assert await links_of(services, foreign) == []
    signals = (await api.ok(ACCOUNT_SIGNALS, {"id": account["id"]}))["account"]["signals"]["nodes"]
    assert sorted(s["id"] for s in signals) == sorted([early, linked_elsewhere])


async def test_giving_an_account_an_external_id_links_waiting_signals_once(api, services):
    (waiting,) = await store_signals(services, api.workspace_id, "crm-late")
    account = await create_account(api, name="Late")
    assert await links_of(services, waiting) == []

    await api.ok(UPDATE, {"id": account["id"], "input": {"externalId": "crm-late"}})
    await api.ok(UPDATE, {"id": account["id"], "input": {"externalId": "crm-late", "notes": "again"}})

    assert await links_of(services, waiting) == [(account["id"], 0)]


# -- scopes and workspaces ---------------------------------------------------------------------
async def test_scopes_guard_read_write_delete(make_api):
    reader = await make_api(scopes=["accounts:read"])
    assert await reader.error_code(CREATE, {"input": {"name": "n"}}) == "FORBIDDEN"
    writer = await make_api(scopes=["accounts:write"], workspace=reader.workspace)
    created = await create_account(writer)
    error = await writer.error(ACCOUNT, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "accounts:read" in error["message"]
    assert await writer.error_code(DELETE, {"id": created["id"]}) == "FORBIDDEN"
    assert (await reader.ok(ACCOUNT, {"id": created["id"]}))["account"]["id"] == created["id"]
    deleter = await make_api(scopes=["accounts:delete"], workspace=reader.workspace)
    assert (await deleter.ok(DELETE, {"id": created["id"]}))["deleteAccount"]["deletedId"] == created["id"]


async def test_relations_into_other_resources_need_their_scope(make_api):
    api = await make_api(scopes=["accounts:read", "accounts:write"])
    created = await create_account(api)
    error = await api.error(ACCOUNT_SIGNALS, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "signals:read" in error["message"]


async def test_other_workspace_cannot_see_or_change_the_account(make_api, services):
    alice = await make_api()
    bob = await make_api()
    secret = await create_account(alice, name="Secret", externalId="crm-secret")
    assert (await bob.ok(ACCOUNT, {"id": secret["id"]}))["account"] is None
    assert (await bob.ok(ACCOUNTS, {"filter": {"externalId": "crm-secret"}}))["accounts"]["totalCount"] == 0
    assert await bob.error_code(UPDATE, {"id": secret["id"], "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"id": secret["id"]}) == "NOT_FOUND"
    error = await bob.error(
        'mutation($a: [ID!]) { createInsight(input: {description: "d", accountIds: $a}) { insight { id } } }',
        {"a": [secret["id"]]},
    )
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "accountIds"}
    async with services.db.read() as session:
        assert (await session.get(Account, secret["id"])).name == "Secret"
