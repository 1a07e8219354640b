"""Reads of documents: keyset-paginated lists, searchable by title, url and text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select, true

from api.db import table_of
from api.documents.models import Document
from api.pagination import DOCUMENTS, Page, PageRequest
from api.repository import Executor
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
    key: Any = document.c.created_at
    query = (
        select(document, key.label("sort_key"))
        .where(_matching(search), DOCUMENTS.after(key, document.c.id, request.cursor))
        .order_by(*DOCUMENTS.order_by(key, document.c.id))
        .limit(request.first + 1)
    )
    return Page.of((await db.execute(query)).mappings().all(), request, DOCUMENTS)


async def documents_count(db: Executor, search: str | None) -> int:
    query = select(func.count()).select_from(document).where(_matching(search))
    return int((await db.execute(query)).scalar_one())
