"""A document's content preview reads only the bytes it can show, whatever the file's size, and the
preview's aliases are capped by the query cost: 20 aliases on a 50 MB document took the server from
741 MB to 1,383 MB."""

from __future__ import annotations

import tracemalloc

import pytest

from signalgraph.processing.document_text import PREVIEW_MAX_CHARS
from signalgraph.schema.query_cost import COST_LIMIT, FIELD_COSTS
from tests.factories import upload_context_document

SIZE = 20 * 1024 * 1024
MOST = COST_LIMIT // FIELD_COSTS["contextDocumentContent"]


@pytest.fixture
def make_api(make_http_api):
    return make_http_api


def aliased(count: int) -> str:
    fields = " ".join(f"c{i}: contextDocumentContent(id: $id) {{ content truncated }}" for i in range(count))
    return f"query($id: ID!) {{ {fields} }}"


async def test_the_preview_of_a_large_document_reads_only_its_head(api):
    body = await upload_context_document(api, "big.txt", b"x" * SIZE, "text/plain")
    document_id = body["data"]["uploadContextDocument"]["contextDocument"]["id"]

    tracemalloc.start()
    try:
        data = await api.ok(aliased(MOST), {"id": document_id})
        rest = await api.rest("GET", f"/external/v1/context-documents/{document_id}/content")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert all(v == {"content": "x" * PREVIEW_MAX_CHARS, "truncated": True} for v in data.values())
    assert rest.status_code == 200 and rest.json()["truncated"] is True
    assert peak < SIZE  # reading the file for each alias: MOST × 20 MB


async def test_aliases_of_the_preview_are_capped_by_the_query_cost(api):
    error = await api.error(aliased(MOST + 1), {"id": "00000000-0000-0000-0000-000000000000"})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["cost"] > COST_LIMIT
