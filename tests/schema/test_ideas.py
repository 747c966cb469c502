"""Ideas through /graphql: create, read, list, update, delete; links, validation, scopes, isolation."""

from __future__ import annotations

import pytest

from signalgraph.storage.models import (
    Account,
    AccountIdea,
    Idea,
    Insight,
    InsightIdea,
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

IDEA = """
query($id: ID!) { idea(id: $id) {
  id workspaceId name description status productId opportunityIds insightIds accountIds createdAt updatedAt
} }
"""
RELATIONS = """
query($id: ID!) { idea(id: $id) {
  product { id name } opportunities { id name } insights { id description } accounts { id name }
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
  updateIdea(id: $id, input: $input) {
    id name description status productId opportunityIds insightIds accountIds updatedAt
  }
}
"""
DELETE = "mutation($id: ID!) { deleteIdea(id: $id) { id message } }"
CREATE = "mutation($input: CreateIdeaInput!) { createIdea(input: $input) { id } }"
OPPORTUNITY_LINKS = "query($id: ID!) { opportunity(id: $id) { ideaIds } }"
INSIGHT_LINKS = "query($id: ID!) { insight(id: $id) { ideaIds } }"
ACCOUNT_LINKS = "query($id: ID!) { account(id: $id) { ideaIds } }"
NESTED = """
query($first: Int!) { ideas(first: $first) { nodes {
  opportunityIds insightIds accountIds product { id } opportunities { id } insights { id } accounts { id }
} } }
"""
MISSING = "00000000-0000-0000-0000-000000000000"


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


async def test_links_on_create_are_readable_as_ids_and_relations(api):
    product = await create_product(api, name="Search")
    opportunity = await create_opportunity(api, name="Poor relevance")
    insight = await create_insight(api, description="Results miss synonyms")
    account = await create_account(api, name="Globex")
    created = await create_idea(
        api, status="backlog", productId=product["id"], opportunityIds=[opportunity["id"]],
        insightIds=[insight["id"]], accountIds=[account["id"]],
    )
    assert created["status"] == "backlog"
    assert created["productId"] == product["id"]
    assert created["opportunityIds"] == [opportunity["id"]]
    assert created["insightIds"] == [insight["id"]]
    assert created["accountIds"] == [account["id"]]
    related = (await api.ok(RELATIONS, {"id": created["id"]}))["idea"]
    assert related["product"] == {"id": product["id"], "name": "Search"}
    assert related["opportunities"] == [{"id": opportunity["id"], "name": "Poor relevance"}]
    assert related["insights"] == [{"id": insight["id"], "description": "Results miss synonyms"}]
    assert related["accounts"] == [{"id": account["id"], "name": "Globex"}]


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
        "mutation($id: ID!, $i: [ID!]) { updateInsight(id: $id, input: {ideaIds: $i}) { id } }",
        {"id": insight["id"], "i": [idea["id"], from_insight["id"]]},
    )
    assert (await api.ok(IDEA, {"id": from_insight["id"]}))["idea"]["insightIds"] == [insight["id"]]


@pytest.mark.parametrize("field", ["name", "description"])
async def test_blank_name_or_description_is_refused(api, field):
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", field: ""}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_unknown_status_is_bad_user_input(api):
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", "status": "shipped"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "status" in error["message"]


async def test_update_changes_only_sent_fields_and_bumps_updated_at(api):
    created = await create_idea(api, name="Before", description="Keep me")
    before = (await api.ok(IDEA, {"id": created["id"]}))["idea"]
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": {"status": "development"}}))["updateIdea"]
    assert updated["status"] == "development"
    assert (updated["name"], updated["description"]) == ("Before", "Keep me")
    assert updated["updatedAt"] >= before["updatedAt"]


async def test_update_null_clears_product_but_not_name_description_or_status(api):
    product = await create_product(api)
    created = await create_idea(api, productId=product["id"])
    cleared = (await api.ok(UPDATE, {"id": created["id"], "input": {"productId": None}}))["updateIdea"]
    assert cleared["productId"] is None
    for field in ("name", "description", "status"):
        error = await api.error(UPDATE, {"id": created["id"], "input": {field: None}})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_update_replaces_link_lists(api):
    first, second = await create_opportunity(api, name="first"), await create_opportunity(api, name="second")
    insight = await create_insight(api, description="d")
    created = await create_idea(api, opportunityIds=[first["id"]], insightIds=[insight["id"]])
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": {"opportunityIds": [second["id"]]}}))
    updated = updated["updateIdea"]
    assert updated["opportunityIds"] == [second["id"]] and updated["insightIds"] == [insight["id"]]
    assert (await api.ok(OPPORTUNITY_LINKS, {"id": first["id"]}))["opportunity"]["ideaIds"] == []
    emptied = (await api.ok(UPDATE, {"id": created["id"], "input": {"insightIds": None}}))["updateIdea"]
    assert emptied["insightIds"] == []


async def test_linking_a_missing_id_is_not_found_naming_the_field(api):
    error = await api.error(CREATE, {"input": {"name": "n", "description": "d", "opportunityIds": [MISSING]}})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "opportunityIds"}


