"""Opportunities through /graphql: create, read, list, update, delete; links, validation, scopes, isolation."""

from __future__ import annotations

import pytest

from signalgraph.storage.models import (
    Account,
    AccountOpportunity,
    Idea,
    Insight,
    InsightOpportunity,
    Opportunity,
    OpportunityIdea,
    Product,
)
from tests.factories import (
    create_account,
    create_idea,
    create_insight,
    create_opportunity,
    create_product,
)
from tests.sql import counting_selects

OPPORTUNITY = """
query($id: ID!) { opportunity(id: $id) {
  id workspaceId name description score status productId insightIds ideaIds accountIds createdAt updatedAt
} }
"""
RELATIONS = """
query($id: ID!) { opportunity(id: $id) {
  product { id name } insights { id description } ideas { id name } accounts { id name }
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
  updateOpportunity(id: $id, input: $input) {
    id name description score status productId insightIds ideaIds accountIds updatedAt
  }
}
"""
DELETE = "mutation($id: ID!) { deleteOpportunity(id: $id) { id message } }"
CREATE = "mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }"
IDEA_LINKS = "query($id: ID!) { idea(id: $id) { opportunityIds } }"
INSIGHT_LINKS = "query($id: ID!) { insight(id: $id) { opportunityIds } }"
NESTED = """
query($first: Int!) { opportunities(first: $first) { nodes {
  insightIds ideaIds accountIds product { id } insights { id } ideas { id } accounts { id }
} } }
"""
MISSING = "00000000-0000-0000-0000-000000000000"


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


async def test_links_on_create_are_readable_as_ids_and_relations(api):
    product = await create_product(api, name="Mobile")
    insight = await create_insight(api, description="Uninstalls spike")
    idea = await create_idea(api, name="Onboarding tour")
    account = await create_account(api, name="Acme")
    created = await create_opportunity(
        api, status="validated", productId=product["id"], insightIds=[insight["id"]],
        ideaIds=[idea["id"]], accountIds=[account["id"]],
    )
    assert created["status"] == "validated"
    assert created["productId"] == product["id"]
    assert created["insightIds"] == [insight["id"]]
    assert created["ideaIds"] == [idea["id"]]
    assert created["accountIds"] == [account["id"]]
    related = (await api.ok(RELATIONS, {"id": created["id"]}))["opportunity"]
    assert related["product"] == {"id": product["id"], "name": "Mobile"}
    assert related["insights"] == [{"id": insight["id"], "description": "Uninstalls spike"}]
    assert related["ideas"] == [{"id": idea["id"], "name": "Onboarding tour"}]
    assert related["accounts"] == [{"id": account["id"], "name": "Acme"}]


