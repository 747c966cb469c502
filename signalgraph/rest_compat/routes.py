"""ROUTES: the documented REST API, one row per operation, each translated onto a GraphQL operation.

A row names its method, its path below /external/v1, its scope, the operation in
`operations/<domain>.graphql` (whose selection is the response shape), the success status, how the
result becomes the body, what the body is (none, JSON, multipart) and which `include` values it accepts.
A resource's list, get, create, update and delete are written as one `resource(...)`, a small list's
under its parent as one `children(...)`. Generic code reads the table: the endpoint serves it under
/external/v1 and /api/external/v1, and openapi.json is generated from it. The scope column documents
what the schema enforces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..limits import JSON_BODY_BYTES, UPLOAD_BODY_BYTES
from ..scopes import Scope as S
from .shaping import Shaper, auth_context, items, node, page, signal_created

PREFIX = "/external/v1"
JSON_LIMIT = JSON_BODY_BYTES
UPLOAD_LIMIT = UPLOAD_BODY_BYTES


@dataclass(frozen=True)
class RestRoute:
    method: str
    path: str  # below PREFIX, with :params
    scope: S | tuple[S, ...] | None  # a tuple: any one of them suffices
    document: str
    summary: str
    status: int = 200
    shape: Shaper = node
    body: Literal["none", "json", "multipart"] = "none"
    include: tuple[str, ...] = ()
    max_body: int = JSON_LIMIT

    @property
    def scopes(self) -> tuple[S, ...]:
        """The scopes of which the key needs one (none for auth/context)."""
        if self.scope is None:
            return ()
        return self.scope if isinstance(self.scope, tuple) else (self.scope,)

    @property
    def paged(self) -> bool:
        return self.shape is page

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(re.findall(r":(\w+)", self.path))

    @property
    def documented_path(self) -> str:
        """As the reference writes it: `/external/v1/insights/:id`."""
        return PREFIX + self.path

    @property
    def route_path(self) -> str:
        """In Starlette's syntax, below the prefix: `/insights/{id}`."""
        return re.sub(r":(\w+)", r"{\1}", self.path)

    def concrete_path(self, params: dict[str, str]) -> str:
        """The documented path of one request, whichever prefix it came in on."""
        return PREFIX + re.sub(r":(\w+)", lambda m: params[m[1]], self.path)


def resource(
    path: str,
    name: str,
    noun: str,
    nouns: str,
    *,
    id_param: str = "id",
    include: tuple[str, ...] = (),
    created: Shaper = node,
) -> tuple[RestRoute, ...]:
    """A resource's five rows, list, get, create, update and delete, in that order: `resource("/okrs", "Okr",
    "OKR", "OKRs")` serves `okrs.ListOkrs` … `okrs.DeleteOkr` (operations/okrs.graphql), read with
    okrs:read, written with okrs:write and deleted with okrs:delete; `created` shapes the create's body."""
    module, scope = path.strip("/").replace("-", "_"), path.strip("/")
    plural = name[:-1] + "ies" if name.endswith("y") else name + "s"
    a = _article(noun)
    one, read, write = f"{path}/:{id_param}", S(f"{scope}:read"), S(f"{scope}:write")
    return (
        RestRoute("GET", path, read, f"{module}.List{plural}", f"List {nouns}", shape=page, include=include),
        RestRoute("GET", one, read, f"{module}.Get{name}", f"Get one {noun}", include=include),
        RestRoute("POST", path, write, f"{module}.Create{name}", f"Create {a} {noun}", status=201,
                  shape=created, body="json"),
        RestRoute("PATCH", one, write, f"{module}.Update{name}", f"Update {a} {noun}", body="json"),
        RestRoute("DELETE", one, S(f"{scope}:delete"), f"{module}.Delete{name}", f"Delete {a} {noun}"),
    )


def _article(noun: str) -> str:
    return "an" if noun[0].lower() in "aeiou" else "a"


