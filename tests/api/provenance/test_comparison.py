"""How the sources of a claim agree (api/provenance/comparison.py), called directly.

Independence, the latest stance, consensus and quantity ranges are computed in SQL, so
each story stores its reports through the services and asks `comparisons` for one claim.
"""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.db import create_session_factory
from api.enums import QuantityBound, ReviewStatus, SourceKind, Stance
from api.provenance.claim_comparison import Comparison, comparisons
from api.provenance.review import review_attribution
from tests.support.stored import claim, report, source

EXACT, ABOUT = QuantityBound.EXACT, QuantityBound.APPROXIMATE
AT_MOST, AT_LEAST = QuantityBound.AT_MOST, QuantityBound.AT_LEAST


async def _compare(session: AsyncSession, claim_id: int, **options: bool) -> Comparison:
    return (await comparisons(session, [claim_id], **options))[claim_id]


async def test_a_claim_without_reports_has_no_support(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a claim nobody reported
        pk = await claim(session)
        # when compared
        found = await _compare(session, pk)
    # then it counts nothing and explains why
    assert (found.report_count, found.independent_origin_count, found.consensus_confidence) == (
        0,
        0,
        0.0,
    )
    assert found.explanation == "No reports: consensus 0."
    assert not found.contested


async def test_outlets_citing_one_agency_count_as_one_origin(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given Yonhap and Reuters, each reporting the claim via KCNA
        pk = await claim(session)
        kcna = await source(session, "KCNA", reliability="E")
        for name in ("Yonhap", "Reuters"):
            await report(session, pk, await source(session, name, reliability="A"), via=[kcna])
        # when compared
        found = await _compare(session, pk)
    # then two sources stand behind it, but one origin: KCNA
    assert (found.report_count, found.source_count, found.independent_origin_count) == (2, 2, 1)
    # and the repeat counts at a quarter: 1 - (1 - 0.9)(1 - 0.25 x 0.9)
    assert found.consensus_confidence == pytest.approx(1 - 0.1 * (1 - 0.225))


async def test_an_analyst_counts_at_the_top_of_his_affiliations(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given Jack Watling of RUSI, and RUSI itself, both affirming
        pk = await claim(session)
        rusi = await source(session, "RUSI", kind=SourceKind.THINK_TANK, reliability="B")
        watling = await source(session, "Jack Watling", kind=SourceKind.PERSON, affiliation_id=rusi)
        await report(session, pk, watling)
        await report(session, pk, rusi)
        # when compared
        found = await _compare(session, pk)
    # then they are one origin, named by the institution with the person in brackets
    assert (found.source_count, found.independent_origin_count) == (2, 1)
    assert "1 origin affirms: RUSI" in found.explanation


async def test_two_unrelated_sources_are_two_origins(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        pk = await claim(session)
        await report(session, pk, await source(session, "KCNA", reliability="A"))
        await report(session, pk, await source(session, "Yonhap", reliability="A"))
        found = await _compare(session, pk)
    assert found.independent_origin_count == 2
    # noisy-OR of two independent 0.9s
    assert found.consensus_confidence == pytest.approx(1 - 0.1 * 0.1)


async def test_anonymous_officials_count_once_per_citing_source(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given "officials" with no affiliation, cited by two outlets, once each
        pk = await claim(session)
        officials = await source(session, "officials", kind=SourceKind.ANONYMOUS)
        for name in ("NK News", "Yonhap"):
            outlet = await source(session, name, kind=SourceKind.NEWS_OUTLET)
            await report(session, pk, outlet, via=[officials])
        # when compared
        found = await _compare(session, pk)
    # then nobody can tell whether they are the same officials: two origins
    assert found.independent_origin_count == 2
    assert "officials cited by NK News" in found.explanation


async def test_a_denial_lowers_consensus_and_contests_the_claim(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given an A source affirming and an E source denying
        pk = await claim(session)
        await report(session, pk, await source(session, "KCNA", reliability="A"))
        yonhap = await source(session, "Yonhap", reliability="E")
        await report(session, pk, yonhap, stance=Stance.DENIES)
        found = await _compare(session, pk)
    # then consensus = A x (1 - D) = 0.9 x (1 - 0.3)
    assert found.consensus_confidence == pytest.approx(0.63)
    assert (found.affirm_count, found.deny_count, found.contested) == (1, 1, True)


async def test_only_a_sources_latest_stance_counts(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given Yonhap affirming on the first day and denying on the second
        pk = await claim(session)
        yonhap = await source(session, "Yonhap", reliability="B")
        await report(session, pk, yonhap, stance=Stance.DENIES, day=1)
        await report(session, pk, yonhap, day=0)
        found = await _compare(session, pk)
    # then it denies, its earlier affirmation is left out, and nothing affirms
    assert (found.affirm_count, found.deny_count, found.consensus_confidence) == (0, 1, 0.0)
    assert "Not counted: Yonhap's earlier report, since its latest report denies" in (
        found.explanation
    )


async def test_hedged_and_unrated_reports_weigh_less(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given an unrated source that reports "probably" (0.7)
        pk = await claim(session)
        await report(session, pk, await source(session, "Daily NK"), confidence=0.7)
        found = await _compare(session, pk)
    # then its strength is 0.55 x 0.7
    assert found.consensus_confidence == pytest.approx(0.55 * 0.7)


async def test_suggestions_count_unless_left_out_and_rejections_never(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given a confirmed report, a suggested one and a rejected one, from three agencies
        pk = await claim(session)
        await report(session, pk, await source(session, "KCNA", reliability="A"))
        await report(session, pk, await source(session, "Yonhap"), suggested=True)
        rejected = await report(session, pk, await source(session, "TASS"), suggested=True)
        await review_attribution(session, attribution_id=rejected, status=ReviewStatus.REJECTED)
        # when compared with and without suggestions
        everything = await _compare(session, pk)
        confirmed = await _compare(session, pk, include_suggested=False)
    # then the rejected report counts in neither, the suggestion only in the first
    assert (everything.report_count, everything.suggestion_count, everything.left_out_count) == (
        2,
        1,
        1,
    )
    assert (confirmed.report_count, confirmed.suggestion_count, confirmed.left_out_count) == (
        1,
        0,
        2,
    )


@pytest.mark.parametrize(
    ("first", "second", "contested"),
    [
        # "about 13" stands for [11.7, 14.3]: 11.7 exactly fits (numeric, not float)
        ((13, "km", ABOUT), (11.7, "km", EXACT), False),
        ((10, "km", EXACT), (20, "km", EXACT), True),
        ((10, "km", AT_MOST), (5, "km", AT_LEAST), False),
        ((5, "km", AT_MOST), (10, "km", AT_LEAST), True),
        ((13, "km", ABOUT), (14.4, "km", EXACT), True),
        # units compare ignoring case and spaces; other units are never compared
        ((10, "km", EXACT), (20, " KM ", EXACT), True),
        ((10, "km", EXACT), (20, "t", EXACT), False),
    ],
)
async def test_quantities_conflict_when_their_ranges_do_not_meet(
    db: AsyncEngine,
    first: tuple[float, str, QuantityBound],
    second: tuple[float, str, QuantityBound],
    contested: bool,
) -> None:
    async with create_session_factory(db).begin() as session:
        # given two agencies affirming the claim with a figure each
        pk = await claim(session)
        await report(session, pk, await source(session, "KCNA"), quantity=first)
        await report(session, pk, await source(session, "Yonhap"), quantity=second, day=1)
        # when compared
        found = await _compare(session, pk)
    # then the claim is contested exactly when the ranges are disjoint
    assert found.contested is contested
    assert (found.affirm_count, found.deny_count) == (2, 0)


async def test_the_figures_shown_are_those_of_the_most_reported_unit(db: AsyncEngine) -> None:
    async with create_session_factory(db).begin() as session:
        # given two figures in km, one in miles, and a denial with its own figure
        pk = await claim(session)
        await report(session, pk, await source(session, "A"), quantity=(5, "miles", EXACT))
        await report(session, pk, await source(session, "B"), quantity=(8, "km", EXACT), day=1)
        await report(session, pk, await source(session, "C"), quantity=(9, "km", ABOUT), day=2)
        await report(
            session,
            pk,
            await source(session, "D"),
            quantity=(500, "km", EXACT),
            stance=Stance.DENIES,
            day=3,
        )
        found = await _compare(session, pk)
    # then min and max are the km figures; the denial's figure counts for nothing
    assert (found.quantity_min, found.quantity_max) == (8, 9)