async def test_linking_from_either_side_gives_the_same_pairs(api):
    insight = await create_insight(api, description="d")
    idea = await create_idea(api)
    from_idea_side = await create_idea(api, name="Linked from the idea")
    opportunity = await create_opportunity(api, ideaIds=[idea["id"]])
    assert (await api.ok(IDEA_LINKS, {"id": idea["id"]}))["idea"]["opportunityIds"] == [opportunity["id"]]
    await api.ok(
        "mutation($id: ID!, $o: [ID!]) { updateIdea(id: $id, input: {opportunityIds: $o}) { id } }",
        {"id": from_idea_side["id"], "o": [opportunity["id"]]},
    )
    await api.ok(
        "mutation($id: ID!, $o: [ID!]) { updateInsight(id: $id, input: {opportunityIds: $o}) { id } }",
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


@pytest.mark.parametrize("field", ["name", "description"])
async def test_blank_name_or_description_is_refused(api, field):
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", field: "  "}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_missing_description_is_refused_by_the_schema(api):
    error = await api.error(CREATE, {"input": {"name": "n"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "description" in error["message"]


async def test_update_changes_only_sent_fields_and_bumps_updated_at(api):
    created = await create_opportunity(api, name="Before", description="Keep me", score=10)
    before = (await api.ok(OPPORTUNITY, {"id": created["id"]}))["opportunity"]
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": {"score": 95, "status": "defined"}}))
    updated = updated["updateOpportunity"]
    assert (updated["score"], updated["status"]) == (95, "defined")
    assert (updated["name"], updated["description"]) == ("Before", "Keep me")
    assert updated["updatedAt"] >= before["updatedAt"]


async def test_update_null_clears_score_and_product_but_not_name_or_status(api):
    product = await create_product(api)
    created = await create_opportunity(api, score=50, productId=product["id"])
    cleared = (await api.ok(UPDATE, {"id": created["id"], "input": {"score": None, "productId": None}}))
    assert cleared["updateOpportunity"]["score"] is None
    assert cleared["updateOpportunity"]["productId"] is None
    for field in ("name", "description", "status"):
        error = await api.error(UPDATE, {"id": created["id"], "input": {field: None}})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_update_replaces_link_lists_and_null_empties_them(api):
    a, b = await create_insight(api, description="a"), await create_insight(api, description="b")
    idea = await create_idea(api)
    account = await create_account(api)
    created = await create_opportunity(api, insightIds=[a["id"]], ideaIds=[idea["id"]], accountIds=[account["id"]])
    replaced = (await api.ok(UPDATE, {"id": created["id"], "input": {"insightIds": [b["id"]]}}))
    replaced = replaced["updateOpportunity"]
    assert replaced["insightIds"] == [b["id"]]
    assert replaced["ideaIds"] == [idea["id"]] and replaced["accountIds"] == [account["id"]]
    assert (await api.ok(INSIGHT_LINKS, {"id": a["id"]}))["insight"]["opportunityIds"] == []
    emptied = (await api.ok(UPDATE, {"id": created["id"], "input": {"ideaIds": None, "accountIds": []}}))
    assert emptied["updateOpportunity"]["ideaIds"] == [] and emptied["updateOpportunity"]["accountIds"] == []
    assert (await api.ok(IDEA_LINKS, {"id": idea["id"]}))["idea"]["opportunityIds"] == []


async def test_linking_a_missing_id_is_not_found_naming_the_field(api):
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", "ideaIds": [MISSING]}})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "ideaIds"}


async def test_delete_unlinks_then_read_is_null_and_second_delete_is_not_found(api):
    idea = await create_idea(api)
    created = await create_opportunity(api, ideaIds=[idea["id"]])
    deleted = (await api.ok(DELETE, {"id": created["id"]}))["deleteOpportunity"]
    assert deleted == {"id": created["id"], "message": "Deleted"}
    assert (await api.ok(OPPORTUNITY, {"id": created["id"]}))["opportunity"] is None
    assert (await api.ok(IDEA_LINKS, {"id": idea["id"]}))["idea"]["opportunityIds"] == []
    assert await api.error_code(DELETE, {"id": created["id"]}) == "NOT_FOUND"


async def test_update_missing_opportunity_is_not_found(api):
    assert await api.error_code(UPDATE, {"id": MISSING, "input": {"name": "x"}}) == "NOT_FOUND"


async def test_list_pages_newest_first(api):
    ids = [(await create_opportunity(api, name=f"o{i}"))["id"] for i in range(3)]
    first = (await api.ok(OPPORTUNITIES, {"first": 2}))["opportunities"]
    assert first["totalCount"] == 3
    assert [n["id"] for n in first["nodes"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    rest = (await api.ok(OPPORTUNITIES, {"first": 2, "after": first["pageInfo"]["endCursor"]}))["opportunities"]
    assert [n["id"] for n in rest["nodes"]] == [ids[0]] and rest["pageInfo"]["hasNextPage"] is False
    by_offset = (await api.ok(OPPORTUNITIES, {"offset": 1}))["opportunities"]
    assert [n["id"] for n in by_offset["nodes"]] == ids[::-1][1:]


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


async def test_scopes_guard_read_write_delete(make_api):
    reader = await make_api(scopes=["opportunities:read"])
    assert await reader.error_code(CREATE, {"input": {"name": "n", "description": "d"}}) == "FORBIDDEN"
    writer = await make_api(scopes=["opportunities:write"], workspace=reader.workspace)
    created = await create_opportunity(writer)
    error = await writer.error(OPPORTUNITY, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "opportunities:read" in error["message"]
    assert await writer.error_code(DELETE, {"id": created["id"]}) == "FORBIDDEN"
    assert (await reader.ok(OPPORTUNITY, {"id": created["id"]}))["opportunity"]["id"] == created["id"]
    deleter = await make_api(scopes=["opportunities:delete"], workspace=reader.workspace)
    assert (await deleter.ok(DELETE, {"id": created["id"]}))["deleteOpportunity"]["id"] == created["id"]


@pytest.mark.parametrize(
    ("relation", "scope"),
    [
        ("insights", "insights:read"), ("ideas", "ideas:read"),
        ("accounts", "accounts:read"), ("product", "products:read"),
    ],
)
async def test_relation_into_another_resource_needs_its_scope(make_api, relation, scope):
    api = await make_api(scopes=["opportunities:read", "opportunities:write"])
    created = await create_opportunity(api)
    query = f"query($id: ID!) {{ opportunity(id: $id) {{ {relation} {{ id }} }} }}"
    error = await api.error(query, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and scope in error["message"]


async def test_other_workspace_cannot_read_update_delete_or_link(make_api):
    alice, bob = await make_api(), await make_api()
    secret = await create_opportunity(alice, name="alice only")
    assert (await bob.ok(OPPORTUNITY, {"id": secret["id"]}))["opportunity"] is None
    assert (await bob.ok(OPPORTUNITIES))["opportunities"]["totalCount"] == 0
    assert await bob.error_code(UPDATE, {"id": secret["id"], "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"id": secret["id"]}) == "NOT_FOUND"
    foreign = {
        "productId": (await create_product(alice))["id"],
        "insightIds": [(await create_insight(alice, description="d"))["id"]],
        "ideaIds": [(await create_idea(alice))["id"]],
        "accountIds": [(await create_account(alice))["id"]],
    }
    for field, value in foreign.items():
        error = await bob.error(CREATE, {"input": {"name": "n", "description": "d", field: value}})
        assert error["extensions"] == {"code": "NOT_FOUND", "field": field}
    assert (await alice.ok(OPPORTUNITY, {"id": secret["id"]}))["opportunity"]["name"] == "alice only"


async def test_a_page_with_every_relation_costs_one_statement_per_relation(api, services):
    ws = api.workspace_id
    async with services.db.write() as session:
        for n in range(40):
            product = Product(workspace_id=ws, name=f"product {n}", description="d")
            session.add(product)
            await session.flush()
            opportunity = Opportunity(workspace_id=ws, name=f"o{n}", description="d", product_id=product.id)
            insight = Insight(workspace_id=ws, description="d")
            idea = Idea(workspace_id=ws, name="i", description="d")
            account = Account(workspace_id=ws, name="a")
            session.add_all([opportunity, insight, idea, account])
            await session.flush()
            session.add_all([
                InsightOpportunity(insight_id=insight.id, opportunity_id=opportunity.id, workspace_id=ws),
                OpportunityIdea(opportunity_id=opportunity.id, idea_id=idea.id, workspace_id=ws),
                AccountOpportunity(account_id=account.id, opportunity_id=opportunity.id, workspace_id=ws),
            ])

    with counting_selects(services.db.engine) as statements:
        nodes = (await api.ok(NESTED, {"first": 40}))["opportunities"]["nodes"]

    assert len(nodes) == 40
    assert all(len(o["insights"]) == len(o["ideas"]) == len(o["accounts"]) == 1 and o["product"] for o in nodes)
    # key lookup, count + page, then one batch for each of the seven relation fields.
    assert len(statements) <= 10, "\n".join(statements)
