"""Merging a claim stated twice (api/claims/merge.py) and the merged-claim rule (merged.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.claims.filter import ClaimFilter
from api.claims.merge import merge_claims
from api.claims.repository import claim, claims_by_id, claims_count
from api.db import create_session_factory
from api.errors import DomainError, ErrorCode
from api.provenance.claim_comparison import comparisons
from api.provenance.service import attribution_table
from tests.support.stored import claim as stored_claim
from tests.support.stored import report, source


async def test_a_merge_moves_the_reports_to_the_kept_claim(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given one proposition stored twice, each reported by another agency
        kept = await stored_claim(session, "Kim besucht Wostotschny")
        twin = await stored_claim(session, "Kim besucht den Weltraumbahnhof Wostotschny")
        await report(session, kept, await source(session, "KCNA", reliability="A"))
        moved = await report(session, twin, await source(session, "Yonhap", reliability="A"))
        # when the twin is merged into the kept claim
        await merge_claims(session, keep_id=kept, keep_version=1, merge_id=twin, merge_version=1)
        owner = await session.scalar(
            select(attribution_table.c.claim_id).where(attribution_table.c.id == moved)
        )
        found = await comparisons(session, [kept, twin])
    # then the report belongs to the kept claim, which now has both origins
    assert owner == kept
    assert (found[kept].report_count, found[kept].independent_origin_count) == (2, 2)
    assert found[twin].report_count == 0


async def test_a_merged_claim_reads_as_the_kept_one_and_lists_nowhere(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        kept = await stored_claim(session, "Das Original")
        twin = await stored_claim(session, "Ein Duplikat")
        await merge_claims(session, keep_id=kept, keep_version=1, merge_id=twin, merge_version=1)
        read = await claims_by_id(session, [twin, kept])
        versions = dict((await session.execute(select(claim.c.id, claim.c.version))).all())
        counted = await claims_count(session, ClaimFilter())
    # the twin's id resolves to the kept claim; the kept claim gained a version; one listed
    assert read[twin]["id"] == kept and read[twin]["statement"] == "Das Original"
    assert versions[kept] == 2
    assert counted == 1


async def test_claims_merged_earlier_follow_to_the_new_kept_claim(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a merged into b, then b merged into c
        a, b, c = [await stored_claim(session, s) for s in ("Eins", "Zwei", "Drei")]
        await merge_claims(session, keep_id=b, keep_version=1, merge_id=a, merge_version=1)
        await merge_claims(session, keep_id=c, keep_version=1, merge_id=b, merge_version=2)
        pointers = dict((await session.execute(select(claim.c.id, claim.c.merged_into_id))).all())
    # then both point at c in one hop
    assert pointers == {a: c, b: c, c: None}


async def test_a_claim_cannot_be_merged_into_itself(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await stored_claim(session)
        with pytest.raises(DomainError, match="cannot be merged into itself"):
            await merge_claims(session, keep_id=pk, keep_version=1, merge_id=pk, merge_version=1)


async def test_a_merge_names_every_problem_of_both_claims(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a kept claim at version 1 and a claim already merged elsewhere
        kept, gone, other = [await stored_claim(session, s) for s in ("A", "B", "C")]
        await merge_claims(session, keep_id=other, keep_version=1, merge_id=gone, merge_version=1)
        # when a stale editor merges the merged claim into the kept one
        with pytest.raises(DomainError) as refused:
            await merge_claims(
                session, keep_id=kept, keep_version=3, merge_id=gone, merge_version=1
            )
        with pytest.raises(DomainError) as missing:
            await merge_claims(session, keep_id=kept, keep_version=1, merge_id=999, merge_version=1)
    # then the stale version and the earlier merge are both reported
    assert [(p.code, p.field) for p in refused.value.problems] == [
        (ErrorCode.CONFLICT, ("input", "keepVersion")),
        (ErrorCode.INVALID, ("input", "merge")),
    ]
    assert [p.code for p in missing.value.problems] == [ErrorCode.NOT_FOUND]
