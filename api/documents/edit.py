"""Rules for editing documents (not their text: quotes are offsets into it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.documents.service import check_publisher, check_url, document_table
from api.enums import DocumentField
from api.errors import Problems
from api.provenance.edit import rebuild_publisher_links
from api.revisions.service import update_versioned
from api.validation import MAX_TITLE_LENGTH, aware_time, cleared, language_tag, text_field


@dataclass(frozen=True)
class DocumentEdit:
    """The fields to change; None leaves a field as it is."""

    title: str | None = None
    language: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    publisher_id: int | None = None
    clear: frozenset[DocumentField] = frozenset()


async def update_document(
    session: AsyncSession, *, document_id: int, version: int, edit: DocumentEdit
) -> int:
    """Edit a document as of `version` with the rules of creation; CONFLICT when edited meanwhile.

    A new publisher is rewritten into the chains of the document's attributions too.
    """
    problems = Problems()
    values: dict[str, Any] = {}
    if edit.title is not None:
        title = text_field(problems, edit.title, "input", "title", max_length=MAX_TITLE_LENGTH)
        values["title"] = (title or "").strip()
    if edit.language is not None:
        values["language"] = language_tag(problems, edit.language, "input", "language")
    if edit.url is not None:
        values["url"] = await check_url(session, problems, edit.url, other_than=document_id)
    if edit.published_at is not None:
        values["published_at"] = aware_time(problems, edit.published_at, "input", "publishedAt")
    if edit.publisher_id is not None:
        await check_publisher(session, problems, edit.publisher_id)
        values["publisher_id"] = edit.publisher_id
    given = {"url": edit.url, "publishedAt": edit.published_at, "publisherId": edit.publisher_id}
    columns = {"url": "url", "publishedAt": "published_at", "publisherId": "publisher_id"}
    for name in cleared(problems, edit.clear, given):
        values[columns[name]] = None
    if not values and not problems:
        problems.invalid("give at least one field to change", "input")
    problems.raise_if_any()
    before = await session.scalar(
        select(document_table.c.publisher_id).where(document_table.c.id == document_id)
    )
    pk = await update_versioned(
        session, document_table, pk=document_id, version=version, values=values
    )
    if "publisher_id" in values and values["publisher_id"] != before:
        await rebuild_publisher_links(session, document_id=pk, publisher_id=values["publisher_id"])
    return pk
