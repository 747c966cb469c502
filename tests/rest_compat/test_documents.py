"""The REST documents: valid against the schema, parsed once per process, one root field each."""

from __future__ import annotations

from signalgraph.rest_compat.documents import OPERATIONS_DIR, operations
from signalgraph.rest_compat.routes import ROUTES


def test_documents_are_parsed_and_validated_once():
    assert operations() is operations()


def test_every_operation_is_used_by_exactly_one_route():
    assert sorted(r.document for r in ROUTES) == sorted(operations())


def test_one_document_per_domain():
    assert {p.stem for p in OPERATIONS_DIR.glob("*.graphql")} == {r.document.split(".")[0] for r in ROUTES}


def test_paged_routes_bind_limit_and_offset_and_include_variables():
    for route in ROUTES:
        variables = operations()[route.document].variables
        if route.paged:
            assert {"limit", "offset"} <= set(variables), route.document
        for value in route.include:
            assert "include" + value[:1].upper() + value[1:] in variables, (route.document, value)
        assert set(route.path_params) <= set(variables), route.document
