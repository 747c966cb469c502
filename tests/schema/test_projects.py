"""Projects through /graphql: create, read, list, update, delete under the OKR scopes; validation, isolation."""

from __future__ import annotations

from tests.factories import create_okr, create_project

PROJECT = """
query($id: ID!) { project(id: $id) { id workspaceId name description status createdAt updatedAt } }
"""
PROJECTS = """
query($first: Int, $after: String, $offset: Int, $filter: ProjectFilter) {
  projects(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { id name } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
KEY_RESULTS = "query($id: ID!) { project(id: $id) { keyResults { nodes { id name okr { id objective } } } } }"
UPDATE = """
mutation($id: ID!, $input: UpdateProjectInput!) {
  updateProject(id: $id, input: $input) { project { id name description status updatedAt } }
}
"""
DELETE = "mutation($id: ID!) { deleteProject(id: $id) { deletedId message } }"
CREATE = "mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id } } }"
OKR_PROJECT_IDS = "query($id: ID!) { okr(id: $id) { keyResults { projectIds } } }"
MISSING = "00000000-0000-0000-0000-000000000000"


async def test_create_then_read_returns_every_field(api):
    created = await create_project(api, name="Onboarding revamp", description="Rebuild the first-run flow")
    project = (await api.ok(PROJECT, {"id": created["id"]}))["project"]
    assert project["name"] == "Onboarding revamp"
    assert project["description"] == "Rebuild the first-run flow"
    assert project["status"] == "planned"
    assert project["workspaceId"] == api.workspace_id
    assert project["createdAt"].endswith("Z") and project["updatedAt"].endswith("Z")


async def test_key_results_relation_lists_the_key_results_linking_it(api):
    project = await create_project(api)
    okr = await create_okr(
        api, objective="Activate teams", keyResults=[{"name": "Lift activation", "projectIds": [project["id"]]}]
    )
    linked = (await api.ok(KEY_RESULTS, {"id": project["id"]}))["project"]["keyResults"]["nodes"]
    okr_ref = {"id": okr["id"], "objective": "Activate teams"}
    assert linked == [{"id": okr["keyResults"][0]["id"], "name": "Lift activation", "okr": okr_ref}]


async def test_blank_name_is_refused_and_unknown_status_is_bad_user_input(api):
    error = await api.error(CREATE, {"input": {"name": " "}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "name"}
    error = await api.error(CREATE, {"input": {"name": "n", "status": "paused"}})
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "status" in error["message"]


async def test_update_changes_sent_fields_null_clears_description_but_not_name_or_status(api):
    created = await create_project(api, name="Before", description="Something")
    updated = (await api.ok(UPDATE, {"id": created["id"], "input": {"status": "active"}}))["updateProject"]["project"]
    assert (updated["name"], updated["description"], updated["status"]) == ("Before", "Something", "active")
    cleared = (await api.ok(UPDATE, {"id": created["id"], "input": {"description": None}}))["updateProject"]["project"]
    assert cleared["description"] is None
    for field in ("name", "status"):
        error = await api.error(UPDATE, {"id": created["id"], "input": {field: None}})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_delete_unlinks_key_results_then_read_is_null(api):
    project = await create_project(api)
    okr = await create_okr(api, keyResults=[{"name": "kr", "projectIds": [project["id"]]}])
    assert (await api.ok(DELETE, {"id": project["id"]}))["deleteProject"] == {"deletedId": project["id"], "message": "Deleted"}
    assert (await api.ok(PROJECT, {"id": project["id"]}))["project"] is None
    assert (await api.ok(OKR_PROJECT_IDS, {"id": okr["id"]}))["okr"]["keyResults"] == [{"projectIds": []}]
    assert await api.error_code(DELETE, {"id": project["id"]}) == "NOT_FOUND"


async def test_update_missing_project_is_not_found(api):
    assert await api.error_code(UPDATE, {"id": MISSING, "input": {"name": "x"}}) == "NOT_FOUND"


async def test_list_pages_newest_first_and_filters(api):
    ids = [(await create_project(api, name=f"p{i}"))["id"] for i in range(2)]
    await create_project(api, name="Billing migration", description="Move to Stripe", status="done")
    page = (await api.ok(PROJECTS, {"first": 2}))["projects"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
    rest = (await api.ok(PROJECTS, {"after": page["pageInfo"]["endCursor"]}))["projects"]
    assert [n["id"] for n in rest["nodes"]] == [ids[0]]

    async def names(filter_: dict) -> list[str]:
        return [n["name"] for n in (await api.ok(PROJECTS, {"filter": filter_}))["projects"]["nodes"]]

    assert await names({"status": ["done"]}) == ["Billing migration"]
    assert await names({"search": "stripe"}) == ["Billing migration"]
    assert await names({"updatedSince": "2999-01-01T00:00:00Z"}) == []


async def test_projects_travel_with_the_okr_scopes(make_api):
    reader = await make_api(scopes=["okrs:read"])
    assert await reader.error_code(CREATE, {"input": {"name": "n"}}) == "FORBIDDEN"
    writer = await make_api(scopes=["okrs:write"], workspace=reader.workspace)
    created = await create_project(writer)
    error = await writer.error(PROJECT, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "okrs:read" in error["message"]
    assert await writer.error_code(DELETE, {"id": created["id"]}) == "FORBIDDEN"
    assert (await reader.ok(PROJECT, {"id": created["id"]}))["project"]["id"] == created["id"]
    deleter = await make_api(scopes=["okrs:delete"], workspace=reader.workspace)
    assert (await deleter.ok(DELETE, {"id": created["id"]}))["deleteProject"]["deletedId"] == created["id"]


async def test_other_workspace_cannot_read_update_or_delete(make_api):
    alice, bob = await make_api(), await make_api()
    secret = await create_project(alice, name="alice only")
    assert (await bob.ok(PROJECT, {"id": secret["id"]}))["project"] is None
    assert (await bob.ok(PROJECTS))["projects"]["totalCount"] == 0
    assert await bob.error_code(UPDATE, {"id": secret["id"], "input": {"name": "pwned"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"id": secret["id"]}) == "NOT_FOUND"
    assert (await alice.ok(PROJECT, {"id": secret["id"]}))["project"]["name"] == "alice only"
