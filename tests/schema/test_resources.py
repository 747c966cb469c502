"""What ideas and opportunities share through /graphql, one test body for both: links on create, blank
names, missing ids, delete, paging, scopes, relation scopes, workspace isolation and the statement count
of a page. What only one of them has stays in its own module (test_ideas.py, test_opportunities.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from signalgraph.storage.models import (
    Account,
    AccountIdea,
    AccountOpportunity,
    Idea,
    Insight,
    InsightIdea,
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

MISSING = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Other:
    """The far end of a link list: how to make one, what the relation shows of it, and how its own list of
    the resource reads back."""

    relation: str  # the relation field on the resource: "opportunities"
    create: Callable[..., Awaitable[dict[str, Any]]]
    label: str  # the field the relation shows besides the id
    model: type
    seed: dict[str, str]  # the columns a row needs
    key: str  # its column in a link table: "opportunity_id"
    read_back: str  # its link list of the resource, read by id
    name: str  # the root field of `read_back`
    back: str  # the link list field of `read_back`


def other(relation: str, name: str, create, label: str, model: type, seed: dict[str, str], back: str) -> Other:
    read_back = f"query($id: ID!) {{ {name}(id: $id) {{ {back} }} }}"
    return Other(relation, create, label, model, seed, f"{name}_id", read_back, name, back)


OPPORTUNITIES_OF_IDEA = other("opportunities", "opportunity", create_opportunity, "name", Opportunity,
                              {"name": "o", "description": "d"}, "ideaIds")
INSIGHTS_OF_IDEA = other("insights", "insight", create_insight, "description", Insight, {"description": "d"}, "ideaIds")
ACCOUNTS_OF_IDEA = other("accounts", "account", create_account, "name", Account, {"name": "a"}, "ideaIds")
IDEAS_OF_OPPORTUNITY = other("ideas", "idea", create_idea, "name", Idea, {"name": "i", "description": "d"},
                             "opportunityIds")
INSIGHTS_OF_OPPORTUNITY = other("insights", "insight", create_insight, "description", Insight, {"description": "d"},
                                "opportunityIds")
ACCOUNTS_OF_OPPORTUNITY = other("accounts", "account", create_account, "name", Account, {"name": "a"},
                                "opportunityIds")


@dataclass(frozen=True)
class Resource:
    """One of the resources under test, with its documents as constants."""

    name: str  # the root field: "idea"
    plural: str  # the list field and the scope stem: "ideas"
    create: Callable[..., Awaitable[dict[str, Any]]]
    linked_status: str  # a status other than the default, set by the create with links
    links: dict[str, Other]  # link list field → the far end
    model: type
    key: str  # its column in a link table: "idea_id"
    link_models: dict[str, type]  # link list field → the link table
    read: str
    relations: str
    list: str
    nested: str
    create_document: str
    update: str
    delete: str

    def __str__(self) -> str:
        return self.plural


IDEA = Resource(
    name="idea", plural="ideas", create=create_idea, linked_status="backlog",
    links={"opportunityIds": OPPORTUNITIES_OF_IDEA, "insightIds": INSIGHTS_OF_IDEA, "accountIds": ACCOUNTS_OF_IDEA},
    model=Idea, key="idea_id", link_models={"opportunityIds": OpportunityIdea, "insightIds": InsightIdea, "accountIds": AccountIdea},
    read="query($id: ID!) { idea(id: $id) { id name } }",
    relations="""
    query($id: ID!) { idea(id: $id) {
      product { id name } opportunities { nodes { id name } } insights { nodes { id description } } accounts { nodes { id name } }
    } }
    """,
    list="""
    query($first: Int, $after: String, $offset: Int) { ideas(first: $first, after: $after, offset: $offset) {
      totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor }
    } }
    """,
    nested="""
    query($first: Int!) { ideas(first: $first) { nodes {
      opportunityIds insightIds accountIds product { id } opportunities { nodes { id } } insights { nodes { id } } accounts { nodes { id } }
    } } }
    """,
    create_document="mutation($input: CreateIdeaInput!) { createIdea(input: $input) { idea { id } } }",
    update="mutation($id: ID!, $input: UpdateIdeaInput!) { updateIdea(id: $id, input: $input) { idea { id } } }",
    delete="mutation($id: ID!) { deleteIdea(id: $id) { deletedId message } }",
)
OPPORTUNITY = Resource(
    name="opportunity", plural="opportunities", create=create_opportunity, linked_status="validated",
    links={"insightIds": INSIGHTS_OF_OPPORTUNITY, "ideaIds": IDEAS_OF_OPPORTUNITY, "accountIds": ACCOUNTS_OF_OPPORTUNITY},
    model=Opportunity, key="opportunity_id",
    link_models={"insightIds": InsightOpportunity, "ideaIds": OpportunityIdea, "accountIds": AccountOpportunity},
    read="query($id: ID!) { opportunity(id: $id) { id name } }",
    relations="""
    query($id: ID!) { opportunity(id: $id) {
      product { id name } insights { nodes { id description } } ideas { nodes { id name } } accounts { nodes { id name } }
    } }
    """,
    list="""
    query($first: Int, $after: String, $offset: Int) {
      opportunities(first: $first, after: $after, offset: $offset) {
        totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor }
      }
    }
    """,
    nested="""
    query($first: Int!) { opportunities(first: $first) { nodes {
      insightIds ideaIds accountIds product { id } insights { nodes { id } } ideas { nodes { id } } accounts { nodes { id } }
    } } }
    """,
    create_document="mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }",
    update="""
    mutation($id: ID!, $input: UpdateOpportunityInput!) { updateOpportunity(id: $id, input: $input) { opportunity { id } } }
    """,
    delete="mutation($id: ID!) { deleteOpportunity(id: $id) { deletedId message } }",
)


@pytest.fixture(params=[IDEA, OPPORTUNITY], ids=str)
def resource(request: pytest.FixtureRequest) -> Resource:
    return request.param


def payload(resource: Resource, verb: str) -> str:
    """`deleteIdea`, `updateOpportunity`: the mutation field of `verb` for the resource."""
    return verb + resource.name[0].upper() + resource.name[1:]


async def read_back(api, other: Other, other_id: str) -> list[str]:
    """The far end's list of linked ids."""
    return (await api.ok(other.read_back, {"id": other_id}))[other.name][other.back]


