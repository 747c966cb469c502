"""Test clients and object factories, all through the public API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx

from signalgraph import auth
from signalgraph.resolvers.request_context import Services
from signalgraph.scopes import ALL_SCOPES, parse_scopes


class GraphQLErrors(AssertionError):
    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class Api:
    """One API key of one workspace, speaking GraphQL (and REST) over HTTP."""

    http: httpx.AsyncClient
    key: str
    workspace: str
    workspace_id: str
    scopes: list[str] = field(default_factory=list)

    @classmethod
    async def create(
        cls, http: httpx.AsyncClient, services: Services, *, scopes: list[str] | None = None, workspace: str | None = None
    ) -> "Api":
        workspace = workspace or f"ws-{uuid.uuid4().hex[:10]}"
        chosen = parse_scopes(scopes) if scopes is not None else list(ALL_SCOPES)
        created = await auth.create_key(services.db, workspace, "test", chosen)
        return cls(http, created.key, workspace, created.workspace_id, [s.value for s in chosen])

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body."""
        response = await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers)
        assert response.status_code in (200, 400), response.text
        return response.json()

    async def ok(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """`data`, asserting there were no errors."""
        body = await self.graphql(query, variables)
        if body.get("errors"):
            raise GraphQLErrors(body["errors"])
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
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return await self.http.request(method, path, headers=headers, **kwargs)


CREATE_INSIGHT = """
mutation($input: CreateInsightInput!) { createInsight(input: $input) { id name description status type productId } }
"""


async def create_insight(api: Api, **fields: Any) -> dict[str, Any]:
    data = await api.ok(CREATE_INSIGHT, {"input": {"description": "An observation", **fields}})
    return data["createInsight"]
