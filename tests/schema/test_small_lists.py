"""Small lists are served whole, so their bound is enforced on write: an account's contacts, a product's
features and personas, an OKR's key results (limits.py). Past it, both faces answer 400 naming the list,
and nothing is written."""

from __future__ import annotations

import pytest

from signalgraph.limits import (
    CONTACTS_PER_ACCOUNT,
    FEATURES_PER_PRODUCT,
    KEY_RESULTS_PER_OKR,
    PERSONAS_PER_PRODUCT,
)
from signalgraph.storage.models import Contact, ProductFeature, ProductPersona
from tests.factories import create_account, create_product

V1 = "/external/v1"
# list → (its parent's factory, the model, the REST path of a new item, the GraphQL mutation, its count query)
CHILDREN = {
    "contacts": (
        create_account, Contact, "/accounts/{}/contacts",
        'mutation($p: ID!) { createContact(accountId: $p, input: {name: "One more"}) { contact { id } } }',
        "query($p: ID!) { account(id: $p) { contacts { id } } }",
        CONTACTS_PER_ACCOUNT,
    ),
    "features": (
        create_product, ProductFeature, "/products/{}/features",
        ('mutation($p: ID!) { createProductFeature(productId: $p, input: {name: "One more", description: "d"}) '
        "{ productFeature { id } } }"),
        "query($p: ID!) { product(id: $p) { features { id } } }",
        FEATURES_PER_PRODUCT,
    ),
    "personas": (
        create_product, ProductPersona, "/products/{}/personas",
        ('mutation($p: ID!) { createProductPersona(productId: $p, input: {name: "One more", description: "d"}) '
        "{ productPersona { id } } }"),
        "query($p: ID!) { product(id: $p) { personas { id } } }",
        PERSONAS_PER_PRODUCT,
    ),
}


@pytest.mark.parametrize("list_name", list(CHILDREN))
async def test_a_parent_full_to_its_bound_takes_no_more_on_either_face(http_api, services, list_name):
    make_parent, model, path, mutation, count_query, bound = CHILDREN[list_name]
    # given a parent that already holds one less than the bound, then one more through the API
    parent = await make_parent(http_api)
    parent_key = "account_id" if model is Contact else "product_id"
    async with services.db.write() as session:
        session.add_all(
            model(workspace_id=http_api.workspace_id, name=f"n{i}", **{parent_key: parent["id"]})
            for i in range(bound - 1)
        )
    body = {"name": "Another"} if model is Contact else {"name": "Another", "description": "d"}
    last = await http_api.rest("POST", V1 + path.format(parent["id"]), json=body)
    assert last.status_code == 201, last.text

    # when one more is created over REST and over GraphQL
    rest = await http_api.rest("POST", V1 + path.format(parent["id"]), json=body)
    graphql = await http_api.graphql(mutation, {"p": parent["id"]})

    # then both are refused, naming the list and its bound, and the list stays at the bound
    parent_name = parent_key.removesuffix("_id")
    assert rest.status_code == 400 and rest.json()["message"] == f"{list_name}: at most {bound} per {parent_name}"
    [error] = graphql["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and error["extensions"]["field"] == list_name
    counted = await http_api.ok(count_query, {"p": parent["id"]})
    assert len(next(iter(counted.values()))[list_name]) == bound


async def test_an_okr_takes_at_most_its_bound_of_key_results(http_api):
    key_results = [{"name": f"KR {i}"} for i in range(KEY_RESULTS_PER_OKR + 1)]

    rest = await http_api.rest("POST", V1 + "/okrs", json={"objective": "Grow", "priority": 1, "keyResults": key_results})
    graphql = await http_api.graphql(
        "mutation($k: [KeyResultInput!]!) { createOkr(input: {objective: \"Grow\", priority: 1, keyResults: $k}) "
        "{ okr { id } } }",
        {"k": key_results},
    )

    assert rest.status_code == 400, rest.text
    assert rest.json()["message"] == f"keyResults must have at most {KEY_RESULTS_PER_OKR} items"
    assert graphql["errors"][0]["extensions"]["field"] == "keyResults"
    assert (await http_api.ok("{ okrs { totalCount } }"))["okrs"]["totalCount"] == 0
    exactly = await http_api.rest(
        "POST", V1 + "/okrs", json={"objective": "Grow", "priority": 1, "keyResults": key_results[:KEY_RESULTS_PER_OKR]}
    )
    assert exactly.status_code == 201 and len(exactly.json()["keyResults"]) == KEY_RESULTS_PER_OKR


@pytest.mark.parametrize(("list_name", "bound"), [("features", FEATURES_PER_PRODUCT), ("personas", PERSONAS_PER_PRODUCT)])
async def test_a_new_product_takes_at_most_the_bound_of_initial_items(http_api, list_name, bound):
    items = [{"name": f"n{i}", "description": "d"} for i in range(bound + 1)]

    response = await http_api.rest("POST", V1 + "/products", json={"name": "P", "description": "d", list_name: items})

    assert response.status_code == 400, response.text
    assert response.json()["message"] == f"{list_name} must have at most {bound} items"
    assert (await http_api.ok("{ products { totalCount } }"))["products"]["totalCount"] == 0
