"""Creating, editing and listing claims (api/claims/service.py, filter.py, repository.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.claims.filter import ClaimFilter
from api.claims.repository import claim, claims_count, claims_page
from api.claims.service import create_claim, update_claim
from api.db import create_session_factory
from api.enums import ReviewStatus
from api.errors import DomainError, ErrorCode
from api.pagination import PageRequest
from api.provenance.review import review_attribution
from tests.support.stored import claim as stored_claim
from tests.support.stored import document, report, source

FIRST_TEN = PageRequest(first=10, cursor=None)


async def _listed(session: AsyncSession, where: ClaimFilter) -> list[str]:
    page = await claims_page(session, FIRST_TEN, where)
    return [row["statement"] for row in page.rows]


async def test_a_claim_is_stored_trimmed(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await create_claim(session, statement="  Kim besucht Wostotschny \n", language="de")
        row = (await session.execute(select(claim).where(claim.c.id == pk))).mappings().one()
    assert (row["statement"], row["language"], row["version"]) == (
        "Kim besucht Wostotschny",
        "de",
        1,
    )


async def test_every_problem_of_a_new_claim_is_reported_at_once(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        with pytest.raises(DomainError) as refused:
            await create_claim(session, statement="   ", language="not a tag!")
    assert [p.field for p in refused.value.problems] == [
        ("input", "statement"),
        ("input", "language"),
    ]


async def test_an_edit_needs_the_current_version(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a claim edited once (now at version 2)
        pk = await stored_claim(session, "Kim besucht eine Fabrik")
        await update_claim(session, claim_id=pk, version=1, statement="Kim besucht zwei Fabriken")
        # when a second editor edits the version she read before
        with pytest.raises(DomainError) as refused:
            await update_claim(session, claim_id=pk, version=1, language="en")
        row = (await session.execute(select(claim).where(claim.c.id == pk))).mappings().one()
    # then hers is refused as stale and the first edit stands
    assert [p.code for p in refused.value.problems] == [ErrorCode.CONFLICT]
    assert (row["statement"], row["language"], row["version"]) == (
        "Kim besucht zwei Fabriken",
        "de",
        2,
    )


async def test_an_edit_without_fields_is_refused(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await stored_claim(session)
        with pytest.raises(DomainError, match="give a new statement, language or both"):
            await update_claim(session, claim_id=pk, version=1)


async def test_a_source_filter_lists_the_claims_in_its_chains(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given KCNA cited by Yonhap for one claim, and Yonhap alone for another
        kcna, yonhap = await source(session, "KCNA"), await source(session, "Yonhap")
        cited = await stored_claim(session, "Kim reist nach Russland")
        await report(session, cited, yonhap, via=[kcna])
        await report(session, await stored_claim(session, "Putin empfängt Kim"), yonhap)
        await stored_claim(session, "Niemand berichtet dies")
        # when claims are listed for each source
        of_kcna = await _listed(session, ClaimFilter(source_id=kcna))
        of_yonhap = await _listed(session, ClaimFilter(source_id=yonhap))
        counted = await claims_count(session, ClaimFilter(source_id=kcna))
    # then a source cited along the chain reports the claim too
    assert of_kcna == ["Kim reist nach Russland"]
    assert of_yonhap == ["Putin empfängt Kim", "Kim reist nach Russland"]
    assert counted == 1


async def test_a_document_filter_leaves_out_rejected_attributions(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a document with one confirmed and one rejected attribution
        kcna, article = await source(session, "KCNA"), await document(session)
        await report(session, await stored_claim(session, "Bestätigt"), kcna, document_id=article)
        rejected = await report(
            session,
            await stored_claim(session, "Verworfen"),
            kcna,
            document_id=article,
            suggested=True,
        )
        await review_attribution(session, attribution_id=rejected, status=ReviewStatus.REJECTED)
        # when the document's claims are listed
        listed = await _listed(session, ClaimFilter(document_id=article))
    # then the rejected one links nothing
    assert listed == ["Bestätigt"]


async def test_a_search_lists_statement_matches_before_other_matches(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given an older claim naming Wostotschny, and a newer one whose source is named so
        await stored_claim(session, "Kim besucht Wostotschny")
        newer = await stored_claim(session, "Kim besucht einen Weltraumbahnhof")
        await report(session, newer, await source(session, "Vostochny Press"))
        await stored_claim(session, "Putin empfängt Kim")
        # when searched in the English spelling
        listed = await _listed(session, ClaimFilter(search="Vostochny"))
        counted = await claims_count(session, ClaimFilter(search="Vostochny"))
    # then the statement match comes first though older, and the unrelated claim not at all
    assert listed == ["Kim besucht Wostotschny", "Kim besucht einen Weltraumbahnhof"]
    assert counted == 2
