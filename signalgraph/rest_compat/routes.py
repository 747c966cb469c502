"""ROUTES: the documented REST API, one row per operation, each translated onto a GraphQL operation.

A row names its method, its path below /external/v1, its scope, the operation in
`operations/<domain>.graphql` (whose selection is the response shape), the success status, how the
result becomes the body, what the body is (none, JSON, multipart) and which `include` values it accepts.
Generic code reads the table: the endpoint serves it under /external/v1 and /api/external/v1, and
openapi.json is generated from it. The scope column documents what the schema enforces.
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


INSIGHT_INCLUDES = ("classifications", "provenance")
PRODUCT_INCLUDES = ("features", "personas", "questions", "metrics")

ROUTES: tuple[RestRoute, ...] = (
    # Beyond the reference: lets a client check where its key points before it writes.
    RestRoute("GET", "/auth/context", None, "auth.AuthContext", "Where this API key points",
              shape=auth_context),
    # Signals, addressed by their public id
    RestRoute("GET", "/signals", S.SIGNALS_READ, "signals.ListSignals", "List signals", shape=page),
    RestRoute("GET", "/signals/:publicId", S.SIGNALS_READ, "signals.GetSignal", "Get one signal"),
    RestRoute("POST", "/signals", S.SIGNALS_WRITE, "signals.CreateSignal", "Create a signal", status=201,
              shape=signal_created, body="json"),
    RestRoute("PATCH", "/signals/:publicId", S.SIGNALS_WRITE, "signals.UpdateSignal", "Update a signal",
              body="json"),
    RestRoute("DELETE", "/signals/:publicId", S.SIGNALS_DELETE, "signals.DeleteSignal", "Delete a signal"),
    RestRoute("POST", "/signals/:publicId/process", S.SIGNALS_WRITE, "signals.ProcessSignal",
              "Process a signal", status=201),
    # Accounts and their contacts
    RestRoute("GET", "/accounts", S.ACCOUNTS_READ, "accounts.ListAccounts", "List accounts", shape=page),
    RestRoute("GET", "/accounts/:id", S.ACCOUNTS_READ, "accounts.GetAccount", "Get one account"),
    RestRoute("POST", "/accounts", S.ACCOUNTS_WRITE, "accounts.CreateAccount", "Create an account",
              status=201, body="json"),
    RestRoute("PATCH", "/accounts/:id", S.ACCOUNTS_WRITE, "accounts.UpdateAccount", "Update an account",
              body="json"),
    RestRoute("DELETE", "/accounts/:id", S.ACCOUNTS_DELETE, "accounts.DeleteAccount", "Delete an account"),
    RestRoute("GET", "/accounts/:id/contacts", S.ACCOUNTS_READ, "accounts.ListContacts",
              "List account contacts", shape=items),
    RestRoute("POST", "/accounts/:id/contacts", S.ACCOUNTS_WRITE, "accounts.CreateContact",
              "Create an account contact", status=201, body="json"),
    RestRoute("PATCH", "/accounts/:id/contacts/:contactId", S.ACCOUNTS_WRITE, "accounts.UpdateContact",
              "Update an account contact", body="json"),
    RestRoute("DELETE", "/accounts/:id/contacts/:contactId", S.ACCOUNTS_WRITE, "accounts.DeleteContact",
              "Delete an account contact"),
    # Products, with their features, personas and clarification questions
    RestRoute("GET", "/products", S.PRODUCTS_READ, "products.ListProducts", "List products", shape=page,
              include=PRODUCT_INCLUDES),
    RestRoute("GET", "/products/:id", S.PRODUCTS_READ, "products.GetProduct", "Get one product",
              include=PRODUCT_INCLUDES),
    RestRoute("POST", "/products", S.PRODUCTS_WRITE, "products.CreateProduct", "Create a product", status=201,
              body="json"),
    RestRoute("PATCH", "/products/:id", S.PRODUCTS_WRITE, "products.UpdateProduct", "Update a product",
              body="json"),
    RestRoute("DELETE", "/products/:id", S.PRODUCTS_DELETE, "products.DeleteProduct", "Delete a product"),
    RestRoute("GET", "/products/portfolio-summary", S.PRODUCTS_READ, "products.PortfolioSummary",
              "Get portfolio summary"),
    RestRoute("GET", "/products/:id/metrics", S.PRODUCTS_READ, "products.ProductMetrics",
              "Get product metrics"),
    RestRoute("GET", "/products/:id/features", S.PRODUCTS_READ, "products.ListFeatures",
              "List product features", shape=items),
    RestRoute("POST", "/products/:id/features", S.PRODUCTS_WRITE, "products.CreateFeature",
              "Create a product feature", status=201, body="json"),
    RestRoute("PATCH", "/products/:id/features/:featureId", S.PRODUCTS_WRITE, "products.UpdateFeature",
              "Update a product feature", body="json"),
    RestRoute("DELETE", "/products/:id/features/:featureId", S.PRODUCTS_WRITE, "products.DeleteFeature",
              "Delete a product feature"),
    RestRoute("GET", "/products/:id/personas", S.PRODUCTS_READ, "products.ListPersonas",
              "List product personas", shape=items),
    RestRoute("POST", "/products/:id/personas", S.PRODUCTS_WRITE, "products.CreatePersona",
              "Create a product persona", status=201, body="json"),
    RestRoute("PATCH", "/products/:id/personas/:personaId", S.PRODUCTS_WRITE, "products.UpdatePersona",
              "Update a product persona", body="json"),
    RestRoute("DELETE", "/products/:id/personas/:personaId", S.PRODUCTS_WRITE, "products.DeletePersona",
              "Delete a product persona"),
    RestRoute("GET", "/products/:id/questions", S.PRODUCTS_READ, "products.ListQuestions",
              "List product questions", shape=items),
    RestRoute("GET", "/products/:id/questions/:questionId", S.PRODUCTS_READ, "products.GetQuestion",
              "Get a product question"),
    # Insights
    RestRoute("GET", "/insights", S.INSIGHTS_READ, "insights.ListInsights", "List insights", shape=page,
              include=INSIGHT_INCLUDES),
    RestRoute("GET", "/insights/:id", S.INSIGHTS_READ, "insights.GetInsight", "Get one insight",
              include=INSIGHT_INCLUDES),
    RestRoute("POST", "/insights", S.INSIGHTS_WRITE, "insights.CreateInsight", "Create an insight",
              status=201, body="json"),
    RestRoute("PATCH", "/insights/:id", S.INSIGHTS_WRITE, "insights.UpdateInsight", "Update an insight",
              body="json"),
    RestRoute("DELETE", "/insights/:id", S.INSIGHTS_DELETE, "insights.DeleteInsight", "Delete an insight"),
    RestRoute("POST", "/insights/process-transcript/insights", S.INSIGHTS_WRITE, "insights.ExtractInsights",
              "Extract insights from text (AI)", body="json"),
    # Opportunities
    RestRoute("GET", "/opportunities", S.OPPORTUNITIES_READ, "opportunities.ListOpportunities",
              "List opportunities", shape=page),
    RestRoute("GET", "/opportunities/:id", S.OPPORTUNITIES_READ, "opportunities.GetOpportunity",
              "Get one opportunity"),
    RestRoute("POST", "/opportunities", S.OPPORTUNITIES_WRITE, "opportunities.CreateOpportunity",
              "Create an opportunity", status=201, body="json"),
    RestRoute("PATCH", "/opportunities/:id", S.OPPORTUNITIES_WRITE, "opportunities.UpdateOpportunity",
              "Update an opportunity", body="json"),
    RestRoute("DELETE", "/opportunities/:id", S.OPPORTUNITIES_DELETE, "opportunities.DeleteOpportunity",
              "Delete an opportunity"),
    # Ideas
    RestRoute("GET", "/ideas", S.IDEAS_READ, "ideas.ListIdeas", "List ideas", shape=page),
    RestRoute("GET", "/ideas/:id", S.IDEAS_READ, "ideas.GetIdea", "Get one idea"),
    RestRoute("POST", "/ideas", S.IDEAS_WRITE, "ideas.CreateIdea", "Create an idea", status=201, body="json"),
    RestRoute("PATCH", "/ideas/:id", S.IDEAS_WRITE, "ideas.UpdateIdea", "Update an idea", body="json"),
    RestRoute("DELETE", "/ideas/:id", S.IDEAS_DELETE, "ideas.DeleteIdea", "Delete an idea"),
    # OKRs
    RestRoute("GET", "/okrs", S.OKRS_READ, "okrs.ListOkrs", "List OKRs", shape=page),
    RestRoute("GET", "/okrs/:id", S.OKRS_READ, "okrs.GetOkr", "Get one OKR"),
    RestRoute("POST", "/okrs", S.OKRS_WRITE, "okrs.CreateOkr", "Create an OKR", status=201, body="json"),
    RestRoute("PATCH", "/okrs/:id", S.OKRS_WRITE, "okrs.UpdateOkr", "Update an OKR", body="json"),
    RestRoute("DELETE", "/okrs/:id", S.OKRS_DELETE, "okrs.DeleteOkr", "Delete an OKR"),
    # Context units
    RestRoute("GET", "/context-units", S.CONTEXT_UNITS_READ, "context_units.ListContextUnits",
              "List context units", shape=page),
    RestRoute("GET", "/context-units/:id", S.CONTEXT_UNITS_READ, "context_units.GetContextUnit",
              "Get one context unit"),
    RestRoute("POST", "/context-units", S.CONTEXT_UNITS_WRITE, "context_units.CreateContextUnit",
              "Create a context unit", status=201, body="json"),
    RestRoute("PATCH", "/context-units/:id", S.CONTEXT_UNITS_WRITE, "context_units.UpdateContextUnit",
              "Update a context unit", body="json"),
    RestRoute("DELETE", "/context-units/:id", S.CONTEXT_UNITS_DELETE, "context_units.DeleteContextUnit",
              "Delete a context unit"),
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
