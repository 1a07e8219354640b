"""Creating, editing and searching sources (api/sources/service.py, repository.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import create_session_factory
from api.enums import SourceField, SourceKind, SourceReliability
from api.errors import DomainError, ErrorCode
from api.pagination import PageRequest
from api.search import SearchSupport
from api.sources.repository import sources_count, sources_page
from api.sources.service import NewSource, SourceEdit, create_source, source_table, update_source
from tests.support.stored import source

PERSON, AGENCY = SourceKind.PERSON, SourceKind.NEWS_AGENCY
FIRST_TEN = PageRequest(first=10, cursor=None)


async def _row(session: AsyncSession, pk: int) -> dict[str, object]:
    found = await session.execute(select(source_table).where(source_table.c.id == pk))
    return dict(found.mappings().one())


async def _names(session: AsyncSession, search: str, trigram: bool = False) -> list[str]:
    support = SearchSupport(trigram=trigram)
    page = await sources_page(session, FIRST_TEN, search, support)
    return [row["name"] for row in page.rows]


async def test_a_source_is_stored_trimmed_without_its_own_name_as_alias(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given aliases that repeat the name
        new = NewSource(
            " KCNA ",
            AGENCY,
            aliases=["KCNA", "Korean Central News Agency"],
            reliability=SourceReliability.E,
        )
        # when stored
        row = await _row(session, await create_source(session, new))
    # then the name is trimmed and not kept as its own alias; unset flags are false
    assert (row["name"], row["aliases"]) == ("KCNA", ["Korean Central News Agency"])
    assert (row["kind"], row["reliability"], row["state_affiliated"]) == ("NEWS_AGENCY", "E", False)


async def test_an_affiliation_must_name_a_stored_source(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        with pytest.raises(DomainError) as refused:
            await create_source(session, NewSource("Jack Watling", PERSON, affiliation_id=999))
    assert [(p.code, p.field) for p in refused.value.problems] == [
        (ErrorCode.NOT_FOUND, ("input", "affiliationId")),
    ]


async def test_an_affiliation_that_leads_back_is_a_cycle(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given Watling at RUSI, RUSI under the Ministry
        ministry = await source(session, "Ministry", kind=SourceKind.GOVERNMENT)
        rusi = await source(session, "RUSI", kind=SourceKind.THINK_TANK, affiliation_id=ministry)
        watling = await source(session, "Jack Watling", kind=PERSON, affiliation_id=rusi)
        # when the Ministry is made part of Watling, or of itself
        with pytest.raises(DomainError) as through_two:
            await update_source(
                session, source_id=ministry, version=1, edit=SourceEdit(affiliation_id=watling)
            )
        with pytest.raises(DomainError) as itself:
            await update_source(
                session, source_id=ministry, version=1, edit=SourceEdit(affiliation_id=ministry)
            )
    # then both are refused as cycles
    for refused in (through_two, itself):
        assert [p.message for p in refused.value.problems] == [
            "this affiliation would make a cycle"
        ]


async def test_an_affiliation_beside_the_chain_is_no_cycle(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given RUSI under the Ministry, and Watling on his own
        ministry = await source(session, "Ministry", kind=SourceKind.GOVERNMENT)
        rusi = await source(session, "RUSI", kind=SourceKind.THINK_TANK, affiliation_id=ministry)
        watling = await source(session, "Jack Watling", kind=PERSON)
        # when Watling joins RUSI
        await update_source(
            session, source_id=watling, version=1, edit=SourceEdit(affiliation_id=rusi)
        )
        row = await _row(session, watling)
    # then the affiliation is stored and the version moves on
    assert (row["affiliation_id"], row["version"]) == (rusi, 2)


async def test_a_cleared_affiliation_and_new_aliases_are_stored(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        rusi = await source(session, "RUSI", kind=SourceKind.THINK_TANK)
        watling = await source(session, "Jack Watling", kind=PERSON, affiliation_id=rusi)
        edit = SourceEdit(
            name="J. Watling",
            aliases=["J. Watling", "Jack Watling"],
            clear=frozenset({SourceField.AFFILIATION_ID}),
        )
        await update_source(session, source_id=watling, version=1, edit=edit)
        row = await _row(session, watling)
    assert (row["name"], row["aliases"], row["affiliation_id"]) == (
        "J. Watling",
        ["Jack Watling"],
        None,
    )


async def test_clearing_a_field_that_is_also_given_is_refused(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        rusi = await source(session, "RUSI", kind=SourceKind.THINK_TANK)
        watling = await source(session, "Jack Watling", kind=PERSON)
        edit = SourceEdit(affiliation_id=rusi, clear=frozenset({SourceField.AFFILIATION_ID}))
        with pytest.raises(DomainError) as refused:
            await update_source(session, source_id=watling, version=1, edit=edit)
        with pytest.raises(DomainError, match="give at least one field"):
            await update_source(session, source_id=watling, version=1, edit=SourceEdit())
    assert [p.code for p in refused.value.problems] == [ErrorCode.INVALID]


async def test_a_stale_or_missing_source_is_refused(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        kcna = await source(session, "KCNA")
        with pytest.raises(DomainError) as stale:
            await update_source(session, source_id=kcna, version=2, edit=SourceEdit(name="K"))
        with pytest.raises(DomainError) as missing:
            await update_source(session, source_id=999, version=1, edit=SourceEdit(name="K"))
    assert [p.code for p in stale.value.problems] == [ErrorCode.CONFLICT]
    assert [p.code for p in missing.value.problems] == [ErrorCode.NOT_FOUND]


async def test_a_source_is_found_by_an_alias_in_any_spelling(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given KCNA with its Korean name's German transliteration as an alias
        await source(session, "KCNA", aliases=["Koreanische Zentrale Nachrichtenagentur"])
        await source(session, "Yonhap")
        # when searched by a part of the alias, in capitals and without the umlaut rules
        found = await _names(session, "ZENTRALE")
        counted = await sources_count(session, "zentrale", SearchSupport(trigram=False))
        everything = await sources_count(session, None, SearchSupport(trigram=False))
    assert (found, counted, everything) == (["KCNA"], 1, 2)


async def test_a_misspelt_name_is_found_only_with_trigrams(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        await source(session, "Jack Watling", kind=PERSON)
        without = await _names(session, "Watlinng")
        with_trigrams = await _names(session, "Watlinng", trigram=True)
    assert (without, with_trigrams) == ([], ["Jack Watling"])
