"""createDocument and updateDocument."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api import enums
from api.documents.edit import DocumentEdit, update_document
from api.documents.service import NewDocument, create_document
from schema.context import Info
from schema.documents.types import Document
from schema.errors import UserError
from schema.mutation_runner import Ids, MutationInput, MutationPayload, run_mutation
from schema.written import DOCUMENT

DocumentField = strawberry.enum(
    enums.DocumentField, description="An optional field an update may clear (set to null)."
)


@strawberry.input
class CreateDocumentInput(MutationInput):
    title: str
    language: str
    url: str | None = None
    published_at: datetime | None = None
    publisher_id: strawberry.ID | None = None
    text: str | None = None


@strawberry.type
class CreateDocumentPayload(MutationPayload):
    document: Document | None
    errors: list[UserError]


async def resolve_create_document(info: Info, input: CreateDocumentInput) -> CreateDocumentPayload:
    ids = Ids()
    publisher = ids.optional(input.publisher_id, "Source", "input", "publisherId")

    async def work(session: AsyncSession) -> int:
        new = NewDocument(
            title=input.title,
            language=input.language,
            url=input.url,
            published_at=input.published_at,
            publisher_id=publisher,
            text=input.text,
        )
        return await create_document(session, new)

    outcome = await run_mutation(info, work, ids, input, read_back=DOCUMENT)
    document = outcome.node(Document.from_row)
    return CreateDocumentPayload(
        document=document,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )


@strawberry.input(
    description=(
        "The fields to change; left out, a field stays as it is. The text cannot be edited:"
        " attributions quote it by offsets."
    )
)
class UpdateDocumentInput(MutationInput):
    id: strawberry.ID
    version: int = strawberry.field(
        description="The version the edit was based on; CONFLICT if it is no longer current."
    )
    title: str | None = None
    language: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    publisher_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A new publisher is rewritten into the source chains of its attributions.",
    )
    clear: list[DocumentField] = strawberry.field(  # type: ignore[valid-type]
        default_factory=list,
        description="Fields to set to null; a field cannot be both given and cleared.",
    )


@strawberry.type
class UpdateDocumentPayload(MutationPayload):
    document: Document | None
    errors: list[UserError]


async def resolve_update_document(info: Info, input: UpdateDocumentInput) -> UpdateDocumentPayload:
    ids = Ids()
    pk = ids.required(input.id, "Document", "input", "id")
    edit = DocumentEdit(
        title=input.title,
        language=input.language,
        url=input.url,
        published_at=input.published_at,
        publisher_id=ids.optional(input.publisher_id, "Source", "input", "publisherId"),
        clear=frozenset(input.clear),
    )

    async def work(session: AsyncSession) -> int:
        return await update_document(session, document_id=pk, version=input.version, edit=edit)

    outcome = await run_mutation(info, work, ids, input, read_back=DOCUMENT)
    document = outcome.node(Document.from_row)
    return UpdateDocumentPayload(
        document=document,
        errors=outcome.errors,
        client_mutation_id=input.client_mutation_id,
    )
