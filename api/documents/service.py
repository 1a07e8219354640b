"""Rules for creating and editing documents."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import table_of
from api.documents.models import MAX_TEXT_LENGTH, Document
from api.errors import ErrorCode, Problems
from api.repository import existing_ids
from api.sources.models import Source
from api.validation import MAX_TITLE_LENGTH, aware_time, language_tag, text_field, url

document_table = table_of(Document)


@dataclass(frozen=True)
class NewDocument:
    title: str
    language: str
    url: str | None = None
    published_at: datetime | None = None
    publisher_id: int | None = None
    text: str | None = None


def text_sha256(text: str) -> str:
    """The fingerprint that lets importers recognise a text they already hold."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def create_document(session: AsyncSession, new: NewDocument) -> int:
    """Store a document and return its id; raises DomainError listing every problem."""
    problems = Problems()
    title = text_field(problems, new.title, "input", "title", max_length=MAX_TITLE_LENGTH)
    tag = language_tag(problems, new.language, "input", "language")
    address = await check_url(session, problems, new.url)
    published_at = aware_time(problems, new.published_at, "input", "publishedAt")
    body = text_field(
        problems, new.text, "input", "text", max_length=MAX_TEXT_LENGTH, required=False
    )
    if new.text is not None and body is not None and not body.strip():
        problems.invalid("text must not be empty; leave it out when there is none", "input", "text")
    if new.publisher_id is not None:
        await check_publisher(session, problems, new.publisher_id)
    problems.raise_if_any()
    assert title is not None and tag is not None
    result = await session.execute(
        insert(document_table)
        .values(
            title=title.strip(),
            language=tag,
            url=address,
            published_at=published_at,
            publisher_id=new.publisher_id,
            text=body,
            text_sha256=text_sha256(body) if body is not None else None,
        )
        .returning(document_table.c.id)
    )
    return int(result.scalar_one())


async def url_taken(session: AsyncSession, address: str, *, other_than: int | None = None) -> bool:
    query = select(document_table.c.id).where(document_table.c.url == address)
    if other_than is not None:
        query = query.where(document_table.c.id != other_than)
    found = await session.execute(query)
    return found.first() is not None


async def check_url(
    session: AsyncSession, problems: Problems, raw: str | None, *, other_than: int | None = None
) -> str | None:
    """A well-formed url no other document has, normalised; None when absent or wrong."""
    address = url(problems, raw, "input", "url")
    if address is not None and await url_taken(session, address, other_than=other_than):
        problems.add(ErrorCode.DUPLICATE, f"a document with url {address!r} exists", "input", "url")
    return address


async def check_publisher(session: AsyncSession, problems: Problems, publisher_id: int) -> None:
    if not await existing_ids(session, table_of(Source), [publisher_id]):
        problems.not_found("publisher names no source", "input", "publisherId")