async def test_delete_unlinks_then_read_is_null_and_second_delete_is_not_found(api):
    opportunity = await create_opportunity(api)
    created = await create_idea(api, opportunityIds=[opportunity["id"]])
    assert (await api.ok(DELETE, {"id": created["id"]}))["deleteIdea"] == {"id": created["id"], "message": "Deleted"}
    assert (await api.ok(IDEA, {"id": created["id"]}))["idea"] is None
    assert (await api.ok(OPPORTUNITY_LINKS, {"id": opportunity["id"]}))["opportunity"]["ideaIds"] == []
    assert await api.error_code(DELETE, {"id": created["id"]}) == "NOT_FOUND"


async def test_update_missing_idea_is_not_found(api):
    assert await api.error_code(UPDATE, {"id": MISSING, "input": {"name": "x"}}) == "NOT_FOUND"


async def test_list_pages_newest_first(api):
    ids = [(await create_idea(api, name=f"i{i}"))["id"] for i in range(3)]
    first = (await api.ok(IDEAS, {"first": 2}))["ideas"]
    assert first["totalCount"] == 3
    assert [n["id"] for n in first["nodes"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (await api.ok(IDEAS, {"first": 2, "after": first["pageInfo"]["endCursor"]}))["ideas"]
    assert [n["id"] for n in rest["nodes"]] == [ids[0]]
    assert rest["pageInfo"]["hasPreviousPage"] is True and rest["pageInfo"]["hasNextPage"] is False


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


async def test_scopes_guard_read_write_delete(make_api):
    reader = await make_api(scopes=["ideas:read"])
    assert await reader.error_code(CREATE, {"input": {"name": "n", "description": "d"}}) == "FORBIDDEN"
    writer = await make_api(scopes=["ideas:write"], workspace=reader.workspace)
    created = await create_idea(writer)
    error = await writer.error(IDEA, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "ideas:read" in error["message"]
    assert await writer.error_code(DELETE, {"id": created["id"]}) == "FORBIDDEN"
    assert (await reader.ok(IDEA, {"id": created["id"]}))["idea"]["id"] == created["id"]
    deleter = await make_api(scopes=["ideas:delete"], workspace=reader.workspace)
    assert (await deleter.ok(DELETE, {"id": created["id"]}))["deleteIdea"]["id"] == created["id"]


@pytest.mark.parametrize(
    ("relation", "scope"),
    [
        ("opportunities", "opportunities:read"), ("insights", "insights:read"),
        ("accounts", "accounts:read"), ("product", "products:read"),
    ],
)
async def test_relation_into_another_resource_needs_its_scope(make_api, relation, scope):
    api = await make_api(scopes=["ideas:read", "ideas:write"])
    created = await create_idea(api)
    error = await api.error(f"query($id: ID!) {{ idea(id: $id) {{ {relation} {{ id }} }} }}", {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and scope in error["message"]


async def test_other_workspace_cannot_read_update_delete_or_link(make_api):
    alice, bob = await make_api(), await make_api()
    secret = await create_idea(alice, name="alice only")
    assert (await bob.ok(IDEA, {"id": secret["id"]}))["idea"] is None
    assert (await bob.ok(IDEAS))["ideas"]["totalCount"] == 0
    assert await bob.error_code(UPDATE, {"id": secret["id"], "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"id": secret["id"]}) == "NOT_FOUND"
    foreign = {
        "productId": (await create_product(alice))["id"],
        "opportunityIds": [(await create_opportunity(alice))["id"]],
        "insightIds": [(await create_insight(alice, description="d"))["id"]],
        "accountIds": [(await create_account(alice))["id"]],
    }
    mine = await create_idea(bob)
    for field, value in foreign.items():
        error = await bob.error(UPDATE, {"id": mine["id"], "input": {field: value}})
        assert error["extensions"] == {"code": "NOT_FOUND", "field": field}
    assert (await alice.ok(IDEA, {"id": secret["id"]}))["idea"]["name"] == "alice only"


async def test_a_page_with_every_relation_costs_one_statement_per_relation(api, services):
    ws = api.workspace_id
    async with services.db.write() as session:
        for n in range(40):
            product = Product(workspace_id=ws, name=f"product {n}", description="d")
            session.add(product)
            await session.flush()
            idea = Idea(workspace_id=ws, name=f"i{n}", description="d", product_id=product.id)
            opportunity = Opportunity(workspace_id=ws, name="o", description="d")
            insight = Insight(workspace_id=ws, description="d")
            account = Account(workspace_id=ws, name="a")
            session.add_all([idea, opportunity, insight, account])
            await session.flush()
            session.add_all([
                OpportunityIdea(opportunity_id=opportunity.id, idea_id=idea.id, workspace_id=ws),
                InsightIdea(insight_id=insight.id, idea_id=idea.id, workspace_id=ws),
                AccountIdea(account_id=account.id, idea_id=idea.id, workspace_id=ws),
            ])

    with counting_selects(services.db.engine) as statements:
        nodes = (await api.ok(NESTED, {"first": 40}))["ideas"]["nodes"]

    assert len(nodes) == 40
    assert all(len(i["opportunities"]) == len(i["insights"]) == len(i["accounts"]) == 1 and i["product"] for i in nodes)
    # key lookup, count + page, then one batch for each of the seven relation fields.
    assert len(statements) <= 10, "\n".join(statements)
