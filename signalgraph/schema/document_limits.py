"""The document limits (depth, aliases), checked in time linear in the document.

Strawberry's QueryDepthLimiter and MaxAliasesLimiter re-walk a fragment at every spread, remembering
visited fragments only along one path: fragments that each spread the next one twice made validation
exponential (22 levels took 30 s, on the event loop). Here each fragment is measured once, in an order
where the fragments it spreads come first, and every spread reuses the measure. The walks are iterative,
so a long chain of fragments cannot exhaust Python's stack either.

The measures mean what Strawberry's did: the depth of a field with a selection is 1 + the depth of its
selection (introspection fields count 0), and every alias counts once per place it ends up in the
operation (a fragment spread twice counts its aliases twice).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation import ASTValidationRule

from .errors import BAD_USER_INPUT

# The GraphQL limits, as data: deep or wide documents are refused before they run.
LIMITS = {"max_depth": 12, "max_aliases": 50, "max_tokens": 5000}


class Measure:
    """(depth, aliases) of one selection set, given the measures of the fragments it spreads."""

    __slots__ = ("aliases", "depth")

    def __init__(self, depth: int = 0, aliases: int = 0):
        self.depth = depth
        self.aliases = aliases


def _selections(selection_set: SelectionSetNode | None) -> Iterator[tuple[Any, int, bool]]:
    """Every selection below `selection_set`, with its field level and whether depth counts there."""
    stack: list[tuple[SelectionSetNode | None, int, bool]] = [(selection_set, 0, True)]
    while stack:
        current, level, counted = stack.pop()
        for selection in current.selections if current is not None else ():
            yield selection, level, counted
            if isinstance(selection, FieldNode) and selection.selection_set is not None:
                inside = counted and not selection.name.value.startswith("__")
                stack.append((selection.selection_set, level + 1 if inside else level, inside))
            elif isinstance(selection, InlineFragmentNode):
                stack.append((selection.selection_set, level, counted))


def measure(selection_set: SelectionSetNode | None, fragments: dict[str, Measure]) -> Measure:
    result = Measure()
    for selection, level, counted in _selections(selection_set):
        if isinstance(selection, FieldNode):
            result.aliases += selection.alias is not None
            if counted and selection.selection_set is not None and not selection.name.value.startswith("__"):
                result.depth = max(result.depth, level + 1)
        elif isinstance(selection, FragmentSpreadNode):
            spread = fragments.get(selection.name.value)
            if spread is not None:  # unknown or cyclic: the standard rules report it
                result.aliases += spread.aliases
                if counted:
                    result.depth = max(result.depth, level + spread.depth)
    return result


def _spreads(definition: FragmentDefinitionNode) -> list[str]:
    return [s.name.value for s, _, _ in _selections(definition.selection_set) if isinstance(s, FragmentSpreadNode)]


def fragment_measures(document: DocumentNode) -> dict[str, Measure]:
    """Each fragment measured once, those it spreads first (a depth-first post-order, without recursion)."""
    definitions = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    spreads = {name: _spreads(definition) for name, definition in definitions.items()}
    measured: dict[str, Measure] = {}
    seen: set[str] = set()
    for start in definitions:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(spreads[start]))]
        while stack:
            name, pending = stack[-1]
            for child in pending:
                if child in definitions and child not in seen:
                    seen.add(child)
                    stack.append((child, iter(spreads[child])))
                    break
            else:
                stack.pop()
                measured[name] = measure(definitions[name].selection_set, measured)
    return measured


class DocumentLimits(ASTValidationRule):
    """Refuses an operation deeper than LIMITS['max_depth'] or with more than LIMITS['max_aliases'] aliases."""

    def enter_document(self, node: DocumentNode, *_: Any) -> Any:
        fragments = fragment_measures(node)
        for definition in node.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            name = definition.name.value if definition.name else "anonymous"
            found = measure(definition.selection_set, fragments)
            for excess, limit, message in (
                (found.depth, LIMITS["max_depth"], f"'{name}' exceeds maximum operation depth of {{}}"),
                (found.aliases, LIMITS["max_aliases"], f"{_count(found.aliases)} aliases found. Allowed: {{}}"),
            ):
                if excess > limit:
                    self.report_error(
                        GraphQLError(message.format(limit), definition, extensions={"code": BAD_USER_INPUT, "limit": limit})
                    )
        return self.SKIP


def _count(number: int) -> str:
    return f"{number:,}" if number < 10**9 else "over 1,000,000,000"
