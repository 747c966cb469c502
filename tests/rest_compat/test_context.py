"""Context units and context documents over REST: the reference's examples replayed, upload, preview."""

from __future__ import annotations

from tests.rest_compat import given
from tests.rest_compat.reference import assert_keys, assert_list_headers, example, url

UNITS, UNIT = "/external/v1/context-units", "/external/v1/context-units/:id"
DOCS, DOC = "/external/v1/context-documents", "/external/v1/context-documents/:id"
CONTENT, UPLOAD = "/external/v1/context-documents/:id/content", "/external/v1/context-documents/upload"
UNIT_KEYS = example("GET", UNIT)["exampleResponse"]
DOC_KEYS = example("GET", DOC)["exampleResponse"]


async def test_context_unit_examples_create_list_get_update_delete(api):
    spec = example("POST", UNITS)
    created = await api.rest("POST", url(UNITS), json=spec["exampleRequest"])
    assert created.status_code == 201
    unit = created.json()
    assert_keys(unit, spec["exampleResponse"])
    assert {k: unit[k] for k in spec["exampleRequest"]} == spec["exampleRequest"]
    assert unit["workspaceId"] == api.workspace_id and unit["indexingStatus"] in ("pending", "indexed")

    listed = await api.rest("GET", f"{url(UNITS)}?{example('GET', UNITS)['exampleQuery']}")
    assert listed.status_code == 200
    assert_list_headers(listed.headers, total=1, limit=20, offset=0, has_more=False)
    assert_keys(listed.json()[0], example("GET", UNITS)["exampleResponse"][0])

    got = await api.rest("GET", url(UNIT, id=unit["id"]))
    assert got.status_code == 200 and got.json()["data"] == unit["data"]
    assert_keys(got.json(), UNIT_KEYS)

    patch = example("PATCH", UNIT)["exampleRequest"]
    updated = await api.rest("PATCH", url(UNIT, id=unit["id"]), json=patch)
    assert updated.status_code == 200
    assert updated.json()["data"] == patch["data"] and updated.json()["name"] == unit["name"]

    deleted = await api.rest("DELETE", url(UNIT, id=unit["id"]))
    assert deleted.status_code == 200 and deleted.json() == {"message": "Deleted"}
    assert (await api.rest("GET", url(UNIT, id=unit["id"]))).status_code == 404


async def test_context_unit_product_scope_can_be_set_and_cleared(api, make_api):
    product = await given.product(api)
    unit = await given.post(api, "/context-units", {"name": "n", "data": "# d", "productId": product["id"]})
    assert unit["productId"] == product["id"]
    cleared = await api.rest("PATCH", url(UNIT, id=unit["id"]), json={"productId": None})
    assert cleared.json()["productId"] is None
    foreign = await given.product(await make_api())
    response = await api.rest("POST", url(UNITS), json={"name": "n", "data": "d", "productId": foreign["id"]})
    assert response.status_code == 404 and "productId" in response.json()["message"]
    missing = await api.rest("POST", url(UNITS), json={"name": "n"})
    assert missing.status_code == 400 and missing.json()["message"] == "data is required"


async def test_context_document_examples_import_list_get_preview_update_delete(api):
    product = await given.product(api)
    spec = example("POST", DOCS)
    request = {**spec["exampleRequest"], "productId": product["id"]}
    created = await api.rest("POST", url(DOCS), json=request)
    assert created.status_code == 201
    doc = created.json()
    assert_keys(doc, spec["exampleResponse"])
    assert (doc["fileName"], doc["mimeType"], doc["productId"], doc["description"]) == (
        "activation-research.md",
        "text/markdown",
        product["id"],
        "Research notes for activation planning.",
    )
    assert doc["size"] == len(request["content"].encode())

    listed = await api.rest("GET", f"{url(DOCS)}?{example('GET', DOCS)['exampleQuery']}")
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "1"
    assert_keys(listed.json()[0], example("GET", DOCS)["exampleResponse"][0])
    got = await api.rest("GET", url(DOC, id=doc["id"]))
    assert_keys(got.json(), DOC_KEYS)

    preview = await api.rest("GET", url(CONTENT, id=doc["id"]))
    assert preview.status_code == 200
    body = preview.json()
    assert_keys(body, example("GET", CONTENT)["exampleResponse"])
    assert body["supported"] is True and body["content"] == request["content"]
    assert (body["contentFormat"], body["truncated"], body["maxChars"]) == ("markdown", False, 40000)

    updated = await api.rest("PATCH", url(DOC, id=doc["id"]), json=example("PATCH", DOC)["exampleRequest"])
    assert updated.status_code == 200 and updated.json()["productId"] is None

    deleted = await api.rest("DELETE", url(DOC, id=doc["id"]))
    assert deleted.status_code == 200 and deleted.json() == {"message": "Deleted"}
    assert (await api.rest("GET", url(CONTENT, id=doc["id"]))).status_code == 404


async def test_upload_example_stores_the_file(api):
    product = await given.product(api)
    response = await api.rest(
        "POST",
        url(UPLOAD),
        files={"file": ("activation-research.md", b"# Activation research\n", "text/markdown")},
        data={"productId": product["id"], "description": "Research notes"},
    )
    assert response.status_code == 201
    doc = response.json()
    assert_keys(doc, example("POST", UPLOAD)["exampleResponse"])
    assert (doc["fileName"], doc["size"], doc["productId"], doc["description"]) == (
        "activation-research.md",
        len(b"# Activation research\n"),
        product["id"],
        "Research notes",
    )
    preview = (await api.rest("GET", url(CONTENT, id=doc["id"]))).json()
    assert preview["content"] == "# Activation research\n"


