"""Context documents in the graph (metadata only; raw storage keys are never exposed)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from ..resolvers import context_documents as resolvers
from ..scopes import Scope
from .common import DeleteResult, Node
from .context_units import IndexingStatus
from .inputs import provided
from .pagination import order_input
from .permissions import HasScope
from .resources import list_field, one_field

if TYPE_CHECKING:
    from .products import Product


ContextDocumentOrder: Any = order_input("ContextDocument")


@strawberry.type(
    description="A file of business context (text or binary), global or for one product; text documents are indexed "
    "for context search."
)
class ContextDocument(Node):
    id: strawberry.ID
    workspace_id: strawberry.ID
    file_name: str
    mime_type: str | None
    size: int | None = strawberry.field(description='Size of the stored content in bytes; null when unknown.')
    description: str | None
    product_id: strawberry.ID | None
    vector_file_id: str | None
    indexing_status: IndexingStatus = strawberry.field(description='Whether context search finds the current content yet; pending after every change to it.')
    created_at: datetime
    updated_at: datetime

    @strawberry.field(permission_classes=[HasScope(Scope.PRODUCTS_READ)])
    async def product(
        self, info: Info
    ) -> Annotated[Product, strawberry.lazy("signalgraph.schema.products")] | None:
        return await info.context.loaders.product_by_id.load(self.product_id) if self.product_id else None


@strawberry.type(
    description="A preview of a document's text; binary documents are stored but not previewable."
)
class ContextDocumentContent:
    supported: bool = strawberry.field(description="Whether the document's type can be previewed as text.")
    content: str | None = strawberry.field(description="Null when the document is not text-like.")
    content_format: str | None = strawberry.field(
        description="markdown, text, html, json or csv; null when unsupported."
    )
    truncated: bool = strawberry.field(description="Whether the content was cut at maxChars characters.")
    max_chars: int = strawberry.field(description='The longest preview served, in characters.')
    source_url: str | None = strawberry.field(description='Where the document came from, when it was imported from a URL; null otherwise.')
    source_label: str | None = strawberry.field(description='Display label of that source; null when there is none.')


@strawberry.input
class ContextDocumentFilter:
    product_id: strawberry.ID | None = strawberry.UNSET
    is_global: bool | None = strawberry.field(
        default=strawberry.UNSET,
        name="global",
        description="true: only global documents (no product); false: only product-scoped.",
    )
    search: str | None = strawberry.field(
        default=strawberry.UNSET, description="Matches fileName and description."
    )
    updated_since: datetime | None = strawberry.UNSET


@strawberry.input
class CreateContextDocumentInput:
    file_name: str = strawberry.field(description="Display file name with its extension; no path separators.")
    content: str = strawberry.field(description="Text, stored as UTF-8 bytes (at most 50 MB).")
    mime_type: str | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to text/markdown."
    )
    product_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description='The product the document is about; left out or null: global context.')
    description: str | None = strawberry.field(default=strawberry.UNSET, description='Human-readable context note; null: none.')


@strawberry.input(description="A new context document from an uploaded file.")
class UploadContextDocumentInput:
    file: Upload = strawberry.field(
        description="The file, sent as a GraphQL multipart request (at most 50 MB)."
    )
    product_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description='The product the document is about; left out or null: global context.')
    description: str | None = strawberry.field(default=strawberry.UNSET, description='Human-readable context note; null: none.')


@strawberry.input
class UpdateContextDocumentInput:
    file_name: str | None = strawberry.field(default=strawberry.UNSET, description='New display file name, with its extension.')
    description: str | None = strawberry.field(default=strawberry.UNSET, description='New context note; null clears it.')
    product_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Null makes the document global; a new scope makes it pending."
    )


@strawberry.type
class ContextDocumentQuery:
    context_document = one_field(resolvers.get_context_document, ContextDocument, Scope.CONTEXT_DOCUMENTS_READ)
    context_documents = list_field(resolvers.list_context_documents, ContextDocument, ContextDocumentFilter, ContextDocumentOrder, Scope.CONTEXT_DOCUMENTS_READ)

    @strawberry.field(permission_classes=[HasScope(Scope.CONTEXT_DOCUMENTS_READ)])
    async def context_document_content(self, info: Info, id: strawberry.ID) -> ContextDocumentContent | None:
        return await resolvers.get_document_content(info.context, id)


@strawberry.type
class ContextDocumentMutation:
    @strawberry.mutation(permission_classes=[HasScope(Scope.CONTEXT_DOCUMENTS_WRITE)])
    async def create_context_document(self, info: Info, input: CreateContextDocumentInput) -> ContextDocument:
        return await resolvers.create_context_document(info.context, provided(input))

    @strawberry.mutation(
        permission_classes=[HasScope(Scope.CONTEXT_DOCUMENTS_WRITE)],
        description="Creates a context document from a file sent as a GraphQL multipart request, and returns it.",
    )
    async def upload_context_document(self, info: Info, input: UploadContextDocumentInput) -> ContextDocument:
        return await resolvers.upload_context_document(info.context, input.file, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.CONTEXT_DOCUMENTS_WRITE)])
    async def update_context_document(
        self, info: Info, id: strawberry.ID, input: UpdateContextDocumentInput
    ) -> ContextDocument:
        return await resolvers.update_context_document(info.context, id, provided(input))

    @strawberry.mutation(permission_classes=[HasScope(Scope.CONTEXT_DOCUMENTS_DELETE)])
    async def delete_context_document(self, info: Info, id: strawberry.ID) -> DeleteResult:
        return DeleteResult(id=await resolvers.delete_context_document(info.context, id))
