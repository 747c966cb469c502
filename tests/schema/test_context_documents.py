"""Context documents through /graphql: import, multipart upload, preview, update, delete; the blob store,
size limit, re-indexing, validation, scopes, isolation."""

from __future__ import annotations

import dataclasses

import pytest

from signalgraph.processing import document_text
from signalgraph.resolvers import context_documents
from signalgraph.storage import blobs
from signalgraph.storage.models import ContextDocument
from tests.factories import (
    create_context_document,
    create_product,
    mark_indexed,
    upload_context_document,
    upload_file,
)

DOCUMENT = """
query($id: ID!) { contextDocument(id: $id) {
  id workspaceId fileName mimeType size description productId product { id name }
  vectorFileId indexingStatus createdAt updatedAt
} }
"""
DOCUMENTS = """
query($first: Int, $after: String, $offset: Int, $filter: ContextDocumentFilter) {
  contextDocuments(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount nodes { id fileName } pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""
CONTENT = """
query($id: ID!) { contextDocumentContent(id: $id) {
  supported content contentFormat truncated maxChars sourceUrl sourceLabel
} }
"""
CREATE = "mutation($input: CreateContextDocumentInput!) { createContextDocument(input: $input) { contextDocument { id } } }"
UPDATE = """
mutation($id: ID!, $input: UpdateContextDocumentInput!) {
  updateContextDocument(id: $id, input: $input) { contextDocument { id fileName mimeType description productId indexingStatus vectorFileId } }
}
"""
DELETE = "mutation($id: ID!) { deleteContextDocument(id: $id) { deletedId message } }"
MISSING_ID = "00000000-0000-0000-0000-000000000000"


async def stored_blob(services, api, document):
    """The bytes under the documented key `context-documents/<workspace>/<document>/<file name>`."""
    key = f"context-documents/{api.workspace_id}/{document['id']}/{document['fileName']}"
    async with services.db.read() as session:
        return await blobs.get(session, api.workspace_id, key)


async def preview(api, document_id):
    return (await api.ok(CONTENT, {"id": document_id}))["contextDocumentContent"]


async def update(api, document_id, **changes):
    return (await api.ok(UPDATE, {"id": document_id, "input": changes}))["updateContextDocument"]["contextDocument"]


async def upload(api, file_name, content, content_type="application/octet-stream", **fields):
    """The uploaded document, asserting the upload succeeded."""
    body = await upload_context_document(api, file_name, content, content_type, **fields)
    assert not body.get("errors"), body
    return body["data"]["uploadContextDocument"]["contextDocument"]


async def upload_error(api, file_name, content, content_type="application/octet-stream", **fields):
    body = await upload_context_document(api, file_name, content, content_type, **fields)
    return body["errors"][0]["extensions"]


# -- import ------------------------------------------------------------------------------------
async def test_import_stores_utf8_bytes_under_the_document_key(api, services):
    created = await create_context_document(
        api, fileName="café-notes.md", content="# Café ☕", description="Research notes"
    )
    document = (await api.ok(DOCUMENT, {"id": created["id"]}))["contextDocument"]
    assert document["workspaceId"] == api.workspace_id
    assert document["fileName"] == "café-notes.md"
    assert document["mimeType"] == "text/markdown"
    assert document["size"] == len("# Café ☕".encode()) == 11
    assert document["description"] == "Research notes"
    assert document["productId"] is None and document["product"] is None
    assert document["indexingStatus"] == "pending" and document["vectorFileId"] is None
    assert document["createdAt"].endswith("Z")
    blob = await stored_blob(services, api, document)
    assert blob.content == "# Café ☕".encode() and blob.content_type == "text/markdown"


async def test_import_keeps_an_explicit_mime_type_and_product(api):
    product_id = (await create_product(api, name="Checkout"))["id"]
    created = await create_context_document(
        api, fileName="metrics.csv", content="a,b\n1,2\n", mimeType="text/csv", productId=product_id
    )
    document = (await api.ok(DOCUMENT, {"id": created["id"]}))["contextDocument"]
    assert document["mimeType"] == "text/csv"
    assert document["product"] == {"id": product_id, "name": "Checkout"}


async def test_the_storage_key_is_never_exposed(api):
    fields = (await api.ok('{ __type(name: "ContextDocument") { fields { name } } }'))["__type"]["fields"]
    assert not [f["name"] for f in fields if "key" in f["name"].lower() or "blob" in f["name"].lower()]


@pytest.mark.parametrize("file_name", ["   ", "notes/a.md", "..\\a.md", "..", "tab\there.md"])
async def test_bad_file_names_are_refused(api, file_name):
    error = await api.error(CREATE, {"input": {"fileName": file_name, "content": "x"}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "fileName"}


async def test_bad_mime_type_is_refused(api):
    error = await api.error(CREATE, {"input": {"fileName": "a.md", "content": "x", "mimeType": "markdown"}})
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "mimeType"}


async def test_unknown_product_is_not_found_and_nothing_is_stored(api):
    error = await api.error(CREATE, {"input": {"fileName": "a.md", "content": "x", "productId": MISSING_ID}})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "productId"}
    assert (await api.ok(DOCUMENTS))["contextDocuments"]["totalCount"] == 0


async def test_imported_content_over_the_limit_is_payload_too_large(api, monkeypatch):
    monkeypatch.setattr(context_documents, "MAX_UPLOAD_BYTES", 8)
    assert await create_context_document(api, content="12345678")
    error = await api.error(CREATE, {"input": {"fileName": "a.md", "content": "1234567é"}})
    assert error["extensions"] == {"code": "PAYLOAD_TOO_LARGE", "field": "content"}


# -- upload ------------------------------------------------------------------------------------
async def test_upload_stores_the_file_with_its_content_type(api, services):
    product_id = (await create_product(api))["id"]
    document = await upload(
        api, "report.pdf", b"%PDF-1.7 \x00\x01", "application/pdf", productId=product_id, description="Q3"
    )
    assert document["fileName"] == "report.pdf" and document["mimeType"] == "application/pdf"
    assert document["size"] == 11 and document["description"] == "Q3" and document["productId"] == product_id
    assert document["indexingStatus"] == "pending"
    assert (await stored_blob(services, api, document)).content == b"%PDF-1.7 \x00\x01"


@pytest.mark.parametrize(
    ("file_name", "sent", "stored"),
    [
        ("notes.md", "application/octet-stream", "text/markdown"),
        ("data.json", "text/plain", "application/json"),
        ("archive.zip", "application/octet-stream", "application/zip"),
        ("blob.unknownext", "application/octet-stream", "application/octet-stream"),
        ("page.html", "text/html; charset=utf-8", "text/html; charset=utf-8"),
    ],
)
async def test_upload_mime_type_comes_from_the_name_if_the_type_is_generic(api, file_name, sent, stored):
    assert (await upload(api, file_name, b"{}", sent))["mimeType"] == stored


async def test_upload_keeps_only_the_last_part_of_a_path_like_file_name(api):
    assert (await upload(api, "C:\\fakepath\\notes.md", b"# x", "text/markdown"))["fileName"] == "notes.md"


async def test_upload_over_the_limit_is_refused(api, monkeypatch):
    monkeypatch.setattr(context_documents, "MAX_UPLOAD_BYTES", 16)
    monkeypatch.setattr(context_documents, "READ_CHUNK_BYTES", 4)
    assert (await upload(api, "ok.txt", b"x" * 16, "text/plain"))["size"] == 16
    assert await upload_error(api, "big.txt", b"x" * 17, "text/plain") == {
        "code": "PAYLOAD_TOO_LARGE",
        "field": "file",
    }
    assert (await api.ok(DOCUMENTS))["contextDocuments"]["totalCount"] == 1


async def test_a_real_file_over_50_mb_is_refused(http_api):
    huge = b"\0" * (50 * 1024 * 1024 + 1)
    assert await upload_error(http_api, "huge.bin", huge) == {"code": "PAYLOAD_TOO_LARGE", "field": "file"}
    assert (await http_api.ok(DOCUMENTS))["contextDocuments"]["totalCount"] == 0


async def test_a_file_variable_that_is_not_an_upload_is_refused(api):
    error = await api.error(
        "mutation($f: Upload!) { uploadContextDocument(input: {file: $f}) { contextDocument { id } } }", {"f": "not a file"}
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "file"}


# -- content preview ---------------------------------------------------------------------------
async def test_preview_of_markdown(api):
    created = await create_context_document(api, content="# Activation research")
    assert await preview(api, created["id"]) == {
        "supported": True,
        "content": "# Activation research",
        "contentFormat": "markdown",
        "truncated": False,
        "maxChars": 40000,
        "sourceUrl": None,
        "sourceLabel": None,
    }


async def test_preview_is_truncated_to_40000_characters(api):
    long = await create_context_document(
        api, fileName="long.txt", mimeType="text/plain", content="é" * 40_001
    )
    shown = await preview(api, long["id"])
    assert shown["contentFormat"] == "text"
    assert shown["content"] == "é" * 40_000 and shown["truncated"] is True
    exact = await create_context_document(
        api, fileName="exact.txt", mimeType="text/plain", content="é" * 40_000
    )
    shown = await preview(api, exact["id"])
    assert shown["content"] == "é" * 40_000 and shown["truncated"] is False


async def test_preview_replaces_undecodable_bytes(api):
    shown = await preview(api, (await upload(api, "mixed.csv", b"name\n\xff\xfeok", "text/csv"))["id"])
    assert shown["contentFormat"] == "csv" and shown["content"] == "name\n\ufffd\ufffdok"


async def test_binary_documents_are_stored_but_not_previewable(api):
    shown = await preview(api, (await upload(api, "photo.png", b"\x89PNG\r\n", "image/png"))["id"])
    assert shown["supported"] is False and shown["content"] is None and shown["contentFormat"] is None
    assert shown["truncated"] is False and shown["maxChars"] == 40000


async def test_preview_of_a_missing_document_is_null(api):
    assert await preview(api, MISSING_ID) is None


@pytest.mark.parametrize(
    ("mime_type", "file_name", "expected"),
    [
        ("text/markdown", "a.bin", "markdown"),
        ("text/plain", "a.md", "markdown"),
        ("text/plain", "a.log", "text"),
        ("text/x-python", "a.py", "text"),
        ("text/html; charset=utf-8", "a", "html"),
        ("application/json", "a", "json"),
        ("application/vnd.api+json", "a", "json"),
        ("application/octet-stream", "a.JSON", "json"),
        ("application/octet-stream", "a.htm", "html"),
        ("application/octet-stream", "a.csv", "csv"),
        (None, "a.markdown", "markdown"),
        ("application/octet-stream", "a.pdf", None),
        ("application/pdf", "a.md", None),
        ("image/png", "a.png", None),
        ("application/zip", "a.zip", None),
    ],
)
def test_text_format_policy(mime_type, file_name, expected):
    assert document_text.text_format(mime_type, file_name) == expected


def test_document_text_drops_a_bom_and_never_fails():
    assert document_text.document_text("\ufeff# Title".encode()) == "# Title"
    assert document_text.document_text(b"ok\xc3") == "ok\ufffd"


async def test_a_text_file_with_null_characters_is_kept_as_sent_and_indexed_without_them(api, services):
    """PostgreSQL cannot store U+0000: the indexing job failed on every try, leaving the document pending."""
    document = await upload(api, "notes.txt", b"hello\x00world", "text/plain")
    await services.queue.drain()
    assert (await api.ok(DOCUMENT, {"id": document["id"]}))["contextDocument"]["indexingStatus"] == "indexed"
    assert (await preview(api, document["id"]))["content"] == "hello\ufffdworld"
    assert (await stored_blob(services, api, document)).content == b"hello\x00world"


# -- update and delete -------------------------------------------------------------------------
async def test_metadata_update_keeps_the_index_and_the_bytes(api, services):
    created = await create_context_document(api, fileName="a.md", description="Old", content="# Body")
    await mark_indexed(services, ContextDocument, created["id"])
    document = await update(api, created["id"], fileName="b.md", description=None)
    assert document["fileName"] == "b.md" and document["description"] is None
    assert document["mimeType"] == "text/markdown"
    assert document["indexingStatus"] == "indexed" and document["vectorFileId"] == "vf-1"
    assert (await preview(api, created["id"]))["content"] == "# Body"


async def test_a_rename_that_makes_a_file_text_makes_it_pending(api, services):
    document_id = (await upload(api, "notes.bin", b"# Notes"))["id"]
    assert (await preview(api, document_id))["supported"] is False
    await mark_indexed(services, ContextDocument, document_id)
    document = await update(api, document_id, fileName="notes.md")
    assert document["indexingStatus"] == "pending" and document["vectorFileId"] is None
    shown = await preview(api, document_id)
    assert shown["contentFormat"] == "markdown" and shown["content"] == "# Notes"


async def test_a_scope_change_makes_the_document_pending(api, services):
    product_id = (await create_product(api))["id"]
    created = await create_context_document(api)
    await mark_indexed(services, ContextDocument, created["id"])
    scoped = await update(api, created["id"], productId=product_id)
    assert scoped["productId"] == product_id
    assert scoped["indexingStatus"] == "pending" and scoped["vectorFileId"] is None
    unscoped = await update(api, created["id"], productId=None)
    assert unscoped["productId"] is None and unscoped["indexingStatus"] == "pending"


async def test_update_validates_file_name_and_product(api):
    created = await create_context_document(api)
    for change, field in (({"fileName": None}, "fileName"), ({"fileName": "x/y.md"}, "fileName")):
        error = await api.error(UPDATE, {"id": created["id"], "input": change})
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    error = await api.error(UPDATE, {"id": created["id"], "input": {"productId": MISSING_ID}})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "productId"}
    assert await api.error_code(UPDATE, {"id": MISSING_ID, "input": {"description": "x"}}) == "NOT_FOUND"


async def test_delete_removes_the_row_and_its_bytes(api, services):
    created = await create_context_document(api, fileName="gone.md")
    assert await stored_blob(services, api, created) is not None
    deleted = (await api.ok(DELETE, {"id": created["id"]}))["deleteContextDocument"]
    assert deleted == {"deletedId": created["id"], "message": "Deleted"}
    assert (await api.ok(DOCUMENT, {"id": created["id"]}))["contextDocument"] is None
    assert await stored_blob(services, api, created) is None
    assert await api.error_code(DELETE, {"id": created["id"]}) == "NOT_FOUND"


# -- lists -------------------------------------------------------------------------------------
async def test_list_pages_newest_first_with_cursors_and_offset(api):
    ids = [(await create_context_document(api, fileName=f"d{i}.md"))["id"] for i in range(3)]
    first = (await api.ok(DOCUMENTS, {"first": 2}))["contextDocuments"]
    assert first["totalCount"] == 3 and [n["id"] for n in first["nodes"]] == ids[::-1][:2]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = (await api.ok(DOCUMENTS, {"after": first["pageInfo"]["endCursor"]}))["contextDocuments"]
    assert [n["id"] for n in rest["nodes"]] == [ids[0]] and rest["pageInfo"]["hasPreviousPage"] is True
    middle = (await api.ok(DOCUMENTS, {"offset": 1, "first": 1}))["contextDocuments"]
    assert [n["id"] for n in middle["nodes"]] == [ids[1]]


async def test_list_filters_by_product_scope_search_and_updated_since(api):
    product_id = (await create_product(api))["id"]
    await create_context_document(api, fileName="brand-voice.md", description="Tone guide")
    await create_context_document(api, fileName="checkout.md", productId=product_id)

    async def names(filter):
        data = await api.ok(DOCUMENTS, {"filter": filter})
        return sorted(n["fileName"] for n in data["contextDocuments"]["nodes"])

    assert await names({"productId": product_id}) == ["checkout.md"]
    assert await names({"global": True}) == ["brand-voice.md"]
    assert await names({"global": False}) == ["checkout.md"]
    assert await names({"search": "TONE"}) == ["brand-voice.md"]
    assert await names({"search": "checkout"}) == ["checkout.md"]
    assert await names({"updatedSince": "2000-01-01T00:00:00Z"}) == ["brand-voice.md", "checkout.md"]
    assert await names({"updatedSince": "2999-01-01T00:00:00Z"}) == []


# -- scopes and isolation ----------------------------------------------------------------------
async def test_scopes_guard_read_write_delete(make_api):
    reader = await make_api(scopes=["context-documents:read"])
    error = await reader.error(CREATE, {"input": {"fileName": "a.md", "content": "x"}})
    assert error["extensions"]["code"] == "FORBIDDEN" and "context-documents:write" in error["message"]
    assert (await upload_error(reader, "a.md", b"x"))["code"] == "FORBIDDEN"
    writer = await make_api(scopes=["context-documents:write"], workspace=reader.workspace)
    created = await create_context_document(writer)
    assert await writer.error_code(CONTENT, {"id": created["id"]}) == "FORBIDDEN"
    assert await writer.error_code(DELETE, {"id": created["id"]}) == "FORBIDDEN"
    assert (await preview(reader, created["id"]))["content"] == "# Notes"
    deleter = await make_api(scopes=["context-documents:delete"], workspace=reader.workspace)
    assert (await deleter.ok(DELETE, {"id": created["id"]}))["deleteContextDocument"]["deletedId"] == created["id"]


async def test_product_relation_needs_the_products_scope(make_api):
    api = await make_api(scopes=["context-documents:read", "context-documents:write"])
    product = await create_product(await make_api(workspace=api.workspace))
    created = await create_context_document(api, productId=product["id"])
    query = "query($id: ID!) { contextDocument(id: $id) { product { id } } }"
    error = await api.error(query, {"id": created["id"]})
    assert error["extensions"]["code"] == "FORBIDDEN" and "products:read" in error["message"]


async def test_other_workspace_cannot_read_preview_update_delete_or_scope_to_its_products(make_api):
    alice = await make_api()
    bob = await make_api()
    secret = await create_context_document(alice, content="# Alice only")
    assert (await bob.ok(DOCUMENT, {"id": secret["id"]}))["contextDocument"] is None
    assert await preview(bob, secret["id"]) is None
    assert (await bob.ok(DOCUMENTS))["contextDocuments"]["totalCount"] == 0
    assert await bob.error_code(UPDATE, {"id": secret["id"], "input": {"description": "x"}}) == "NOT_FOUND"
    assert await bob.error_code(DELETE, {"id": secret["id"]}) == "NOT_FOUND"
    alice_product = (await create_product(alice))["id"]
    error = await upload_error(bob, "a.md", b"x", productId=alice_product)
    assert error == {"code": "NOT_FOUND", "field": "productId"}
    assert (await preview(alice, secret["id"]))["content"] == "# Alice only"


async def test_multipart_requests_need_the_api_key_like_any_other(http_api):
    anonymous = dataclasses.replace(http_api, key="sg_invalid")
    body = await upload_file(
        anonymous,
        "mutation($f: Upload!) { uploadContextDocument(input: {file: $f}) { contextDocument { id } } }",
        {"f": None},
        "variables.f",
        ("a.md", b"x", "text/markdown"),
    )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await http_api.ok(DOCUMENTS))["contextDocuments"]["totalCount"] == 0
