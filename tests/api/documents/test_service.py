"""Creating and editing documents (api/documents/service.py, edit.py), called directly."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import create_session_factory
from api.documents.edit import DocumentEdit, update_document
from api.documents.service import NewDocument, create_document, document_table, text_sha256
from api.enums import ChainRole, DocumentField
from api.errors import DomainError, ErrorCode
from api.provenance.repository import ChainEntry, chains
from tests.support.stored import DAY, claim, document, report, source

URL = "https://www.zeit.de/news/2023-09/13/kim-putin"


async def _row(session: AsyncSession, pk: int) -> dict[str, object]:
    found = await session.execute(select(document_table).where(document_table.c.id == pk))
    return dict(found.mappings().one())


def test_a_text_is_fingerprinted_by_the_sha256_of_its_utf8() -> None:
    assert text_sha256("Grüße") == hashlib.sha256("Grüße".encode()).hexdigest()
    assert text_sha256("Grüße") != text_sha256("Grusse")
    assert len(text_sha256("")) == 64


async def test_a_document_is_stored_trimmed_with_its_fingerprint(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        new = NewDocument(" Kim trifft Putin ", "de", url=URL, published_at=DAY, text="Ein Text")
        row = await _row(session, await create_document(session, new))
    assert (row["title"], row["url"], row["published_at"]) == ("Kim trifft Putin", URL, DAY)
    assert (row["text"], row["text_sha256"]) == ("Ein Text", text_sha256("Ein Text"))


async def test_a_document_without_text_has_no_fingerprint(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        row = await _row(session, await document(session, text=None))
    assert (row["text"], row["text_sha256"]) == (None, None)


async def test_every_problem_of_a_new_document_is_reported(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a stored document at URL
        await document(session, url=URL)
        # when another comes with the same url, a blank text and an unknown publisher
        new = NewDocument("Zweiter Artikel", "de", url=URL, text="  ", publisher_id=999)
        with pytest.raises(DomainError) as refused:
            await create_document(session, new)
    # then all three are reported, each with its code
    assert [(p.code, p.field) for p in refused.value.problems] == [
        (ErrorCode.DUPLICATE, ("input", "url")),
        (ErrorCode.INVALID, ("input", "text")),
        (ErrorCode.NOT_FOUND, ("input", "publisherId")),
    ]


async def test_a_document_may_keep_its_own_url_but_not_take_another(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        first = await document(session, url=URL)
        second = await document(session, url=URL + "-2")
        await update_document(session, document_id=first, version=1, edit=DocumentEdit(url=URL))
        with pytest.raises(DomainError) as refused:
            await update_document(
                session, document_id=second, version=1, edit=DocumentEdit(url=URL)
            )
    assert [p.code for p in refused.value.problems] == [ErrorCode.DUPLICATE]


async def test_a_new_publisher_is_written_into_the_attributions_chains(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given an article of Die Zeit with dpa's report via KCNA, and one by Die Zeit itself
        zeit, welt = await source(session, "Die Zeit"), await source(session, "Die Welt")
        dpa, kcna = await source(session, "dpa"), await source(session, "KCNA")
        article = await document(session, publisher_id=zeit)
        by_dpa = await report(session, await claim(session), dpa, document_id=article, via=[kcna])
        by_welt = await report(session, await claim(session, "Zweite"), welt, document_id=article)
        # when the article turns out to be Die Welt's
        edit = DocumentEdit(publisher_id=welt)
        await update_document(session, document_id=article, version=1, edit=edit)
        found = await chains(session, [by_dpa, by_welt])
    # then dpa's chain names Die Welt first, via kept; Die Welt's own is not doubled
    assert found[by_dpa] == [
        ChainEntry(ChainRole.PUBLISHER, welt),
        ChainEntry(ChainRole.SOURCE, dpa),
        ChainEntry(ChainRole.VIA, kcna),
    ]
    assert found[by_welt] == [ChainEntry(ChainRole.SOURCE, welt)]


async def test_a_cleared_publisher_leaves_the_chains_without_one(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        zeit, dpa = await source(session, "Die Zeit"), await source(session, "dpa")
        article = await document(session, publisher_id=zeit)
        pk = await report(session, await claim(session), dpa, document_id=article)
        edit = DocumentEdit(clear=frozenset({DocumentField.PUBLISHER_ID}))
        await update_document(session, document_id=article, version=1, edit=edit)
        found = await chains(session, [pk])
        row = await _row(session, article)
    assert found[pk] == [ChainEntry(ChainRole.SOURCE, dpa)]
    assert (row["publisher_id"], row["version"]) == (None, 2)


async def test_a_stale_document_edit_changes_nothing(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        zeit, welt = await source(session, "Die Zeit"), await source(session, "Die Welt")
        article = await document(session, publisher_id=zeit)
        pk = await report(
            session, await claim(session), await source(session, "dpa"), document_id=article
        )
        with pytest.raises(DomainError) as refused:
            await update_document(
                session, document_id=article, version=2, edit=DocumentEdit(publisher_id=welt)
            )
        found = await chains(session, [pk])
    assert [p.code for p in refused.value.problems] == [ErrorCode.CONFLICT]
    assert found[pk][0] == ChainEntry(ChainRole.PUBLISHER, zeit)


async def test_an_edit_without_fields_is_refused(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await document(session)
        with pytest.raises(DomainError, match="give at least one field"):
            await update_document(session, document_id=pk, version=1, edit=DocumentEdit())
