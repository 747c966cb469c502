"""Context units through /graphql: create, read, list, update, delete; re-indexing, validation, scopes, isolation."""

from __future__ import annotations

import pytest

from signalgraph.storage.models import ContextUnit
from tests.factories import create_context_unit, create_product, mark_indexed

UNIT = """
query($id: ID!) { contextUnit(id: $id) {
  id workspaceId name description data productId product { id name } vectorFileId indexingStatus createdAt updatedAt
} }
"""
UNITS = """
query($first: Int, $after: String, $offset: Int, $filter: ContextUnitFilter) {
  contextUnits(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: UpdateContextUnitInput!) {
  updateContextUnit(id: $id, input: $input) { contextUnit {
    id name description data productId indexingStatus vectorFileId updatedAt
  } }
}
"""
DELETE = "mutation($id: ID!) { deleteContextUnit(id: $id) { deletedId message } }"
CREATE_IN = """
mutation($p: ID) { createContextUnit(input: {name: "n", data: "d", productId: $p}) { contextUnit { id } } }
"""
MISSING_ID = "00000000-0000-0000-0000-000000000000"


async def update(api, unit_id, **changes):
    return (await api.ok(UPDATE, {"id": unit_id, "input": changes}))["updateContextUnit"]["contextUnit"]


async def test_create_then_read_returns_every_field(api):
    body = "## Principles\n\n- Small changes"
    created = await create_context_unit(api, name="Engineering principles", description="Reusable", data=body)
    unit = (await api.ok(UNIT, {"id": created["id"]}))["contextUnit"]
    assert unit["workspaceId"] == api.workspace_id
    assert unit["name"] == "Engineering principles"
    assert unit["description"] == "Reusable"
    assert unit["data"] == body
    assert unit["productId"] is None and unit["product"] is None
    assert unit["indexingStatus"] == "pending" and unit["vectorFileId"] is None
    assert unit["createdAt"].endswith("Z") and unit["updatedAt"].endswith("Z")


async def test_name_is_trimmed_and_description_optional(api):
    created = await create_context_unit(api, name="  Padded  ")
    assert created["name"] == "Padded" and created["description"] is None


async def test_product_scope_links_the_product(api):
    product_id = (await create_product(api, name="Checkout"))["id"]
    created = await create_context_unit(api, productId=product_id)
    unit = (await api.ok(UNIT, {"id": created["id"]}))["contextUnit"]
    assert unit["productId"] == product_id
    assert unit["product"] == {"id": product_id, "name": "Checkout"}


@pytest.mark.parametrize("field", ["name", "data"])
async def test_blank_name_or_data_is_refused(api, field):
    error = await api.error(
        "mutation($input: CreateContextUnitInput!) { createContextUnit(input: $input) { contextUnit { id } } }",
        {"input": {"name": "n", "data": "d", field: "   "}},
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_unknown_product_is_not_found_naming_the_field(api):
    error = await api.error(CREATE_IN, {"p": MISSING_ID})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "productId"}


async def test_name_or_description_change_keeps_the_index(api, services):
    created = await create_context_unit(api, name="Before", description="Old")
    await mark_indexed(services, ContextUnit, created["id"])
    unit = await update(api, created["id"], name="After", description=None)
    assert unit["name"] == "After" and unit["description"] is None and unit["data"] == "## Principles"
    assert unit["indexingStatus"] == "indexed" and unit["vectorFileId"] == "vf-1"


async def test_resending_the_same_data_keeps_the_index(api, services):
    created = await create_context_unit(api, data="Same body")
    await mark_indexed(services, ContextUnit, created["id"])
    unit = await update(api, created["id"], data="Same body")
    assert unit["indexingStatus"] == "indexed" and unit["vectorFileId"] == "vf-1"


async def test_new_data_makes_the_unit_pending(api, services):
    created = await create_context_unit(api, data="Old body")
    await mark_indexed(services, ContextUnit, created["id"])
    before = (await api.ok(UNIT, {"id": created["id"]}))["contextUnit"]
    unit = await update(api, created["id"], data="New body")
    assert unit["data"] == "New body"
    assert unit["indexingStatus"] == "pending" and unit["vectorFileId"] is None
    assert unit["updatedAt"] >= before["updatedAt"]


async def test_scope_change_makes_the_unit_pending_and_null_makes_it_global(api, services):
    product_id = (await create_product(api))["id"]
    created = await create_context_unit(api)
    await mark_indexed(services, ContextUnit, created["id"])
    scoped = await update(api, created["id"], productId=product_id)
    assert scoped["productId"] == product_id
    assert scoped["indexingStatus"] == "pending" and scoped["vectorFileId"] is None
    await mark_indexed(services, ContextUnit, created["id"], "vf-2")
    same = await update(api, created["id"], productId=product_id)
    assert same["indexingStatus"] == "indexed" and same["vectorFileId"] == "vf-2"
    unscoped = await update(api, created["id"], productId=None)
    assert unscoped["productId"] is None and unscoped["indexingStatus"] == "pending"