def children(parent: str, name: str, noun: str) -> tuple[RestRoute, ...]:
    """The four rows of a small list under a parent, list, create, update and delete, all read or written
    with the parent's scopes: `children("/accounts", "Contact", "contact")` serves
    `/accounts/:id/contacts[/:contactId]` with `accounts.ListContacts` … `accounts.DeleteContact`."""
    module = scope = parent.strip("/")
    owner = module.removesuffix("s")
    a = _article(owner)
    path, plural = f"{parent}/:id/{noun}s", f"{name}s"
    one, read, write = f"{path}/:{noun}Id", S(f"{scope}:read"), S(f"{scope}:write")
    return (
        RestRoute("GET", path, read, f"{module}.List{plural}", f"List {owner} {noun}s", shape=items),
        RestRoute("POST", path, write, f"{module}.Create{name}", f"Create {a} {owner} {noun}", status=201, body="json"),
        RestRoute("PATCH", one, write, f"{module}.Update{name}", f"Update {a} {owner} {noun}", body="json"),
        RestRoute("DELETE", one, write, f"{module}.Delete{name}", f"Delete {a} {owner} {noun}"),
    )


INSIGHT_INCLUDES = ("classifications", "provenance")
PRODUCT_INCLUDES = ("features", "personas", "questions", "metrics")

ROUTES: tuple[RestRoute, ...] = (
    # Beyond the reference: lets a client check where its key points before it writes.
    RestRoute("GET", "/auth/context", None, "auth.AuthContext", "Where this API key points",
              shape=auth_context),
    # Signals, addressed by their public id
    *resource("/signals", "Signal", "signal", "signals", id_param="publicId", created=signal_created),
    RestRoute("POST", "/signals/:publicId/process", S.SIGNALS_WRITE, "signals.ProcessSignal",
              "Process a signal", status=201),
    # Accounts and their contacts
    *resource("/accounts", "Account", "account", "accounts"),
    *children("/accounts", "Contact", "contact"),
    # Products, with their features, personas and clarification questions
    *resource("/products", "Product", "product", "products", include=PRODUCT_INCLUDES),
    RestRoute("GET", "/products/portfolio-summary", S.PRODUCTS_READ, "products.PortfolioSummary",
              "Get portfolio summary"),
    RestRoute("GET", "/products/:id/metrics", S.PRODUCTS_READ, "products.ProductMetrics",
              "Get product metrics"),
    *children("/products", "Feature", "feature"),
    *children("/products", "Persona", "persona"),
    RestRoute("GET", "/products/:id/questions", S.PRODUCTS_READ, "products.ListQuestions",
              "List product questions", shape=items),
    RestRoute("GET", "/products/:id/questions/:questionId", S.PRODUCTS_READ, "products.GetQuestion",
              "Get a product question"),
    # Insights
    *resource("/insights", "Insight", "insight", "insights", include=INSIGHT_INCLUDES),
    RestRoute("POST", "/insights/process-transcript/insights", S.INSIGHTS_WRITE, "insights.ExtractInsights",
              "Extract insights from text (AI)", body="json"),
    *resource("/opportunities", "Opportunity", "opportunity", "opportunities"),
    *resource("/ideas", "Idea", "idea", "ideas"),
    *resource("/okrs", "Okr", "OKR", "OKRs"),
    *resource("/context-units", "ContextUnit", "context unit", "context units"),
    # Context documents
    RestRoute("GET", "/context-documents", S.CONTEXT_DOCUMENTS_READ, "context_documents.ListContextDocuments",
              "List context documents", shape=page),
    RestRoute("GET", "/context-documents/:id", S.CONTEXT_DOCUMENTS_READ,
              "context_documents.GetContextDocument", "Get one context document"),
    RestRoute("GET", "/context-documents/:id/content", S.CONTEXT_DOCUMENTS_READ,
              "context_documents.GetContextDocumentContent", "Preview context document content"),
    RestRoute("POST", "/context-documents", S.CONTEXT_DOCUMENTS_WRITE,
              "context_documents.CreateContextDocument", "Import a text context document", status=201,
              body="json"),
    RestRoute("POST", "/context-documents/upload", S.CONTEXT_DOCUMENTS_WRITE,
              "context_documents.UploadContextDocument", "Upload a context document file", status=201,
              body="multipart", max_body=UPLOAD_LIMIT),
    RestRoute("PATCH", "/context-documents/:id", S.CONTEXT_DOCUMENTS_WRITE,
              "context_documents.UpdateContextDocument", "Update a context document", body="json"),
    RestRoute("DELETE", "/context-documents/:id", S.CONTEXT_DOCUMENTS_DELETE,
              "context_documents.DeleteContextDocument", "Delete a context document"),
    # Beyond the reference: retrieval over both kinds of context, each only if the key may read it.
    RestRoute("GET", "/context/search", (S.CONTEXT_UNITS_READ, S.CONTEXT_DOCUMENTS_READ),
              "context_search.SearchContext", "Search context units and documents", shape=items),
)
