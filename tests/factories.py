"""Test clients and object factories, all through the public API (GraphQL in-process or over HTTP, REST)."""

from __future__ import annotations

import io
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
from starlette.datastructures import Headers, UploadFile
from strawberry.file_uploads.utils import replace_placeholders_with_files
from strawberry.http import process_result
from strawberry.types.graphql import OperationType

from signalgraph import auth
from signalgraph.resolvers.request_context import build_context
from signalgraph.schema import schema
from signalgraph.scopes import ALL_SCOPES, parse_scopes
from signalgraph.services import Services
from tests.executors import assert_executors_agree


class GraphQLErrors(AssertionError):
    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Api:
    """One API key of one workspace, speaking GraphQL (and REST) as a client would.

    Without `http`, GraphQL runs in-process: the schema executes the document with the context the HTTP
    view would build for the key, the way Strawberry's own tests call `schema.execute`. With `http`, every
    request goes over the real server: that is for the tests whose subject is HTTP (REST, the app, uploads).
    """

    services: Services
    key: str
    workspace: str
    workspace_id: str
    scopes: list[str] = field(default_factory=list)
    http: httpx.AsyncClient | None = None

    @classmethod
    async def create(
        cls, services: Services, *, http: httpx.AsyncClient | None = None, scopes: list[str] | None = None,
        workspace: str | None = None,
    ) -> Api:
        workspace = workspace or f"ws-{uuid.uuid4().hex[:10]}"
        chosen = parse_scopes(scopes) if scopes is not None else list(ALL_SCOPES)
        created = await auth.create_key(services.db, workspace, "test", chosen)
        return cls(services, created.key, workspace, created.workspace_id, [s.value for s in chosen], http)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body."""
        payload = {"query": query, "variables": variables or {}}
        if self.http is None:
            return await execute_in_process(self.services, payload, self.headers["Authorization"])
        response = await self.http.post("/graphql", json=payload, headers=self.headers)
        assert response.status_code in (200, 400, 401), response.text
        return response.json()

    async def ok(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """`data`, asserting there were no errors."""
        body = await self.graphql(query, variables)
        if body.get("errors"):
            raise GraphQLErrors(body["errors"])
        return body["data"]

    async def wrote(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """`data` of a write, asserting there were no errors but the fields withheld from a key that writes
        without reading (signalgraph/schema/receipts.py): FORBIDDEN inside the object written."""
        body = await self.graphql(query, variables)
        errors = [
            e for e in body.get("errors") or []
            if not (e["extensions"]["code"] == "FORBIDDEN" and len(e.get("path") or ()) >= 3)
        ]
        if errors:
            raise GraphQLErrors(errors)
        return body["data"]

    async def error(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The first error, asserting there was one."""
        body = await self.graphql(query, variables)
        assert body.get("errors"), f"expected an error, got {body}"
        return body["errors"][0]

    async def error_code(self, query: str, variables: dict[str, Any] | None = None) -> str:
        return (await self.error(query, variables))["extensions"]["code"]

    # -- REST ------------------------------------------------------------------------------
    async def rest(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        assert self.http is not None, "REST goes over HTTP: take the key from the http_api fixture"
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return await self.http.request(method, path, headers=headers, **kwargs)


async def execute_in_process(
    services: Services, payload: dict[str, Any], authorization: str | None, files: dict[str, UploadFile] | None = None
) -> dict[str, Any]:
    """What POST /graphql answers, without the HTTP: the document and variables cross a JSON round trip as
    on the wire, `files` (variable path → upload) go where multipart parsing puts them, the context is the
    view's, and the result is shaped as the view shapes it."""
    payload = orjson.loads(json.dumps(payload))  # as httpx encodes a body and the view decodes it
    if files:
        paths = {str(i): [path] for i, path in enumerate(files)}
        payload = replace_placeholders_with_files(payload, paths, dict(zip(paths, files.values(), strict=True)))
    context = await build_context(services, authorization)
    try:
        result = await schema.execute(
            payload["query"], variable_values=payload["variables"], context_value=context,
            allowed_operation_types=OperationType.from_http("POST"),
        )
        if result.data is not None and context.principal is not None:
            await assert_executors_agree(payload["query"], payload["variables"], context)
    finally:
        await context.end()
    return orjson.loads(orjson.dumps(process_result(result)))


CREATE_INSIGHT = """
mutation($input: CreateInsightInput!) { createInsight(input: $input) { insight { id name description status type productId } } }
"""


async def create_insight(api: Api, **fields: Any) -> dict[str, Any]:
    data = await api.wrote(CREATE_INSIGHT, {"input": {"description": "An observation", **fields}})
    return data["createInsight"]["insight"]


CREATE_CONTEXT_UNIT = """
mutation($input: CreateContextUnitInput!) {
  createContextUnit(input: $input) { contextUnit { id name description data productId indexingStatus vectorFileId } }
}
"""


async def create_context_unit(api: Api, **fields: Any) -> dict[str, Any]:
    data = await api.wrote(CREATE_CONTEXT_UNIT, {"input": {"name": "Principles", "data": "## Principles", **fields}})
    return data["createContextUnit"]["contextUnit"]


CREATE_CONTEXT_DOCUMENT = """
mutation($input: CreateContextDocumentInput!) {
  createContextDocument(input: $input) { contextDocument { id fileName mimeType size description productId indexingStatus vectorFileId } }
}
"""


async def create_context_document(api: Api, **fields: Any) -> dict[str, Any]:
    variables = {"input": {"fileName": "notes.md", "content": "# Notes", **fields}}
    return (await api.wrote(CREATE_CONTEXT_DOCUMENT, variables))["createContextDocument"]["contextDocument"]


UPLOAD_CONTEXT_DOCUMENT = """
mutation($input: UploadContextDocumentInput!) {
  uploadContextDocument(input: $input) { contextDocument { id fileName mimeType size description productId indexingStatus } }
}
"""


async def upload_file(
    api: Api, query: str, variables: dict[str, Any], path: str, file: tuple[str, bytes, str]
) -> dict[str, Any]:
    """A GraphQL multipart request: `file` = (file name, bytes, content type) goes in at variable `path`.
    Over HTTP it is a real multipart body; in-process, the file is placed where the view's multipart
    parsing would place it."""
    operations = {"query": query, "variables": variables}
    if api.http is None:
        name, content, content_type = file
        upload = UploadFile(io.BytesIO(content), size=len(content), filename=name,
                            headers=Headers({"content-type": content_type}))
        return await execute_in_process(api.services, operations, api.headers["Authorization"], {path: upload})
    form = {"operations": json.dumps(operations), "map": json.dumps({"0": [path]})}
    response = await api.http.post("/graphql", data=form, files={"0": file}, headers=api.headers)
    assert response.status_code in (200, 400, 401), response.text
    return response.json()


async def upload_context_document(
    api: Api, file_name: str, content: bytes, content_type: str = "application/octet-stream", **fields: Any
) -> dict[str, Any]:
    """The whole response body of an uploadContextDocument multipart request."""
    variables = {"input": {"file": None, **fields}}
    return await upload_file(
        api, UPLOAD_CONTEXT_DOCUMENT, variables, "variables.input.file", (file_name, content, content_type)
    )


async def mark_indexed(services: Services, model: type, id_: str, vector_file_id: str = "vf-1") -> None:
    """Stand in for the indexer: the row's retrieval file is `vector_file_id`."""
    async with services.db.write() as session:
        row = await session.get(model, id_)
        row.indexing_status, row.vector_file_id = "indexed", vector_file_id
        session.add(row)


CREATE_PRODUCT = """
mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id name description externalId } } }
"""


async def create_product(api: Api, **fields: Any) -> dict[str, Any]:
    data = await api.wrote(CREATE_PRODUCT, {"input": {"name": "Discovery", "description": "A product", **fields}})
    return data["createProduct"]["product"]


CREATE_ACCOUNT = """
mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id name externalId domain website } } }
"""


async def create_account(api: Api, **fields: Any) -> dict[str, Any]:
    data = await api.wrote(CREATE_ACCOUNT, {"input": {"name": "Example Account", **fields}})
    return data["createAccount"]["account"]


CREATE_SIGNAL = """
mutation($input: CreateSignalInput!) {
  createSignal(input: $input) { created jobId signal { id publicId name status signalType externalId } }
}
"""


async def create_signal(api: Api, **fields: Any) -> dict[str, Any]:
    """A typed text signal (a review, unless `signalType` says otherwise); returns the signal."""
    variables = {"input": {"text": "Exports are slow.", "signalType": "review", **fields}}
    return (await api.wrote(CREATE_SIGNAL, variables))["createSignal"]["signal"]


CREATE_OPPORTUNITY = """
mutation($input: CreateOpportunityInput!) {
  createOpportunity(input: $input) { opportunity { id name description score status productId insightIds ideaIds accountIds } }
}
"""


async def create_opportunity(api: Api, **fields: Any) -> dict[str, Any]:
    variables = {"input": {"name": "Faster exports", "description": "Exports time out", **fields}}
    data = await api.wrote(CREATE_OPPORTUNITY, variables)
    return data["createOpportunity"]["opportunity"]


CREATE_IDEA = """
mutation($input: CreateIdeaInput!) {
  createIdea(input: $input) { idea { id name description status productId opportunityIds insightIds accountIds } }
}
"""


async def create_idea(api: Api, **fields: Any) -> dict[str, Any]:
    data = await api.wrote(CREATE_IDEA, {"input": {"name": "Async exports", "description": "Email a link", **fields}})
    return data["createIdea"]["idea"]


CREATE_PROJECT = """
mutation($input: CreateProjectInput!) { createProject(input: $input) { project { id name description status } } }
"""


async def create_project(api: Api, **fields: Any) -> dict[str, Any]:
    data = await api.wrote(CREATE_PROJECT, {"input": {"name": "Export rewrite", **fields}})
    return data["createProject"]["project"]


CREATE_OKR = """
mutation($input: CreateOkrInput!) {
  createOkr(input: $input) { okr {
    id objective priority productIds keyResults { id name position projectIds createdAt updatedAt }
  } }
}
"""


async def create_okr(api: Api, **fields: Any) -> dict[str, Any]:
    variables = {"input": {"objective": "Grow activation", "priority": 1, "keyResults": [], **fields}}
    return (await api.wrote(CREATE_OKR, variables))["createOkr"]["okr"]
