"""A REST request → the variables of its GraphQL operation, plus what the response needs (paging).

Path parameters and query parameters become the variables of the same name (typed by the document's
variable definitions), the body becomes `$input`, `limit`/`offset` are clamped and defaulted, and
`include=a,b` sets `$includeA`/`$includeB`. Whether the values are *valid* is the schema's business:
anything that does not parse as the declared type is passed through, for GraphQL to refuse and name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from graphql import GraphQLInputObjectType, GraphQLInputType, GraphQLList, get_named_type, get_nullable_type
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from ..limits import BodyTooLarge, capped, too_large_message
from ..schema.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from .documents import OperationDocument, operation
from .errors import RestError

if TYPE_CHECKING:
    from .routes import RestRoute

JSON_TYPES = ("application/json",)
# Content types under which a JSON body is still accepted: curl's `-d` without `-H Content-Type`
# (as in the reference's own examples) sends `application/x-www-form-urlencoded`.
SNIFFED_TYPES = ("", "application/x-www-form-urlencoded")
_INTEGER = re.compile(r"[+-]?\d{1,40}")
# A path or query parameter's longest value: the request line must fit the server's 16 KiB for it.
PARAMETER_CHARS = 1000


@dataclass
class Call:
    """One parsed request for one route."""

    route: RestRoute
    document: OperationDocument
    path_params: dict[str, str]
    variables: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""
    limit: int = 0
    offset: int = 0

    @property
    def resource_id(self) -> str:
        return list(self.path_params.values())[-1] if self.path_params else ""


async def read_call(request: Request, route: RestRoute) -> Call:
    document = operation(route.document)
    path_params = {name: str(request.path_params[name]) for name in route.path_params}
    for name, value in (*path_params.items(), *request.query_params.multi_items()):
        if len(value) > PARAMETER_CHARS:
            raise RestError(400, f"{name} must be at most {PARAMETER_CHARS} characters")
    call = Call(route=route, document=document, path_params=path_params)
    call.variables.update({k: v for k, v in path_params.items() if k in document.variables})
    for name, value in request.query_params.items():
        if name in document.variables and name not in path_params and name != "input":
            call.variables[name] = typed(value, document.variables[name])
    if route.paged:
        _paging(call)
    if route.include:
        call.variables.update(_include(request, route.include))
    body_digest = b""
    if route.body == "json":
        call.variables["input"], body_digest = await _json_body(request, route.max_body)
        _arrays_are_arrays(call.variables["input"], document.variables["input"], "")
    elif route.body == "multipart":
        call.variables["input"], body_digest = await _multipart_body(request, route.max_body)
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    call.fingerprint = hashlib.sha256(query.encode() + b"\n" + body_digest).hexdigest()
    return call


def typed(value: str, type_: GraphQLInputType) -> Any:
    """A query-string value as the variable's scalar type, when it is one; else as sent."""
    name = get_named_type(type_).name
    if name == "Int" and _INTEGER.fullmatch(value):
        return int(value)
    if name == "Float":
        try:
            return float(value)
        except ValueError:
            return value
    if name == "Boolean" and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def _paging(call: Call) -> None:
    """`limit` defaults to 20 and is clamped to 100 (reported in X-Limit); `offset` defaults to 0."""
    limit = call.variables.get("limit", DEFAULT_PAGE_SIZE)
    if isinstance(limit, int) and limit > MAX_PAGE_SIZE:
        limit = MAX_PAGE_SIZE
    offset = call.variables.get("offset", 0)
    call.variables["limit"], call.variables["offset"] = limit, offset
    call.limit = limit if isinstance(limit, int) else 0
    call.offset = offset if isinstance(offset, int) else 0


def include_variable(value: str) -> str:
    return "include" + value[:1].upper() + value[1:]


def _include(request: Request, allowed: tuple[str, ...]) -> dict[str, bool]:
    wanted = {
        v.strip() for raw in request.query_params.getlist("include") for v in raw.split(",") if v.strip()
    }
    unknown = wanted - set(allowed)
    if unknown:
        raise RestError(400, f"include must be a comma-separated list of: {', '.join(allowed)}")
    return {include_variable(value): value in wanted for value in allowed}


def _arrays_are_arrays(value: Any, type_: GraphQLInputType, path: str) -> None:
    """GraphQL would coerce `"tag-1"` into `["tag-1"]`; a REST body must send the array it means."""
    type_ = get_nullable_type(type_)
    if isinstance(type_, GraphQLList):
        if value is not None and not isinstance(value, list):
            raise RestError(400, f"{path} must be an array")
        for i, item in enumerate(value or ()):
            _arrays_are_arrays(item, type_.of_type, f"{path}[{i}]")
    elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, dict):
        for name, field in type_.fields.items():
            if name in value:
                _arrays_are_arrays(value[name], field.type, f"{path}.{name}" if path else name)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> RestError:
    return RestError(413, too_large_message(limit))


async def _json_body(request: Request, limit: int) -> tuple[dict[str, Any], bytes]:
    raw = await _read_body(request, limit)
    media_type = _media_type(request)
    if not raw:  # no body; whitespace alone is no JSON document
        return {}, b""
    if media_type not in JSON_TYPES and not media_type.endswith("+json") and media_type not in SNIFFED_TYPES:
        raise RestError(415, "Content-Type must be application/json")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if media_type in SNIFFED_TYPES:
            raise RestError(415, "Content-Type must be application/json") from None
        raise RestError(400, f"Request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RestError(400, "Request body must be a JSON object")
    try:
        return data, orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:  # orjson reads 1024 levels but writes only 255
        raise RestError(400, "Request body is nested too deeply") from None


async def _multipart_body(request: Request, limit: int) -> tuple[dict[str, Any], bytes]:
    if _media_type(request) != "multipart/form-data":
        raise RestError(415, "Content-Type must be multipart/form-data")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    # Counted while it streams in: a chunked body declares no length, and the parser spools files to disk.
    request = Request(request.scope, receive=capped(request.receive, limit))
    try:
        form = await request.form(max_files=1, max_fields=20)
    except BodyTooLarge:
        raise _too_large(limit) from None
    except (MultiPartException, HTTPException, ValueError) as exc:
        detail = getattr(exc, "message", None) or getattr(exc, "detail", None) or str(exc)
        raise RestError(400, f"Malformed multipart body: {detail}") from None
    data: dict[str, Any] = {}
    digest = hashlib.sha256()
    for name, value in form.multi_items():
        if name in data:
            raise RestError(400, f"{name} was sent more than once")
        data[name] = value
        digest.update(name.encode() + b"\0")
        if isinstance(value, UploadFile):
            if value.size is not None and value.size > limit:
                raise _too_large(limit)
            digest.update((value.filename or "").encode() + b"\0" + await _file_digest(value))
        else:
            digest.update(value.encode())
        digest.update(b"\0")
    return data, digest.hexdigest().encode()


async def _file_digest(upload: UploadFile) -> bytes:
    digest = hashlib.sha256()
    while chunk := await upload.read(1024 * 1024):
        digest.update(chunk)
    await upload.seek(0)
    return digest.hexdigest().encode()