async def test_upload_errors_missing_file_wrong_type_and_too_large(api):
    no_file = await api.rest("POST", url(UPLOAD), files={"other": ("a.txt", b"x", "text/plain")})
    assert no_file.status_code == 400
    json_body = await api.rest("POST", url(UPLOAD), json={"file": "x"})
    assert json_body.status_code == 415
    assert json_body.json()["message"] == "Content-Type must be multipart/form-data"
    too_large = await api.rest(
        "POST",
        url(UPLOAD),
        files={"file": ("big.bin", b"\0" * (50 * 1024 * 1024 + 1), "application/octet-stream")},
    )
    assert too_large.status_code == 413
    assert too_large.json()["error"] == "Payload Too Large"


async def test_other_workspace_documents_are_404(api, make_api):
    other = await make_api()
    theirs = await given.post(other, "/context-documents", {"fileName": "a.md", "content": "# a"})
    for method, path, kwargs in (
        ("GET", url(DOC, id=theirs["id"]), {}),
        ("GET", url(CONTENT, id=theirs["id"]), {}),
        ("PATCH", url(DOC, id=theirs["id"]), {"json": {"description": "x"}}),
        ("DELETE", url(DOC, id=theirs["id"]), {}),
    ):
        assert (await api.rest(method, path, **kwargs)).status_code == 404, (method, path)


SEARCH = "/external/v1/context/search"


async def test_context_search_finds_indexed_units_and_documents_ranked_and_scoped(api, services):
    web = await given.product(api, name="Web")
    unit = await given.post(api, "/context-units", {"name": "Onboarding checklist",
                                                     "data": "Onboarding: every onboarding starts with a call."})
    document = await given.post(api, "/context-documents", {"fileName": "web-onboarding.md", "productId": web["id"],
                                                            "content": "# Web\n\nOnboarding emails go out daily."})
    await given.post(api, "/context-units", {"name": "Unrelated", "data": "Quarterly planning notes."})
    await services.queue.drain()

    response = await api.rest("GET", f"{SEARCH}?q=onboarding")
    assert response.status_code == 200
    assert_list_headers(response.headers, total=2, limit=2, offset=0, has_more=False)
    hits = response.json()
    assert [(h["kind"], h["id"]) for h in hits] == [("unit", unit["id"]), ("document", document["id"])]
    assert "**Onboarding**" in hits[0]["snippet"] and hits[0]["score"] > hits[1]["score"]
    assert hits[1] == {**hits[1], "name": "web-onboarding.md", "productId": web["id"]}

    top = await api.rest("GET", f"{SEARCH}?q=onboarding&limit=1")
    assert [h["id"] for h in top.json()] == [unit["id"]]
    other = await given.product(api, name="Other")
    scoped = await api.rest("GET", f"/api{SEARCH}?q=emails&productId={other['id']}")
    assert scoped.status_code == 200 and scoped.json() == []  # another product's document is out of scope


async def test_context_search_reads_only_the_kinds_the_key_may_read(api, make_api, services):
    await given.post(api, "/context-units", {"name": "Pricing", "data": "Annual plans get two months free."})
    await given.post(api, "/context-documents", {"fileName": "pricing.md", "content": "Annual plans renew."})
    await services.queue.drain()
    documents_only = await make_api(workspace=api.workspace, scopes=["context-documents:read"])
    assert [h["kind"] for h in (await documents_only.rest("GET", f"{SEARCH}?q=annual")).json()] == ["document"]

    neither = await make_api(workspace=api.workspace, scopes=["signals:read"])
    refused = await neither.rest("GET", f"{SEARCH}?q=annual")
    assert refused.status_code == 403
    assert refused.json()["message"] == "Missing scope: context-units:read or context-documents:read"
    stranger = await make_api()
    assert (await stranger.rest("GET", f"{SEARCH}?q=annual")).json() == []


async def test_context_search_names_the_bad_parameter(api):
    missing = await api.rest("GET", SEARCH)
    assert missing.status_code == 400 and missing.json()["message"] == "q is required"
    for query, field in (("q=a&limit=0", "limit"), ("q=a&limit=x", "limit"), ("q=a&productId=nope", "productId"),
                         ("q=%20", "q")):
        response = await api.rest("GET", f"{SEARCH}?{query}")
        assert response.status_code in (400, 404), (query, response.text)
        assert field in response.json()["message"], (query, response.text)


async def test_context_search_treats_stop_words_alike_on_both_databases(api, services):
    """`q=not` matched on SQLite and not on PostgreSQL: FTS5 knows no stop words, PostgreSQL's english
    configuration drops 127; the query drops the same ones on both."""
    unit = await given.post(api, "/context-units", {"name": "Drills", "data": "This is not a drill, only a test."})
    await services.queue.drain()

    for q in ("not", "only", "this", "not a"):
        response = await api.rest("GET", f"{SEARCH}?q={q}")
        assert (response.status_code, response.json()) == (200, []), q
    found = await api.rest("GET", f"{SEARCH}?q=not%20a%20drill")
    assert [h["id"] for h in found.json()] == [unit["id"]]
