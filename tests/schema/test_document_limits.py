"""Depth and alias limits, measured once per fragment: what Strawberry's limiters counted, in linear time."""

from __future__ import annotations

from graphql import get_introspection_query, parse

from signalgraph.schema.document_limits import LIMITS, fragment_measures, measure


def depth_of(query: str) -> int:
    document = parse(query)
    operation = next(d for d in document.definitions if d.kind == "operation_definition")
    return measure(operation.selection_set, fragment_measures(document)).depth


def aliases_of(query: str) -> int:
    document = parse(query)
    operation = next(d for d in document.definitions if d.kind == "operation_definition")
    return measure(operation.selection_set, fragment_measures(document)).aliases


def chain(levels: int, leaf: str, spreads: int = 2) -> str:
    body = " ".join(
        f"fragment F{i} on Viewer {{ {' '.join([f'...F{i + 1}'] * spreads)} }}" for i in range(levels)
    )
    return f"query {{ viewer {{ ...F0 }} }} {body} fragment F{levels} on Viewer {{ {leaf} }}"


def test_depth_counts_fields_with_selections_through_fragments_and_inline_fragments():
    assert depth_of("{ viewer { scopes } }") == 1
    assert depth_of("{ viewer { workspace { id } } }") == 2
    assert depth_of("{ viewer { ...W } } fragment W on Viewer { workspace { ... on Workspace { id } } }") == 2
    assert depth_of(chain(30, "workspace { id }")) == 2
    assert depth_of("{ __schema { types { fields { type { ofType { name } } } } } }") == 0


def test_aliases_count_once_per_place_a_fragment_ends_up():
    assert aliases_of("{ a: viewer { b: scopes } }") == 2
    assert aliases_of(chain(3, "a: scopes")) == 8
    assert aliases_of(chain(200, "a: scopes")) == 2**200


def test_a_long_fragment_chain_is_measured_without_recursion():
    # Deeper than Python's recursion limit (1,000): a recursive walk raises RecursionError here.
    assert aliases_of(chain(3000, "a: scopes", spreads=1)) == 1


async def test_depth_over_the_limit_is_refused(api):
    def deep(pairs: int, leaf: str) -> str:
        """Connections nested `pairs` times below the root list, a page of one each (the cost stays small)."""
        levels = ["insights(first: 1) { nodes {"] + ["signals(first: 1) { nodes {", "insights(first: 1) { nodes {"] * pairs
        return "{ " + " ".join(levels[:-1]) + " " + levels[-1].split(" {")[0] + " { " + leaf + " }" + " } }" * (len(levels) - 1) + " }"

    at_the_limit = deep(2, "edges { node { product { id } } }")
    assert depth_of(at_the_limit) == LIMITS["max_depth"]
    assert (await api.ok(at_the_limit))["insights"]["nodes"] == []
    too_deep = deep(2, "edges { node { signals(first: 1) { pageInfo { hasNextPage } } } }")
    assert depth_of(too_deep) == 13
    error = await api.error(too_deep)
    assert error["message"] == f"'anonymous' exceeds maximum operation depth of {LIMITS['max_depth']}"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_aliases_over_the_limit_are_refused_also_through_fragments(api):
    fifty = " ".join(f"a{i}: scopes" for i in range(LIMITS["max_aliases"]))
    assert (await api.ok(f"{{ viewer {{ {fifty} }} }}"))["viewer"]["a0"] is not None
    twice = f"{{ viewer {{ ...A ...A }} }} fragment A on Viewer {{ {' '.join(f'a{i}: scopes' for i in range(26))} }}"
    error = await api.error(twice)
    assert error["message"] == f"52 aliases found. Allowed: {LIMITS['max_aliases']}"


async def test_the_introspection_query_graphiql_sends_passes(api):
    assert (await api.ok(get_introspection_query(descriptions=True)))["__schema"]["queryType"]["name"] == "Query"


async def test_documents_are_parsed_and_validated_once_and_limits_still_hold_for_repeats(api):
    """The parse and validation caches serve a repeated document; a refused one is refused every time."""
    from strawberry.extensions.parser_cache import _get_parse_cache
    from strawberry.extensions.validation_cache import _get_validate_cache

    from signalgraph.schema import DOCUMENT_CACHE_SIZE

    parsed, validated = _get_parse_cache(DOCUMENT_CACHE_SIZE), _get_validate_cache(DOCUMENT_CACHE_SIZE)
    query = "query RepeatedForTheCache { viewer { scopes } }"
    await api.ok(query)
    hits = parsed.cache_info().hits, validated.cache_info().hits
    assert (await api.ok(query))["viewer"]["scopes"]
    assert (parsed.cache_info().hits, validated.cache_info().hits) == (hits[0] + 1, hits[1] + 1)

    invalid = "query RepeatedInvalid { viewer { noSuchField } }"
    too_many_tokens = "{ viewer { " + "scopes " * LIMITS["max_tokens"] + "} }"
    for _ in range(2):
        assert "noSuchField" in (await api.error(invalid))["message"]
        assert "token" in (await api.error(too_many_tokens))["message"].lower()
