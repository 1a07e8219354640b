"""A claim as ClaimReview JSON-LD, read back by a JSON-LD processor (PyLD)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange.claimreview import export_claim_review
from tests.api.interchange.data import load_story
from tests.api.interchange.jsonld import expand

S = "http://schema.org/"
SUKHOI = "SELECT id FROM claim WHERE statement LIKE '%Sukhoi%'"


def values(node: dict[str, Any], term: str) -> list[Any]:
    return [v.get("@value", v.get("@id", v)) for v in node.get(S + term, [])]


async def review_of(db: AsyncEngine, query: str) -> dict[str, Any]:
    async with db.connect() as connection:
        claim_id = (await connection.execute(text(query))).scalar_one()
        found = await export_claim_review(connection, claim_id)
    assert found is not None
    return found


async def test_the_expanded_claim_review_names_the_claim_its_origin_and_appearances(
    db: AsyncEngine,
) -> None:
    # given
    await load_story(db)
    # when
    review = await review_of(db, SUKHOI)
    [node] = expand(review)
    # then
    assert node["@type"] == [S + "ClaimReview"]
    assert values(node, "claimReviewed") == [review["claimReviewed"]]
    [item] = node[S + "itemReviewed"]
    assert item["@type"] == [S + "Claim"]
    authors = [values(a, "name")[0] for a in item[S + "author"]]
    assert authors == ["Ungenannte Quellen (Kyodo)"]
    [first] = item[S + "firstAppearance"]
    assert first["@type"] == [S + "CreativeWork"]
    assert values(first, "url") == ["https://www.zeit.de/news/2023-09/14/kim-putin"]
    assert values(first, "headline")
    assert len(item[S + "appearance"]) == 1
    [published] = item[S + "datePublished"]
    assert published["@type"] == S + "Date"
    [rating] = node[S + "reviewRating"]
    assert 0 <= values(rating, "ratingValue")[0] <= 1
    assert values(rating, "ratingExplanation")


async def test_a_claim_of_many_sources_has_each_origin_once(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    # when
    review = await review_of(
        db, "SELECT claim_id FROM attribution GROUP BY claim_id ORDER BY count(*) DESC LIMIT 1"
    )
    # then
    identifiers = [a["identifier"] for a in review["itemReviewed"]["author"]]
    assert len(identifiers) == len(set(identifiers)) >= 1


async def test_retracted_attributions_are_left_out(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    async with db.connect() as connection:
        claim_id = (
            await connection.execute(
                text("SELECT claim_id FROM attribution WHERE review_status = 'RETRACTED'")
            )
        ).scalar_one()
        count = (
            await connection.execute(
                text(
                    "SELECT count(*) FROM attribution WHERE claim_id = :c"
                    " AND review_status NOT IN ('REJECTED', 'RETRACTED')"
                ),
                {"c": claim_id},
            )
        ).scalar_one()
        documents = (
            await connection.execute(
                text(
                    "SELECT count(DISTINCT document_id) FROM attribution WHERE claim_id = :c"
                    " AND review_status NOT IN ('REJECTED', 'RETRACTED')"
                ),
                {"c": claim_id},
            )
        ).scalar_one()
        # when
        review = await export_claim_review(connection, claim_id)
    # then
    assert review is not None
    assert len(review["itemReviewed"].get("appearance", [])) == documents
    assert ("reviewRating" in review) == (count > 0)


async def test_no_claim_no_review(db: AsyncEngine) -> None:
    async with db.connect() as connection:
        assert await export_claim_review(connection, 424242) is None
