"""The cost of a query, from the page sizes it asks for, refused before execution when over the limit.

A query's cost is the number of nodes it may return: every connection field costs its page size (`first`
or `last`, else its default) times the page sizes of the connections around it, the way GitHub counts
its node limit. `signals(first: 100) { nodes { insights(first: 10) { nodes { id } } } }` costs 100 +
100 × 10 = 1,100. Fields that are not connections cost nothing and multiply nothing: their size is
bounded on write, except the few in FIELD_COSTS, which read much more than a row (a document's content
preview reads up to 160 KB): each costs its entry, so their aliases are capped by the limit too.

The walk is linear in the document: each fragment's cost is computed once, for one enclosing node, and
scaled at every spread (cost is linear in the multiplier). The cost is reported in the response's
`extensions.cost`, and kept on the context (`query_cost`) for the rate limiter to charge.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)
from graphql.execution import ExecutionResult as GraphQLExecutionResult
from graphql.language import DocumentNode
from strawberry.extensions import SchemaExtension

from .errors import BAD_USER_INPUT
from .pagination import DEFAULT_PAGE_SIZE

COST_LIMIT = 100_000
# Fields that read far more than a row, by name: at most COST_LIMIT / cost of them in one query.
FIELD_COSTS = {"contextDocumentContent": 10_000}
PAGE_ARGUMENTS = ("first", "last")


def is_connection(type_: GraphQLNamedType) -> bool:
    return isinstance(type_, GraphQLObjectType) and type_.name.endswith("Connection") and "nodes" in type_.fields


class _Costing:
    """One document's cost walk, with each fragment's unit cost remembered."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any] | None):
        self.schema = schema
        self.variables = dict(variables or {})
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.unit_costs: dict[str, int] = {}
        self.visiting: set[str] = set()

    def operation(self, operation: OperationDefinitionNode) -> int:
        for definition in operation.variable_definitions or ():  # a variable not sent takes its default
            name, default = definition.variable.name.value, definition.default_value
            if name not in self.variables and isinstance(default, IntValueNode):
                self.variables[name] = int(default.value)
        root = self.schema.get_root_type(operation.operation)
        return self.selection(root, operation.selection_set) if root else 0

    def selection(self, parent: GraphQLNamedType | None, selection_set: SelectionSetNode | None) -> int:
        """The cost of a selection under one node of `parent`."""
        if selection_set is None or parent is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                field = parent.fields.get(selection.name.value) if isinstance(parent, GraphQLObjectType) else None
                total += self.field(field, selection) if field is not None else 0  # introspection, or unknown
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                total += self.selection(self.schema.get_type(condition.name.value) if condition else parent,
                                        selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value)
        return total

    def fragment(self, name: str) -> int:
        """A named fragment's cost under one node, computed once however often it is spread."""
        if name not in self.unit_costs:
            fragment = self.fragments.get(name)
            if fragment is None or name in self.visiting:
                return 0  # unknown or cyclic: validation reports it
            self.visiting.add(name)
            on = self.schema.get_type(fragment.type_condition.name.value)
            self.unit_costs[name] = self.selection(on, fragment.selection_set)
            self.visiting.discard(name)
        return self.unit_costs[name]

    def field(self, field: GraphQLField, node: FieldNode) -> int:
        """A connection costs its page of nodes, and each node the cost of its selection; the fields of a
        connection (nodes, edges { node }) and every other field are seen once per enclosing node."""
        named = get_named_type(field.type)
        inner = self.selection(named, node.selection_set) + FIELD_COSTS.get(node.name.value, 0)
        if not is_connection(named):
            return inner
        size = self.page_size(field, node)
        return size + size * inner

    def page_size(self, field: GraphQLField, node: FieldNode) -> int:
        """`first` or `last` as sent (literal or variable), else the argument's default. A value that is
        not an integer is costed at the default: execution refuses it anyway."""
        sizes = []
        for argument in node.arguments or ():
            if argument.name.value in PAGE_ARGUMENTS:
                value = argument.value
                if isinstance(value, VariableNode):
                    sent = self.variables.get(value.name.value)
                elif isinstance(value, IntValueNode):
                    sent = int(value.value)
                else:
                    sent = None
                if isinstance(sent, int) and not isinstance(sent, bool):
                    sizes.append(sent)
        if sizes:
            return max(0, max(sizes))
        defaults = [field.args[name].default_value for name in PAGE_ARGUMENTS if name in field.args]
        return max([d for d in defaults if isinstance(d, int)], default=DEFAULT_PAGE_SIZE)


def query_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: dict | None) -> int:
    """The cost of the operation a request runs (the named one, or the document's only one)."""
    costing = _Costing(schema, document, variables)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [op for op in operations if operation_name is None or (op.name and op.name.value == operation_name)]
    return costing.operation(chosen[0]) if len(chosen) == 1 else 0


class QueryCost(SchemaExtension):
    """Refuses a query whose cost exceeds COST_LIMIT before it runs, and reports the cost of every query."""

    cost: int | None = None

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.graphql_document is not None:
            self.cost = query_cost(ctx.schema._schema, ctx.graphql_document, ctx.operation_name, ctx.variables)
            if hasattr(ctx.context, "query_cost"):
                ctx.context.query_cost = self.cost
            if self.cost > COST_LIMIT:
                ctx.result = GraphQLExecutionResult(
                    data=None,
                    errors=[
                        GraphQLError(
                            f"This query may return up to {self.cost:,} nodes; the limit is {COST_LIMIT:,}. "
                            "Ask for smaller pages (first/last) or fewer nested connections.",
                            extensions={"code": BAD_USER_INPUT, "cost": self.cost, "limit": COST_LIMIT},
                        )
                    ],
                )
        yield

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else {"cost": {"requested": self.cost, "limit": COST_LIMIT}}
