"""createDocument."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from api.documents.service import NewDocument, create_document
from schema.context import Info
from schema.errors import UserError
from schema.mutations.base import Ids, run_mutation
from schema.types import Document


@strawberry.input
class CreateDocumentInput:
    title: str
    language: str
    url: str | None = None
    published_at: datetime | None = None
    publisher_id: strawberry.ID | None = None
    text: str | None = None


@strawberry.type
class CreateDocumentPayload:
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

    outcome = await run_mutation(info, work, ids)
    document = await outcome.node(info.context.loaders.document, Document.from_row)
    return CreateDocumentPayload(document=document, errors=outcome.errors)
