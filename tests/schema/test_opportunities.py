"""Opportunities through /graphql, what only they have: their fields, score, links from either side,
updates and filters. What they share with ideas is in test_resources.py."""

from __future__ import annotations

import pytest

from tests.factories import (
    create_account,
    create_idea,
    create_insight,
    create_opportunity,
    create_product,
)

OPPORTUNITY = """
query($id: ID!) { opportunity(id: $id) {
  id workspaceId name description score status productId insightIds ideaIds accountIds createdAt updatedAt
} }
"""
OPPORTUNITIES = """
query($first: Int, $after: String, $offset: Int, $filter: OpportunityFilter) {
  opportunities(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: UpdateOpportunityInput!) {
  updateOpportunity(id: $id, input: $input) { opportunity {
    id name description score status productId insightIds ideaIds accountIds updatedAt
  } }
}
"""
CREATE = "mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }"
IDEA_LINKS = "query($id: ID!) { idea(id: $id) { opportunityIds } }"
INSIGHT_LINKS = "query($id: ID!) { insight(id: $id) { opportunityIds } }"


async def test_create_then_read_returns_every_field(api):
    created = await create_opportunity(api, name="Reduce churn", description="Users leave after 2 days", score=92)
    opportunity = (await api.ok(OPPORTUNITY, {"id": created["id"]}))["opportunity"]
    assert opportunity["name"] == "Reduce churn"
    assert opportunity["description"] == "Users leave after 2 days"
    assert opportunity["score"] == 92
    assert opportunity["status"] == "discovery"
    assert opportunity["workspaceId"] == api.workspace_id
    assert opportunity["productId"] is None
    assert opportunity["insightIds"] == opportunity["ideaIds"] == opportunity["accountIds"] == []
    assert opportunity["createdAt"].endswith("Z") and opportunity["updatedAt"].endswith("Z")


async def test_linking_from_either_side_gives_the_same_pairs(api):
    insight = await create_insight(api, description="d")
    idea = await create_idea(api)
    from_idea_side = await create_idea(api, name="Linked from the idea")
    opportunity = await create_opportunity(api, ideaIds=[idea["id"]])
    assert (await api.ok(IDEA_LINKS, {"id": idea["id"]}))["idea"]["opportunityIds"] == [opportunity["id"]]
    await api.ok(
        "mutation($id: ID!, $o: [ID!]) { updateIdea(id: $id, input: {opportunityIds: $o}) { idea { id } } }",
        {"id": from_idea_side["id"], "o": [opportunity["id"]]},
    )
    await api.ok(
        "mutation($id: ID!, $o: [ID!]) { updateInsight(id: $id, input: {opportunityIds: $o}) { insight { id } } }",
        {"id": insight["id"], "o": [opportunity["id"]]},
    )
    read = (await api.ok(OPPORTUNITY, {"id": opportunity["id"]}))["opportunity"]
    assert sorted(read["ideaIds"]) == sorted([idea["id"], from_idea_side["id"]])
    assert read["insightIds"] == [insight["id"]]


@pytest.mark.parametrize("score", [-1, 100.5, 101])
async def test_score_outside_0_to_100_is_refused(api, score):
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", "score": score}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "score"}


async def test_score_bounds_are_allowed_and_update_checks_them_too(api):
    low = await create_opportunity(api, score=0)
    high = await create_opportunity(api, score=100)
    assert (low["score"], high["score"]) == (0, 100)
    error = await api.error(UPDATE, {"id": low["id"], "input": {"score": 150}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "score"}


async def test_missing_description_is_refused_by_the_schema(api):
    error = await api.error(CREATE, {"input": {"name": "n"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "description" in error["message"]


async def test_update_changes_only_sent_fields_and_bumps_updated_at(api):
    created = await create_opportunity(api, name="Before", description="Keep me", score=10)
    before = (await api.ok(OPPORTUNITY, {"id": created["id"]}))["opportunity"]
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": {"score": 95, "status": "defined"}}))
    updated = updated["updateOpportunity"]["opportunity"]
    assert (updated["score"], updated["status"]) == (95, "defined")
    assert (updated["name"], updated["description"]) == ("Before", "Keep me")
    assert updated["updatedAt"] >= before["updatedAt"]


async def test_update_null_clears_score_and_product_but_not_name_or_status(api):
    product = await create_product(api)
    created = await create_opportunity(api, score=50, productId=product["id"])
    cleared = (await api.ok(UPDATE, {"id": created["id"], "input": {"score": None, "productId": None}}))
    assert cleared["updateOpportunity"]["opportunity"]["score"] is None
    assert cleared["updateOpportunity"]["opportunity"]["productId"] is None
    for field in ("name", "description", "status"):
        error = await api.error(UPDATE, {"id": created["id"], "input": {field: None}})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_update_replaces_link_lists_and_null_empties_them(api):
    a, b = await create_insight(api, description="a"), await create_insight(api, description="b")
    idea = await create_idea(api)
    account = await create_account(api)
    created = await create_opportunity(api, insightIds=[a["id"]], ideaIds=[idea["id"]], accountIds=[account["id"]])
    replaced = (await api.ok(UPDATE, {"id": created["id"], "input": {"insightIds": [b["id"]]}}))
    replaced = replaced["updateOpportunity"]["opportunity"]
    assert replaced["insightIds"] == [b["id"]]
    assert replaced["ideaIds"] == [idea["id"]] and replaced["accountIds"] == [account["id"]]
    assert (await api.ok(INSIGHT_LINKS, {"id": a["id"]}))["insight"]["opportunityIds"] == []
    emptied = (await api.ok(UPDATE, {"id": created["id"], "input": {"ideaIds": None, "accountIds": []}}))
    assert emptied["updateOpportunity"]["opportunity"]["ideaIds"] == [] and emptied["updateOpportunity"]["opportunity"]["accountIds"] == []
    assert (await api.ok(IDEA_LINKS, {"id": idea["id"]}))["idea"]["opportunityIds"] == []


async def test_list_filters_by_status_product_account_search_and_updated_since(api):
    product = await create_product(api)
    account = await create_account(api)
    await create_opportunity(api, name="Checkout drop-off", status="validated", productId=product["id"])
    await create_opportunity(api, name="Slow search", description="Enterprise pain", accountIds=[account["id"]])

    async def names(filter_: dict) -> list[str]:
        return [n["name"] for n in (await api.ok(OPPORTUNITIES, {"filter": filter_}))["opportunities"]["nodes"]]

    assert await names({"status": ["validated", "defined"]}) == ["Checkout drop-off"]
    assert await names({"productId": product["id"]}) == ["Checkout drop-off"]
    assert await names({"accountId": account["id"]}) == ["Slow search"]
    assert await names({"search": "enterprise"}) == ["Slow search"]
    assert await names({"search": "CHECKOUT"}) == ["Checkout drop-off"]
    assert await names({"updatedSince": "2999-01-01T00:00:00Z"}) == []
    assert len(await names({"updatedSince": "2000-01-01T00:00:00Z"})) == 2