async def test_links_on_create_are_readable_as_ids_and_relations(api, resource):
    product = await create_product(api, name="Search")
    linked = {
        field: await other.create(api, **{other.label: f"linked through {field}"})
        for field, other in resource.links.items()
    }

    created = await resource.create(
        api, status=resource.linked_status, productId=product["id"],
        **{field: [row["id"]] for field, row in linked.items()},
    )

    assert created["status"] == resource.linked_status
    assert created["productId"] == product["id"]
    for field, row in linked.items():
        assert created[field] == [row["id"]]
    related = (await api.ok(resource.relations, {"id": created["id"]}))[resource.name]
    assert related["product"] == {"id": product["id"], "name": "Search"}
    for field, other in resource.links.items():
        row = linked[field]
        assert related[other.relation]["nodes"] == [{"id": row["id"], other.label: f"linked through {field}"}]


@pytest.mark.parametrize("blank", ["", "  "])
@pytest.mark.parametrize("field", ["name", "description"])
async def test_blank_name_or_description_is_refused(api, resource, field, blank):
    error = await api.error(resource.create_document, {"input": {"name": "n", "description": "d", field: blank}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_linking_a_missing_id_is_not_found_naming_the_field(api, resource):
    for field in resource.links:
        error = await api.error(resource.create_document, {"input": {"name": "n", "description": "d", field: [MISSING]}})
        assert error["extensions"] == {"code": "NOT_FOUND", "field": field}


async def test_delete_unlinks_then_read_is_null_and_second_delete_is_not_found(api, resource):
    linked = {field: await other.create(api) for field, other in resource.links.items()}
    created = await resource.create(api, **{field: [row["id"]] for field, row in linked.items()})

    deleted = (await api.ok(resource.delete, {"id": created["id"]}))[payload(resource, "delete")]

    assert deleted == {"deletedId": created["id"], "message": "Deleted"}
    assert (await api.ok(resource.read, {"id": created["id"]}))[resource.name] is None
    for field, other in resource.links.items():
        assert await read_back(api, other, linked[field]["id"]) == []
    assert await api.error_code(resource.delete, {"id": created["id"]}) == "NOT_FOUND"


async def test_update_of_a_missing_one_is_not_found(api, resource):
    assert await api.error_code(resource.update, {"id": MISSING, "input": {"name": "x"}}) == "NOT_FOUND"


async def test_list_pages_newest_first(api, resource):
    ids = [(await resource.create(api, name=f"n{i}"))["id"] for i in range(3)]

    first = (await api.ok(resource.list, {"first": 2}))[resource.plural]
    rest = (await api.ok(resource.list, {"first": 2, "after": first["pageInfo"]["endCursor"]}))[resource.plural]
    by_offset = (await api.ok(resource.list, {"offset": 1}))[resource.plural]

    assert first["totalCount"] == 3
    assert [n["id"] for n in first["nodes"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"] is True and first["pageInfo"]["hasPreviousPage"] is False
    assert [n["id"] for n in rest["nodes"]] == [ids[0]]
    assert rest["pageInfo"]["hasPreviousPage"] is True and rest["pageInfo"]["hasNextPage"] is False
    assert [n["id"] for n in by_offset["nodes"]] == ids[::-1][1:]


async def test_scopes_guard_read_write_delete(make_api, resource):
    reader = await make_api(scopes=[f"{resource.plural}:read"])
    assert await reader.error_code(resource.create_document, {"input": {"name": "n", "description": "d"}}) == "FORBIDDEN"
    writer = await make_api(scopes=[f"{resource.plural}:write"], workspace=reader.workspace)
    created = await resource.create(writer)
    error = await writer.error(resource.read, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and f"{resource.plural}:read" in error["message"]
    assert await writer.error_code(resource.delete, {"id": created["id"]}) == "FORBIDDEN"
    assert (await reader.ok(resource.read, {"id": created["id"]}))[resource.name]["id"] == created["id"]
    deleter = await make_api(scopes=[f"{resource.plural}:delete"], workspace=reader.workspace)
    assert (await deleter.ok(resource.delete, {"id": created["id"]}))[payload(resource, "delete")]["deletedId"] == created["id"]


async def test_relation_into_another_resource_needs_its_scope(make_api, resource):
    api = await make_api(scopes=[f"{resource.plural}:read", f"{resource.plural}:write"])
    created = await resource.create(api)
    relations = {other.relation: f"{other.relation}:read" for other in resource.links.values()}
    for relation, scope in {**relations, "product": "products:read"}.items():
        selection = "id" if relation == "product" else "nodes { id }"
        query = f"query($id: ID!) {{ {resource.name}(id: $id) {{ {relation} {{ {selection} }} }} }}"
        error = await api.error(query, {"id": created["id"]})
        assert error["extensions"]["code"] == "FORBIDDEN" and scope in error["message"], relation


async def test_other_workspace_cannot_read_update_delete_or_link(make_api, resource):
    alice, bob = await make_api(), await make_api()
    secret = await resource.create(alice, name="alice only")
    assert (await bob.ok(resource.read, {"id": secret["id"]}))[resource.name] is None
    assert (await bob.ok(resource.list))[resource.plural]["totalCount"] == 0
    assert await bob.error_code(resource.update, {"id": secret["id"], "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(resource.delete, {"id": secret["id"]}) == "NOT_FOUND"
    foreign = {"productId": (await create_product(alice))["id"]}
    for field, other in resource.links.items():
        foreign[field] = [(await other.create(alice))["id"]]
    mine = await resource.create(bob)
    for field, value in foreign.items():
        error = await bob.error(resource.create_document, {"input": {"name": "n", "description": "d", field: value}})
        assert error["extensions"] == {"code": "NOT_FOUND", "field": field}
        error = await bob.error(resource.update, {"id": mine["id"], "input": {field: value}})
        assert error["extensions"] == {"code": "NOT_FOUND", "field": field}
    assert (await alice.ok(resource.read, {"id": secret["id"]}))[resource.name]["name"] == "alice only"


async def test_a_page_with_every_relation_costs_one_statement_per_relation(api, services, resource):
    ws = api.workspace_id
    async with services.db.write() as session:
        for n in range(40):
            product = Product(workspace_id=ws, name=f"product {n}", description="d")
            session.add(product)
            await session.flush()
            row = resource.model(workspace_id=ws, name=f"n{n}", description="d", product_id=product.id)
            others = {field: other.model(workspace_id=ws, **other.seed) for field, other in resource.links.items()}
            session.add_all([row, *others.values()])
            await session.flush()
            session.add_all([
                resource.link_models[field](
                    workspace_id=ws, **{resource.key: row.id, resource.links[field].key: other_row.id}
                )
                for field, other_row in others.items()
            ])

    with counting_selects(services.db.engine) as statements:
        nodes = (await api.ok(resource.nested, {"first": 40}))[resource.plural]["nodes"]

    assert len(nodes) == 40
    assert all(node["product"] for node in nodes)
    assert all(len(node[other.relation]) == 1 for node in nodes for other in resource.links.values())
    # count + page, then one batch for each of the seven relation fields.
    assert len(statements) <= 9, "\n".join(statements)

