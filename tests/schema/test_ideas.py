"""Ideas through /graphql, what only they have: their fields, links from the other side, status, updates and
filters. What they share with opportunities is in test_resources.py."""

from __future__ import annotations

from tests.factories import (
    create_account,
    create_idea,
    create_insight,
    create_opportunity,
    create_product,
)

IDEA = """
query($id: ID!) { idea(id: $id) {
  id workspaceId name description status productId opportunityIds insightIds accountIds createdAt updatedAt
} }
"""
IDEAS = """
query($first: Int, $after: String, $offset: Int, $filter: IdeaFilter) {
  ideas(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: UpdateIdeaInput!) {
  updateIdea(id: $id, input: $input) { idea {
    id name description status productId opportunityIds insightIds accountIds updatedAt
  } }
}
"""
CREATE = "mutation($input: CreateIdeaInput!) { createIdea(input: $input) { idea { id } } }"
OPPORTUNITY_LINKS = "query($id: ID!) { opportunity(id: $id) { ideaIds } }"
INSIGHT_LINKS = "query($id: ID!) { insight(id: $id) { ideaIds } }"
ACCOUNT_LINKS = "query($id: ID!) { account(id: $id) { ideaIds } }"


async def test_create_then_read_returns_every_field(api):
    created = await create_idea(api, name="AI-powered search", description="Use LLMs for relevance")
    idea = (await api.ok(IDEA, {"id": created["id"]}))["idea"]
    assert idea["name"] == "AI-powered search"
    assert idea["description"] == "Use LLMs for relevance"
    assert idea["status"] == "evaluating"
    assert idea["workspaceId"] == api.workspace_id
    assert idea["productId"] is None
    assert idea["opportunityIds"] == idea["insightIds"] == idea["accountIds"] == []
    assert idea["createdAt"].endswith("Z") and idea["updatedAt"].endswith("Z")


async def test_links_read_the_same_from_the_other_side(api):
    opportunity = await create_opportunity(api)
    insight = await create_insight(api, description="d")
    account = await create_account(api)
    idea = await create_idea(
        api, opportunityIds=[opportunity["id"]], insightIds=[insight["id"]], accountIds=[account["id"]]
    )
    assert (await api.ok(OPPORTUNITY_LINKS, {"id": opportunity["id"]}))["opportunity"]["ideaIds"] == [idea["id"]]
    assert (await api.ok(INSIGHT_LINKS, {"id": insight["id"]}))["insight"]["ideaIds"] == [idea["id"]]
    assert (await api.ok(ACCOUNT_LINKS, {"id": account["id"]}))["account"]["ideaIds"] == [idea["id"]]
    from_insight = await create_idea(api, name="Linked from the insight")
    await api.ok(
        "mutation($id: ID!, $i: [ID!]) { updateInsight(id: $id, input: {ideaIds: $i}) { insight { id } } }",
        {"id": insight["id"], "i": [idea["id"], from_insight["id"]]},
    )
    assert (await api.ok(IDEA, {"id": from_insight["id"]}))["idea"]["insightIds"] == [insight["id"]]


async def test_unknown_status_is_bad_user_input(api):
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", "status": "shipped"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "status" in error["message"]


async def test_update_changes_only_sent_fields_and_bumps_updated_at(api):
    created = await create_idea(api, name="Before", description="Keep me")
    before = (await api.ok(IDEA, {"id": created["id"]}))["idea"]
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": {"status": "development"}}))["updateIdea"]["idea"]
    assert updated["status"] == "development"
    assert (updated["name"], updated["description"]) == ("Before", "Keep me")
    assert updated["updatedAt"] >= before["updatedAt"]


async def test_update_null_clears_product_but_not_name_description_or_status(api):
    product = await create_product(api)
    created = await create_idea(api, productId=product["id"])
    cleared = (await api.ok(UPDATE, {"id": created["id"], "input": {"productId": None}}))["updateIdea"]["idea"]
    assert cleared["productId"] is None
    for field in ("name", "description", "status"):
        error = await api.error(UPDATE, {"id": created["id"], "input": {field: None}})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_update_replaces_link_lists(api):
    first, second = await create_opportunity(api, name="first"), await create_opportunity(api, name="second")
    insight = await create_insight(api, description="d")
    created = await create_idea(api, opportunityIds=[first["id"]], insightIds=[insight["id"]])
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": {"opportunityIds": [second["id"]]}}))
    updated = updated["updateIdea"]["idea"]
    assert updated["opportunityIds"] == [second["id"]] and updated["insightIds"] == [insight["id"]]
    assert (await api.ok(OPPORTUNITY_LINKS, {"id": first["id"]}))["opportunity"]["ideaIds"] == []
    emptied = (await api.ok(UPDATE, {"id": created["id"], "input": {"insightIds": None}}))["updateIdea"]["idea"]
    assert emptied["insightIds"] == []


async def test_list_filters_by_status_product_account_search_and_updated_since(api):
    product = await create_product(api)
    account = await create_account(api)
    await create_idea(api, name="One-click checkout", status="released", productId=product["id"])
    await create_idea(api, name="Saved searches", description="For power users", accountIds=[account["id"]])

    async def names(filter_: dict) -> list[str]:
        return [n["name"] for n in (await api.ok(IDEAS, {"filter": filter_}))["ideas"]["nodes"]]

    assert await names({"status": ["released"]}) == ["One-click checkout"]
    assert await names({"status": ["evaluating"]}) == ["Saved searches"]
    assert await names({"productId": product["id"]}) == ["One-click checkout"]
    assert await names({"accountId": account["id"]}) == ["Saved searches"]
    assert await names({"search": "POWER"}) == ["Saved searches"]
    assert await names({"updatedSince": "2999-01-01T00:00:00Z"}) == []
