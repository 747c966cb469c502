"""`GET /external/v1/openapi.json`: OpenAPI 3.1 generated from ROUTES and the schema, so neither can drift.

Parameters come from each operation's variables, request bodies from the GraphQL input types, and
response bodies from the document's selection (what the endpoint actually returns), all through the
schema's own type objects.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    InlineFragmentNode,
    SelectionSetNode,
    get_nullable_type,
)
from starlette.requests import Request
from starlette.responses import Response

from . import idempotency
from .documents import OperationDocument, operation
from .errors import REASONS
from .inputs import include_variable
from .responses import JSONBody
from .routes import PREFIX, ROUTES, RestRoute

JSONSchema = dict[str, Any]

SCALARS: dict[str, JSONSchema] = {
    "String": {"type": "string"},
    "ID": {"type": "string"},
    "Int": {"type": "integer"},
    "Float": {"type": "number"},
    "Boolean": {"type": "boolean"},
    "DateTime": {"type": "string", "format": "date-time"},
    "JSON": {},
    "Upload": {"type": "string", "format": "binary"},
}
LIST_HEADERS = {
    "X-Total-Count": "How many items match, over all pages.",
    "X-Limit": "The page size used: the requested limit, at most 100 (default 20).",
    "X-Offset": "How many items were skipped.",
    "X-Has-More": "Whether items follow this page: true or false.",
}
ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 415, 422)


async def endpoint(request: Request) -> Response:
    return JSONBody(document())


@cache
def document() -> JSONSchema:
    schemas: dict[str, JSONSchema] = {"Error": _error_schema()}
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(_template(route.documented_path), {})[route.method.lower()] = _operation(
            route, operation(route.document), schemas
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Signalgraph External REST API",
            "version": "v1",
            "description": (
                f"The External REST API v1, served under `{PREFIX}` and `/api{PREFIX}`. "
                "Every POST and PATCH accepts an `Idempotency-Key` header."
            ),
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "responses": {
                str(status): {
                    "description": REASONS[status],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                for status in ERROR_STATUSES
            },
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A workspace API key, `sg_<prefix>_<secret>`, limited to its scopes.",
                }
            },
        },
    }


def _template(path: str) -> str:
    return "/".join("{" + s[1:] + "}" if s.startswith(":") else s for s in path.split("/"))


def _operation(route: RestRoute, op: OperationDocument, schemas: dict[str, JSONSchema]) -> JSONSchema:
    needs = " or ".join(f"`{s.value}`" for s in route.scopes)
    result: JSONSchema = {
        "operationId": op.name[:1].lower() + op.name[1:],
        "summary": route.summary,
        "tags": [route.document.split(".")[0]],
        "description": f"Requires the scope {needs}." if needs else "Needs no scope.",
        # One requirement per scope: OpenAPI reads a list of requirements as "any one of".
        "security": [{"bearerAuth": [s.value]} for s in route.scopes] or [{"bearerAuth": []}],
        "parameters": _parameters(route, op),
        "responses": _responses(route, op),
    }
    if route.body != "none":
        media = "application/json" if route.body == "json" else "multipart/form-data"
        result["requestBody"] = {
            "required": True,
            "content": {media: {"schema": _input(op.variables["input"], schemas)}},
        }
    return result


def _parameters(route: RestRoute, op: OperationDocument) -> list[JSONSchema]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": _input(op.variables[name], {})}
        for name in route.path_params
    ]
    includes = {include_variable(value) for value in route.include}
    for name, type_ in op.variables.items():
        if name in route.path_params or name == "input" or name in includes:
            continue
        schema = _input(type_, {})
        if name == "limit":
            schema = {
                "type": "integer",
                "minimum": 0,
                "default": 20,
                "description": "At most 100; larger values are clamped.",
            }
        elif name == "offset":
            schema = {"type": "integer", "minimum": 0, "default": 0}
        params.append({"name": name, "in": "query", "required": False, "schema": schema})
    if route.include:
        params.append(
            {
                "name": "include",
                "in": "query",
                "required": False,
                "description": "Comma-separated: " + ", ".join(route.include),
                "schema": {"type": "string"},
            }
        )
    if route.method in ("POST", "PATCH"):
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Replays the first response to a retry with the same key for 24 hours.",
                # Visible ASCII, no spaces (HTTP trims them): any client can send it; the server also takes
                # other printable text.
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": idempotency.MAX_KEY_LENGTH,
                    "pattern": "^[\\x21-\\x7e]+$",
                },
            }
        )
    return params


def _responses(route: RestRoute, op: OperationDocument) -> JSONSchema:
    # A null root is never a body: REST answers the error (or a 404) instead.
    selection = _output_named(get_nullable_type(op.root_field.type), op.root.selection_set, _fragments(op))
    success: JSONSchema = {
        "description": "Success",
        "content": {"application/json": {"schema": route.shape.body_schema(selection)}},
    }
    if route.shape.list_headers:
        success["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in LIST_HEADERS.items()
        }
    responses = {str(route.status): success}
    for status, description in route.shape.other_statuses:
        responses[str(status)] = {**success, "description": description}
    errors = [400, 401] + ([403] if route.scopes else [])
    errors += [404] if route.path_params or route.body != "none" else []  # bodies link ids too
    errors += [413, 415] if route.body != "none" else []
    errors += [409, 422] if route.method in ("POST", "PATCH") else []
    for status in sorted(errors):
        responses[str(status)] = {"$ref": f"#/components/responses/{status}"}
    return responses


def _fragments(op: OperationDocument) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in op.document.definitions if isinstance(d, FragmentDefinitionNode)}


def _nullable(schema: JSONSchema) -> JSONSchema:
    return {"anyOf": [schema, {"type": "null"}]} if schema else schema


def _input(type_: GraphQLInputType, schemas: dict[str, JSONSchema]) -> JSONSchema:
    if isinstance(type_, GraphQLNonNull):
        return _input_named(type_.of_type, schemas)
    return _nullable(_input_named(type_, schemas))


def _input_named(type_: Any, schemas: dict[str, JSONSchema]) -> JSONSchema:
    if isinstance(type_, GraphQLList):
        return {"type": "array", "items": _input(type_.of_type, schemas)}
    if isinstance(type_, GraphQLInputObjectType):
        if type_.name not in schemas:
            schemas[type_.name] = {}  # placed first, so that a recursive type terminates
            schemas[type_.name] = {
                "type": "object",
                "properties": {
                    name: _described(_input(f.type, schemas), f.description)
                    for name, f in type_.fields.items()
                },
                "required": [name for name, f in type_.fields.items() if isinstance(f.type, GraphQLNonNull)],
                "additionalProperties": False,
            }
        return {"$ref": f"#/components/schemas/{type_.name}"}
    return _leaf(type_)


def _leaf(type_: Any) -> JSONSchema:
    if isinstance(type_, GraphQLEnumType):
        return {"type": "string", "enum": list(type_.values)}
    assert isinstance(type_, GraphQLScalarType)
    return dict(SCALARS.get(type_.name, {}))


def _described(schema: JSONSchema, description: str | None) -> JSONSchema:
    return {**schema, "description": description} if description else schema


def _output(
    type_: GraphQLOutputType,
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
) -> JSONSchema:
    if isinstance(type_, GraphQLNonNull):
        return _output_named(type_.of_type, selection_set, fragments)
    return _nullable(_output_named(type_, selection_set, fragments))


def _output_named(
    type_: Any, selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]
) -> JSONSchema:
    if isinstance(type_, GraphQLList):
        return {"type": "array", "items": _output(type_.of_type, selection_set, fragments)}
    if isinstance(type_, GraphQLObjectType) and selection_set is not None:
        properties: dict[str, JSONSchema] = {}
        required: list[str] = []
        _collect(type_, selection_set, fragments, properties, required)
        return {"type": "object", "properties": properties, "required": required}
    return _leaf(type_)


def _collect(
    type_: GraphQLObjectType,
    selection_set: SelectionSetNode,
    fragments: dict[str, FragmentDefinitionNode],
    properties: dict[str, JSONSchema],
    required: list[str],
) -> None:
    for selection in selection_set.selections:
        if isinstance(selection, FragmentSpreadNode):
            _collect(type_, fragments[selection.name.value].selection_set, fragments, properties, required)
        elif isinstance(selection, InlineFragmentNode):
            _collect(type_, selection.selection_set, fragments, properties, required)
        elif isinstance(selection, FieldNode):
            key = (selection.alias or selection.name).value
            field = type_.fields[selection.name.value]
            properties[key] = _described(
                _output(field.type, selection.selection_set, fragments), field.description
            )
            if not selection.directives and key not in required:
                required.append(key)


def _error_schema() -> JSONSchema:
    return {
        "type": "object",
        "properties": {
            "statusCode": {"type": "integer"},
            "message": {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                "description": "What went wrong; a list when several fields are wrong. Names the field concerned.",
            },
            "error": {"type": "string", "description": "The HTTP reason phrase, e.g. Bad Request."},
        },
        "required": ["statusCode", "message", "error"],
    }
