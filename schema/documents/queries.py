"""documents: the document list, searched in each text's language."""

from __future__ import annotations

from api.documents.repository import documents_count, documents_page
from api.pagination import DOCUMENT_SEARCH, DOCUMENTS
from api.search import normalised
from schema.context import Info
from schema.documents.types import Document
from schema.pagination import Connection, connection, counter, page_request

DOCUMENTS_DESCRIPTION = (
    "Documents, newest first; search matches titles, urls and texts in their"
    " language, most relevant first."
)


async def resolve_documents(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    search: str | None = None,
) -> Connection[Document]:
    term = normalised(search)
    request = page_request(DOCUMENTS if term is None else DOCUMENT_SEARCH, first, after)
    support = await info.context.search.support(needed=term is not None)
    page = await info.context.loaders.read(lambda c: documents_page(c, request, term, support))
    return connection(
        page, Document.from_row, counter(info, lambda c: documents_count(c, term, support))
    )
