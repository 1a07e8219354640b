"""An editor's verdicts on attributions (api/provenance/review.py), called directly."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.enums import ReviewStatus
from api.errors import DomainError, ErrorCode
from api.provenance.claim_comparison import comparisons
from api.provenance.review import (
    hard_retract_attribution,
    retract_attribution,
    review_attribution,
)
from api.provenance.service import attribution_table
from tests.support.stored import claim, report, source


async def test_a_review_confirms_or_rejects_and_nothing_else(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await report(
            session, await claim(session), await source(session, "KCNA"), suggested=True
        )
        with pytest.raises(DomainError) as refused:
            await review_attribution(session, attribution_id=pk, status=ReviewStatus.RETRACTED)
        await review_attribution(session, attribution_id=pk, status=ReviewStatus.CONFIRMED)
        status = await session.scalar(
            select(attribution_table.c.review_status).where(attribution_table.c.id == pk)
        )
    assert [p.field for p in refused.value.problems] == [("input", "status")]
    assert status == "CONFIRMED"


async def test_a_retraction_is_final_and_counts_nowhere(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a retracted report, the claim's only one
        claim_id = await claim(session)
        pk = await report(session, claim_id, await source(session, "KCNA"))
        await retract_attribution(session, attribution_id=pk, version=1, reason=" misquoted ")
        # when an editor tries to confirm it again
        with pytest.raises(DomainError) as refused:
            await review_attribution(session, attribution_id=pk, status=ReviewStatus.CONFIRMED)
        row = (
            (await session.execute(select(attribution_table).where(attribution_table.c.id == pk)))
            .mappings()
            .one()
        )
        found = (await comparisons(session, [claim_id]))[claim_id]
    # then it stays retracted, with its reason, and the claim has no counted report
    assert [p.code for p in refused.value.problems] == [ErrorCode.NOT_FOUND]
    assert (row["review_status"], row["retraction_reason"]) == ("RETRACTED", "misquoted")
    assert (found.report_count, found.left_out_count) == (0, 1)


async def test_a_stale_retraction_is_a_conflict(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await report(session, await claim(session), await source(session, "KCNA"))
        with pytest.raises(DomainError) as refused:
            await retract_attribution(session, attribution_id=pk, version=2, reason="wrong")
    assert [p.code for p in refused.value.problems] == [ErrorCode.CONFLICT]


async def test_a_hard_retraction_removes_the_attribution(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await report(session, await claim(session), await source(session, "KCNA"))
        await hard_retract_attribution(session, attribution_id=pk, version=1, reason="libel")
        left = await session.scalar(
            select(attribution_table.c.id).where(attribution_table.c.id == pk)
        )
    assert left is None
