"""`GET /external/v1/openapi.json`: OpenAPI 3.1 generated from ROUTES and the schema, so neither can drift.

Parameters come from each operation's variables, request bodies from the GraphQL input types, and
response bodies from the document's selection (what the endpoint actually returns), all through the
schema's own type objects.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import (
    GRAPHQL_MAX_INT,
    GRAPHQL_MIN_INT,
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
    ObjectValueNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
)
from starlette.requests import Request
from starlette.responses import Response

from ..limits import text_limit
from ..schema import input_rules
from ..schema.input_guard import MAX_LIST_ITEMS
from ..schema.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from ..schema.partial_results import DECLARED_TYPE
from ..schema.receipts import read_scope
from . import idempotency
from .documents import OperationDocument, operation
from .errors import REASONS
from .inputs import PARAMETER_CHARS, include_variable
from .responses import JSONBody
from .routes import PREFIX, ROUTES, RestRoute

JSONSchema = dict[str, Any]

SCALARS: dict[str, JSONSchema] = {
    "String": {"type": "string"},
    "ID": {"type": "string"},
    "Int": {"type": "integer", "minimum": GRAPHQL_MIN_INT, "maximum": GRAPHQL_MAX_INT},  # 32 bits
    "Float": {"type": "number"},
    "Boolean": {"type": "boolean"},
    "DateTime": {"type": "string", "format": "date-time"},
    "JSON": {},
    "Upload": {"type": "string", "format": "binary"},
}
PAGING = {
    "limit": {
        "type": "integer",
        "minimum": 0,
        "default": DEFAULT_PAGE_SIZE,
        "description": f"At most {MAX_PAGE_SIZE}; larger values are clamped.",
    },
    "offset": {"type": "integer", "minimum": 0, "maximum": GRAPHQL_MAX_INT, "default": 0},
}
LIST_HEADERS = {
    "X-Total-Count": "How many items match, over all pages.",
    "X-Limit": "The page size used: the requested limit, at most 100 (default 20).",
    "X-Offset": "How many items were skipped.",
    "X-Has-More": "Whether items follow this page: true or false.",
}
ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 415, 422)
RECEIPT = (
    "A key without {} gets back only the identifying fields (`id`, `publicId`, `workspaceId`, `status`) "
    "and those it sent; the others are left out (README: Security)."
)


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
                "Every POST and PATCH accepts an `Idempotency-Key` header. No text may contain the null "
                "character (U+0000): it is refused with a 400 naming the field."
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
    description = f"Requires the scope {needs}." if needs else "Needs no scope."
    if op.is_mutation and any(s.value.endswith(":write") for s in route.scopes) and route.method != "DELETE":
        reads = " or ".join(f"`{read_scope(s).value}`" for s in route.scopes)
        description += f" {RECEIPT.format(reads)}"
    result: JSONSchema = {
        "operationId": op.name[:1].lower() + op.name[1:],
        "summary": route.summary,
        "tags": [route.document.split(".")[0]],
        "description": description,
        # One requirement per scope: OpenAPI reads a list of requirements as "any one of".
        "security": [{"bearerAuth": [s.value]} for s in route.scopes] or [{"bearerAuth": []}],
        "parameters": _parameters(route, op),
        "responses": _responses(route, op),
    }
    if route.body != "none":
        media = "application/json" if route.body == "json" else "multipart/form-data"
        body = op.variables["input"]
        result["requestBody"] = {
            # An empty body is `{}`: it may be left out where nothing in it is required.
            "required": _input_object(body).name in input_rules.SHAPES
            or any(isinstance(f.type, GraphQLNonNull) for f in _input_object(body).fields.values()),
            "content": {media: {"schema": _input(body, schemas, "input")}},
        }
    return result


def _input_object(type_: GraphQLInputType) -> GraphQLInputObjectType:
    named = get_named_type(type_)
    assert isinstance(named, GraphQLInputObjectType)
    return named


def _parameters(route: RestRoute, op: OperationDocument) -> list[JSONSchema]:
    sites = _variable_sites(op)
    params = [
        {"name": name, "in": "path", "required": True, "schema": _argument(op, name, sites)}
        for name in route.path_params
    ]
    defaults = {
        v.variable.name.value: v.default_value for v in op.operation.variable_definitions or ()
    }
    includes = {include_variable(value) for value in route.include}
    for name, type_ in op.variables.items():
        if name in route.path_params or name == "input" or name in includes:
            continue
        if route.paged and name in PAGING:
            schema = dict(PAGING[name])
        else:
            schema = _argument(op, name, sites)
        required = isinstance(type_, GraphQLNonNull) and defaults.get(name) is None and not route.paged
        params.append({"name": name, "in": "query", "required": required, "schema": schema})
    if route.include:
        params.append(
            {
                "name": "include",
                "in": "query",
                "required": False,
                "description": "Comma-separated: " + ", ".join(route.include),
                "schema": {"type": "string", "pattern": include_pattern(route.include)},
            }
        )
    if route.method in idempotency.METHODS:
        params.append(
            {
                "name": idempotency.HEADER,
                "in": "header",
                "required": False,
                "description": "Replays the first response to a retry with the same key for 24 hours.",
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": idempotency.MAX_KEY_LENGTH,
                    "pattern": idempotency.KEY_PATTERN.pattern,
                },
            }
        )
    return params


def include_pattern(values: tuple[str, ...]) -> str:
    """What `include` takes (rest_compat/inputs.py): values from the list, comma-separated; spaces around a
    value and empty items are ignored."""
    item = rf"\s*(?:{'|'.join(values)})?\s*"
    return rf"^{item}(?:,{item})*$"


def _variable_sites(op: OperationDocument) -> dict[str, tuple[str, str]]:
    """Variable → where it is used: (the root field, `Query.searchContext`, or an input type; the name)."""
    root = f"{'Mutation' if op.is_mutation else 'Query'}.{op.root.name.value}"
    sites: dict[str, tuple[str, str]] = {}
    pending = [
        (root, arg.name.value, op.root_field.args[arg.name.value].type, arg.value)
        for arg in op.root.arguments or ()
    ]
    while pending:
        owner, name, type_, value = pending.pop()
        if isinstance(value, VariableNode):
            sites[value.name.value] = (owner, name)
        elif isinstance(value, ObjectValueNode):
            named = _input_object(type_)
            pending.extend(
                (named.name, f.name.value, named.fields[f.name.value].type, f.value) for f in value.fields
            )
    return sites


def _argument(op: OperationDocument, name: str, sites: dict[str, tuple[str, str]]) -> JSONSchema:
    """A path or query parameter: never null (absent is the default), with the rule of where it goes."""
    schema = _input_named(get_nullable_type(op.variables[name]), {}, name)
    site = sites.get(name)
    found = input_rules.rule(*site) if site else None
    schema = {**schema, **found.json_schema()} if found else schema
    if schema.get("type") == "string" and "enum" not in schema:
        schema["maxLength"] = min(schema.get("maxLength", PARAMETER_CHARS), PARAMETER_CHARS)
    return schema


def _responses(route: RestRoute, op: OperationDocument) -> JSONSchema:
    # A null root is never a body: REST answers the error (or a 404) instead.
    selection = _output_named(get_nullable_type(op.result_type), op.result_selection, _fragments(op))
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
    # A missing id is a 404: in the path, in the body (linked ids) or in the query (`productId`).
    ids = any(get_named_type(t).name == "ID" for t in op.variables.values())
    errors += [404] if route.path_params or route.body != "none" or ids else []
    errors += [413, 415] if route.body != "none" else []
    errors += [409, 422] if route.method in ("POST", "PATCH") else []
    for status in sorted(errors):
        responses[str(status)] = {"$ref": f"#/components/responses/{status}"}
    return responses


def _fragments(op: OperationDocument) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in op.document.definitions if isinstance(d, FragmentDefinitionNode)}


def _nullable(schema: JSONSchema) -> JSONSchema:
    return {"anyOf": [schema, {"type": "null"}]} if schema else schema


def _input(type_: GraphQLInputType, schemas: dict[str, JSONSchema], name: str) -> JSONSchema:
    """`name`: the field, argument or variable the value is for, whose size limit its text has."""
    if isinstance(type_, GraphQLNonNull):
        return _input_named(type_.of_type, schemas, name)
    return _nullable(_input_named(type_, schemas, name))


def _input_named(type_: Any, schemas: dict[str, JSONSchema], name: str) -> JSONSchema:
    if isinstance(type_, GraphQLList):
        return {"type": "array", "items": _input(type_.of_type, schemas, name), "maxItems": MAX_LIST_ITEMS}
    if isinstance(type_, GraphQLInputObjectType):
        if type_.name not in schemas:
            schemas[type_.name] = {}  # placed first, so that a recursive type terminates
            schemas[type_.name] = {
                "type": "object",
                "properties": {
                    field: _described(_field(type_.name, field, f.type, schemas), f.description)
                    for field, f in type_.fields.items()
                },
                "required": [field for field, f in type_.fields.items() if isinstance(f.type, GraphQLNonNull)],
                "additionalProperties": False,
                **input_rules.SHAPES.get(type_.name, {}),
            }
        return {"$ref": f"#/components/schemas/{type_.name}"}
    schema = _leaf(type_)
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        schema["maxLength"] = text_limit(name)  # every text input's limit (signalgraph/limits.py)
    return schema


def _field(owner: str, name: str, type_: GraphQLInputType, schemas: dict[str, JSONSchema]) -> JSONSchema:
    """An input object's field, with its rule: a field that may not be null is not nullable here."""
    found = input_rules.rule(owner, name)
    if found is None:
        return _input(type_, schemas, name)
    schema = {**_input_named(get_nullable_type(type_), schemas, name), **found.json_schema()}
    if "enum" in schema:
        schema.pop("maxLength", None)
    return schema if isinstance(type_, GraphQLNonNull) or found.not_null else _nullable(schema)


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
            declared = field.extensions.get(DECLARED_TYPE, field.type)  # REST leaves a withheld field out
            properties[key] = _described(_output(declared, selection.selection_set, fragments), field.description)
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