@pytest.mark.parametrize("field", ["name", "data"])
async def test_update_cannot_null_name_or_data(api, field):
    created = await create_context_unit(api)
    error = await api.error(UPDATE, {"id": created["id"], "input": {field: None}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_update_to_unknown_product_is_not_found_and_changes_nothing(api):
    created = await create_context_unit(api, name="Kept")
    error = await api.error(UPDATE, {"id": created["id"], "input": {"name": "Lost", "productId": MISSING_ID}})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "productId"}
    assert (await api.ok(UNIT, {"id": created["id"]}))["contextUnit"]["name"] == "Kept"


async def test_update_missing_unit_is_not_found(api):
    assert await api.error_code(UPDATE, {"id": MISSING_ID, "input": {"name": "x"}}) == "NOT_FOUND"


async def test_delete_then_read_is_null_and_second_delete_is_not_found(api):
    created = await create_context_unit(api)
    deleted = (await api.ok(DELETE, {"id": created["id"]}))["deleteContextUnit"]
    assert deleted == {"deletedId": created["id"], "message": "Deleted"}
    assert (await api.ok(UNIT, {"id": created["id"]}))["contextUnit"] is None
    assert await api.error_code(DELETE, {"id": created["id"]}) == "NOT_FOUND"


async def test_list_pages_newest_first_with_cursors_and_offset(api):
    ids = [(await create_context_unit(api, name=f"u{i}"))["id"] for i in range(4)]
    first = (await api.ok(UNITS, {"first": 2}))["contextUnits"]
    assert first["totalCount"] == 4
    assert [n["id"] for n in first["nodes"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    second = (await api.ok(UNITS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))["contextUnits"]
    assert [n["id"] for n in second["nodes"]] == ids[::-1][2:]
    assert second["pageInfo"]["hasNextPage"] is False
    by_offset = (await api.ok(UNITS, {"offset": 3}))["contextUnits"]
    assert [n["id"] for n in by_offset["nodes"]] == [ids[0]]


async def test_list_filters_by_product_scope_search_and_updated_since(api):
    product_id = (await create_product(api))["id"]
    await create_context_unit(api, name="Global tone", description="Voice and style")
    await create_context_unit(api, name="Checkout rules", productId=product_id)

    def names(data):
        return sorted(n["name"] for n in data["contextUnits"]["nodes"])

    assert names(await api.ok(UNITS, {"filter": {"productId": product_id}})) == ["Checkout rules"]
    assert names(await api.ok(UNITS, {"filter": {"global": True}})) == ["Global tone"]
    assert names(await api.ok(UNITS, {"filter": {"global": False}})) == ["Checkout rules"]
    assert names(await api.ok(UNITS, {"filter": {"search": "STYLE"}})) == ["Global tone"]
    assert names(await api.ok(UNITS, {"filter": {"search": "checkout"}})) == ["Checkout rules"]
    since_2000 = await api.ok(UNITS, {"filter": {"updatedSince": "2000-01-01T00:00:00Z"}})
    assert names(since_2000) == ["Checkout rules", "Global tone"]
    assert names(await api.ok(UNITS, {"filter": {"updatedSince": "2999-01-01T00:00:00Z"}})) == []


async def test_scopes_guard_read_write_delete(make_api):
    reader = await make_api(scopes=["context-units:read"])
    assert await reader.error_code(CREATE_IN) == "FORBIDDEN"
    writer = await make_api(scopes=["context-units:write"], workspace=reader.workspace)
    created = await create_context_unit(writer)
    error = await writer.error(UNIT, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "context-units:read" in error["message"]
    assert await writer.error_code(DELETE, {"id": created["id"]}) == "FORBIDDEN"
    read = await reader.ok("query($id: ID!) { contextUnit(id: $id) { id name } }", {"id": created["id"]})
    assert read["contextUnit"] == {"id": created["id"], "name": "Principles"}
    deleter = await make_api(scopes=["context-units:delete"], workspace=reader.workspace)
    assert (await deleter.ok(DELETE, {"id": created["id"]}))["deleteContextUnit"]["deletedId"] == created["id"]


async def test_product_relation_needs_the_products_scope(make_api):
    api = await make_api(scopes=["context-units:read", "context-units:write"])
    product = await create_product(await make_api(workspace=api.workspace))
    created = await create_context_unit(api, productId=product["id"])
    query = "query($id: ID!) { contextUnit(id: $id) { product { id } } }"
    error = await api.error(query, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "products:read" in error["message"]


async def test_other_workspace_cannot_read_update_delete_or_scope_to_its_products(make_api):
    alice = await make_api()
    bob = await make_api()
    secret = await create_context_unit(alice, name="Alice only")
    assert (await bob.ok(UNIT, {"id": secret["id"]}))["contextUnit"] is None
    assert (await bob.ok(UNITS))["contextUnits"]["totalCount"] == 0
    assert await bob.error_code(UPDATE, {"id": secret["id"], "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"id": secret["id"]}) == "NOT_FOUND"
    alice_product = (await create_product(alice))["id"]
    error = await bob.error(CREATE_IN, {"p": alice_product})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "productId"}
    assert (await alice.ok(UNIT, {"id": secret["id"]}))["contextUnit"]["name"] == "Alice only"
