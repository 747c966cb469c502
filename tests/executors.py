"""The differential check of the two executors (signalgraph/schema/execution.py): every query a test runs
in-process is executed again by graphql-core's own executor and by the planned one, on the same context,
and the two answers must agree in data, error messages, paths and null propagation. A plan that reads a
field graphql-core would resolve differently fails whichever test first asks for that field."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graphql import DocumentNode, ExecutionResult, OperationDefinitionNode, OperationType, execute, parse
from strawberry.schema._graphql_core import execution_context_class_kwargs

from signalgraph.rest_compat import endpoint
from signalgraph.schema import schema
from signalgraph.schema.execution import PlannedExecution
from signalgraph.schema.input_guard import InputGuard
from tests.sql import not_counted


async def _run(document: Any, variables: dict[str, Any], context: Any, executor: type) -> ExecutionResult:
    result = execute(
        schema._schema, document, variable_values=variables, context_value=context,
        **execution_context_class_kwargs(executor),
    )
    return await result if not isinstance(result, ExecutionResult) else result


def _answer(result: ExecutionResult) -> tuple[Any, list[tuple[str, Any]]]:
    return result.data, [(error.message, error.path) for error in result.errors or ()]


async def assert_executors_agree(query: str, variables: dict[str, Any] | None, context: Any) -> None:
    """Nothing for a mutation (it would run twice) or a document that does not parse (the test's own run
    reported that)."""
    try:
        document = parse(query)
    except Exception:  # noqa: BLE001 - a syntax error is the tested request's own answer
        return
    await assert_document_agrees(document, variables, context)


async def assert_document_agrees(
    document: DocumentNode, variables: dict[str, Any] | None, context: Any, operation_name: str | None = None
) -> None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return
    token = not_counted.set(True)
    try:
        reference = _answer(await _run(document, variables or {}, context, InputGuard))
        planned = _answer(await _run(document, variables or {}, context, PlannedExecution))
        if planned != reference:
            # A test's concurrent request (or a job) may have written between the two runs: the difference
            # is the executor's only if graphql-core's own answer has not moved meanwhile.
            again = _answer(await _run(document, variables or {}, context, InputGuard))
            if again != reference:
                return
    finally:
        not_counted.reset(token)
    assert planned == reference, f"the planned executor answered differently:\n{planned}\n!=\n{reference}"
    assert schema.execution_context_class is PlannedExecution  # what both faces run


@contextmanager
def rest_queries_compared() -> Iterator[None]:
    """While it is open, every query the REST layer executes (in this process) is compared too: its
    documents are fixed, and the plans of their selection sets live as long as the process."""
    original = endpoint.execute

    async def compared(schema_: Any, document: DocumentNode, **kwargs: Any) -> ExecutionResult:
        result = original(schema_, document, **kwargs)
        result = await result if not isinstance(result, ExecutionResult) else result
        if result.data is not None:
            await assert_document_agrees(document, kwargs.get("variable_values"), kwargs["context_value"])
        return result

    endpoint.execute = compared
    try:
        yield
    finally:
        endpoint.execute = original
