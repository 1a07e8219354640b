"""Reads of documents: keyset-paginated lists, searchable by title, url and text."""

from __future__ import annotations

from sqlalchemy import ColumnElement, true

from api.db import table_of
from api.documents.models import Document
from api.pagination import DOCUMENTS, Page, PageRequest
from api.repository import Executor, count_rows, fetch_page
from api.search import contains

document = table_of(Document)


def _matching(search: str | None) -> ColumnElement[bool]:
    if search is None:
        return true()
    return (
        contains(document.c.title, search)
        | contains(document.c.url, search)
        | contains(document.c.text, search)
    )


async def documents_page(db: Executor, request: PageRequest, search: str | None) -> Page:
    """Documents newest first (by creation, then id)."""
    return await fetch_page(db, document, DOCUMENTS, _matching(search), request)


async def documents_count(db: Executor, search: str | None) -> int:
    return await count_rows(db, document, _matching(search))
