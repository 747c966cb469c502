"""The one generic REST handler and the Starlette app that serves ROUTES.

A request → its row → variables (inputs.py) → the row's cached GraphQL operation, executed in-process
against the schema with the same Context the GraphQL view builds → the shaped body and headers, or the
mapped error. Scopes, workspace isolation and validation all happen in the schema, below this layer.

The document is executed with graphql-core's `execute` on the schema Strawberry built, because
`Schema.execute` takes a query string and would parse and validate it on every request. What its
extensions do at the GraphQL edge (error codes and masking, document limits) the REST edge does in
errors.py, on documents that are fixed and validated once.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from inspect import isawaitable

import orjson
from graphql import ExecutionResult, execute
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry.schema._graphql_core import execution_context_class_kwargs

from .. import logs
from ..errors import DomainError
from ..resolvers.request_context import Context, build_context
from ..schema import schema
from ..services import Services
from . import idempotency, openapi
from .documents import graphql_schema, operation, operations
from .errors import RestError, error_response, from_graphql
from .inputs import Call, read_call
from .responses import JSONBody
from .routes import PREFIX, ROUTES, RestRoute
from .shaping import omit_withheld

logger = logging.getLogger("signalgraph.rest")
# A create row → the row that reads what it created (`POST /insights` → `GET /insights/:id`).
READ_CREATED = {
    create: read
    for create in ROUTES
    for read in ROUTES
    if create.method == "POST"
    and read.method == "GET"
    and read.path_params
    and read.path == f"{create.path}/:{read.path_params[-1]}"
}


def create_rest_app(services: Services) -> Starlette:
    """The REST API below its prefix; mount it at /external/v1 and /api/external/v1."""
    operations()  # parse and validate every document now: a mismatch with the schema stops the start
    by_path: dict[str, dict[str, RestRoute]] = defaultdict(dict)
    for route in ROUTES:
        operation(route.document)
        by_path[route.route_path][route.method] = route
    routes = [
        Route(path, _handler(services, rows), methods=list(rows))
        for path, rows in sorted(by_path.items(), key=lambda item: _specificity(item[0]))
    ]
    routes.append(Route("/openapi.json", openapi.endpoint, methods=["GET"]))
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})


def _specificity(path: str) -> list[tuple[int, str]]:
    """Literal segments sort before parameters, so `/products/portfolio-summary` wins over `/products/{id}`."""
    return [(1 if segment.startswith("{") else 0, segment) for segment in path.split("/")]


def _handler(services: Services, rows: dict[str, RestRoute]):
    async def endpoint(request: Request) -> Response:
        route = rows[request.method if request.method != "HEAD" else "GET"]
        info = logs.current_request()
        if info is not None:
            info.route = route.documented_path  # one label for both prefixes
        try:
            return await handle(services, route, request)
        finally:
            await request.close()

    return endpoint


async def handle(services: Services, route: RestRoute, request: Request) -> Response:
    try:
        ctx = await build_context(services, request.headers.get("authorization"))
        principal = ctx.require()
        await ctx.charge_rate_limit()  # a REST request costs one
        call = await read_call(request, route)
        key = request.headers.get(idempotency.HEADER)
        if key is None or route.method not in idempotency.METHODS:
            return await run(call, ctx)
        path = route.concrete_path(call.path_params)
        claimed = await idempotency.begin(services.db, principal, key, route.method, path, call.fingerprint)
        if isinstance(claimed, Response) and await _created_and_gone(route, claimed, ctx):
            # The replay would name a resource deleted since: the retry is a new request.
            await idempotency.forget(services.db, principal, key, route.method, path)
            claimed = await idempotency.begin(services.db, principal, key, route.method, path, call.fingerprint)
        if isinstance(claimed, Response):
            return claimed
        try:
            response = await run(call, ctx)
        except BaseException:
            await idempotency.release(services.db, claimed)
            raise
        try:
            await idempotency.finish(services.db, claimed, response)
        except Exception:  # the write happened: answer it; the claim lapses after ABANDONED_AFTER
            logger.exception("could not record the response for %s %s", request.method, request.url.path)
        return response
    except RestError as error:
        return error.response()
    except DomainError as error:
        return RestError.from_domain(error).response()
    except ClientDisconnect:  # the body broke off (a hang-up, bad chunking): the server answered it already
        return error_response(400, "The request body ended before it was complete")
    except Exception:
        logger.exception("unexpected error serving %s %s", request.method, request.url.path)
        return error_response(500, "Internal server error")


async def _created_and_gone(route: RestRoute, replay: Response, ctx: Context) -> bool:
    """Whether a replayed 201 names a resource its GET row (`<path>/:id`) no longer finds."""
    getter = READ_CREATED.get(route)
    if replay.status_code != 201 or getter is None:
        return False
    param = getter.path_params[-1]
    created = orjson.loads(bytes(replay.body))
    if not isinstance(created, dict) or not isinstance(created.get(param), str):
        return False
    document = operation(getter.document)
    params = {param: created[param]}
    found = await run(Call(route=getter, document=document, path_params=params, variables=dict(params)), ctx)
    return found.status_code == 404


async def run(call: Call, ctx: Context) -> Response:
    """Execute the row's operation and shape its result; GraphQL errors become the mapped error response."""
    try:
        return await _run(call, ctx)
    finally:
        await ctx.end()


async def _run(call: Call, ctx: Context) -> Response:
    result = execute(
        graphql_schema(),
        call.document.document,
        variable_values=call.variables,
        context_value=ctx,
        operation_name=call.document.name,
        **execution_context_class_kwargs(schema.execution_context_class),  # the executor /graphql uses
    )
    if isawaitable(result):
        result = await result
    assert isinstance(result, ExecutionResult)
    errors = omit_withheld(result.data, result.errors or [])
    if errors:
        return from_graphql(errors, call.document.argument_variables).response()
    try:
        shaped = call.route.shape(call.document.result(result.data), call)
    except DomainError as error:
        return RestError.from_domain(error).response()
    return JSONBody(shaped.body, status_code=shaped.status or call.route.status, headers=shaped.headers)


async def http_error(request: Request, exc: Exception) -> Response:
    """Unknown paths and methods, in the same error shape as everything else (the app uses it too)."""
    assert isinstance(exc, HTTPException)
    message = exc.detail
    if exc.status_code == 404:
        message = f"Cannot {request.method} {request.url.path}"
    return error_response(exc.status_code, message, headers=exc.headers)


__all__ = ["PREFIX", "create_rest_app", "http_error"]
