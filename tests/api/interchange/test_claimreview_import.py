"""ClaimReview records written by others become sources, documents, claims, attributions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.enums import Stance
from api.interchange.claimreview_import import (
    ClaimReviewAborted,
    ClaimReviewReport,
    import_claim_reviews,
)
from api.interchange.ratings import Rating, UnratedReview, stance_of
from tests.api.interchange.data import counts
from tests.api.interchange.jsonld import FIXTURES

ATTRIBUTIONS = """
SELECT c.statement, s.name AS source, s.kind, d.url, a.stance, a.confidence, a.reported_at,
       a.method, a.review_status,
       ARRAY(SELECT x.name FROM attribution_chain ch JOIN source x ON x.id = ch.source_id
             WHERE ch.attribution_id = a.id ORDER BY ch.position) AS chain
FROM attribution a JOIN claim c ON c.id = a.claim_id JOIN source s ON s.id = a.source_id
JOIN document d ON d.id = a.document_id ORDER BY a.id
"""


def feed(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


async def run(db: AsyncEngine, data: object, strict: bool = False) -> ClaimReviewReport:
    async with create_session_factory(db).begin() as session:
        return await import_claim_reviews(session, data, strict=strict)


async def rows(db: AsyncEngine) -> list[dict[str, Any]]:
    async with db.connect() as connection:
        return [dict(r) for r in (await connection.execute(text(ATTRIBUTIONS))).mappings()]


async def test_a_fact_check_tools_answer_becomes_attributions(db: AsyncEngine) -> None:
    # when
    report = await run(db, feed("factcheck-claims-search.json"))
    # then
    assert report.reviews == 5
    assert [where for where, _ in report.errors] == ["claims[2].claimReview[1]"]
    assert "Satire" in report.errors[0][1]
    found = await rows(db)
    checkers = {
        (r["source"], r["url"]): r
        for r in found
        if r["source"] != r["chain"][0] or len(r["chain"]) == 1
    }
    nord = checkers[
        ("Faktencheck Nord", "https://faktencheck-nord.example/2023/09/kim-sukhoi-werk")
    ]
    assert (nord["stance"], nord["confidence"]) == ("AFFIRMS", 1.0)
    assert nord["kind"] == "NEWS_OUTLET"
    assert (nord["method"], nord["review_status"]) == ("EXTRACTED", "SUGGESTED")
    assert nord["reported_at"].isoformat() == "2023-09-16T08:30:00+00:00"
    context = checkers[
        ("Pacific Fact Desk", "https://pacificfactdesk.example/checks/russia-11-million-shells")
    ]
    assert (context["stance"], context["confidence"]) == ("DENIES", 0.75)
    # the claimant said it, as the review reports: checker > claimant
    kyodo = [r for r in found if r["source"] == "Kyodo News"]
    assert {tuple(r["chain"]) for r in kyodo} == {
        ("Faktencheck Nord", "Kyodo News"),
        ("Pacific Fact Desk", "Kyodo News"),
    }
    assert all(r["stance"] == "AFFIRMS" and r["confidence"] == 1.0 for r in kyodo)
    # two reviews of one claim: one claim
    statements = {r["statement"] for r in found}
    assert len(statements) == 3


async def test_claimreview_markup_maps_claimant_appearances_and_ratings(db: AsyncEngine) -> None:
    # when
    report = await run(db, feed("claimreview-markup.jsonld"))
    # then
    assert [where for where, _ in report.errors] == ["item 3"]
    found = await rows(db)
    kcna = [r for r in found if r["source"] == "KCNA"]
    assert sorted(r["url"] for r in kcna) == [
        "https://agentur-nord.example/2023/09/14/kim-putin-einladung",
        "https://www.kcna.kp/en/article/q/putin-accepted-invitation.kcmsf",
    ]
    checkpoint = next(r for r in found if r["source"] == "Checkpoint Ost")
    assert (checkpoint["stance"], checkpoint["confidence"]) == ("AFFIRMS", 0.75)
    shoigu = next(r for r in found if r["source"] == "Anonymous Telegram channel")
    assert shoigu["kind"] == "PERSON" and shoigu["url"] == "https://t.me/s/example_channel/48213"
    numbers = next(r for r in found if r["source"] == "Numbers Check")
    assert (numbers["stance"], numbers["confidence"]) == ("DENIES", 0.8)  # 2 on 0..10


async def test_importing_a_feed_twice_adds_nothing(db: AsyncEngine) -> None:
    # given
    await run(db, feed("claimreview-markup.jsonld"))
    before = await counts(db)
    # when
    again = await run(db, feed("claimreview-markup.jsonld"))
    # then
    assert sum(again.created.values()) == 0
    assert await counts(db) == before


async def test_strict_stops_at_the_first_unreadable_review(db: AsyncEngine) -> None:
    # given
    before = await counts(db)
    # when
    with pytest.raises(ClaimReviewAborted, match=r"claims\[2\].claimReview\[1\]"):
        await run(db, feed("factcheck-claims-search.json"), strict=True)
    # then
    assert await counts(db) == before


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        (Rating("False"), (Stance.DENIES, 1.0)),
        (Rating("Pants on Fire!"), (Stance.DENIES, 1.0)),
        (Rating("Mostly False"), (Stance.DENIES, 0.75)),
        (Rating("Half True"), (Stance.AFFIRMS, 0.5)),
        (Rating("Mostly true"), (Stance.AFFIRMS, 0.75)),
        (Rating("TRUE"), (Stance.AFFIRMS, 1.0)),
        (Rating("Falsch"), (Stance.DENIES, 1.0)),
        (Rating(None, 1, 5, 1), (Stance.DENIES, 1.0)),
        (Rating(None, 4, 5, 1), (Stance.AFFIRMS, 0.75)),
        (Rating("Five stars of doom", 5, 5, 1), (Stance.AFFIRMS, 1.0)),
    ],
)
def test_ratings_map_to_a_stance_and_a_confidence(
    rating: Rating, expected: tuple[Stance, float]
) -> None:
    assert stance_of(rating) == expected


@pytest.mark.parametrize("rating", [Rating("Unproven"), Rating("Who knows"), Rating(None, 3)])
def test_ratings_that_judge_no_truth_give_no_stance(rating: Rating) -> None:
    with pytest.raises(UnratedReview):
        stance_of(rating)
