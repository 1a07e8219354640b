"""Machine suggestions: counted or not on request, confirmed or rejected by an editor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests import factories
from tests.support.app import GraphQLClient

REVIEW = """
mutation($input: ReviewAttributionInput!) {
  reviewAttribution(input: $input) {
    attribution { id reviewStatus reviewedAt method extractorVersion }
    errors { message field code }
  }
}"""

COMPARISON = """
query($id: ID!, $include: Boolean!) {
  node(id: $id) {
    ... on Claim {
      comparison(includeSuggested: $include) {
        sourceCount reportCount suggestionCount leftOutCount affirmCount
      }
    }
  }
}"""

COMPARE = """
query($a: ID!, $b: ID!, $include: Boolean!) {
  compareSources(a: $a, b: $b, includeSuggested: $include) {
    shared { totalCount edges { node { a { id } b { id } } } }
    onlyA { totalCount }
  }
}"""


async def _suggest(db: AsyncEngine, attribution_id: str) -> None:
    """Turn a stored attribution into an unconfirmed machine suggestion."""
    pk = int(factories.decode(attribution_id))
    async with db.begin() as connection:
        await connection.execute(
            text(
                "UPDATE attribution SET method = 'EXTRACTED', extractor_version = 'test-1',"
                " review_status = 'SUGGESTED' WHERE id = :id"
            ),
            {"id": pk},
        )


async def _story(gql: GraphQLClient, db: AsyncEngine) -> dict[str, Any]:
    kcna, kyodo = await factories.source(gql, "KCNA"), await factories.source(gql, "Kyodo")
    document = await factories.document(gql)
    claim = await factories.claim(gql)
    curated = await factories.attribution(gql, claimId=claim, documentId=document, sourceId=kcna)
    suggested = await factories.attribution(gql, claimId=claim, documentId=document, sourceId=kyodo)
    await _suggest(db, suggested["id"])
    return {
        "kcna": kcna,
        "kyodo": kyodo,
        "claim": claim,
        "curated": curated["id"],
        "suggested": suggested["id"],
    }


async def _counts(gql: GraphQLClient, claim: str, include: bool) -> dict[str, int]:
    data = await gql(COMPARISON, {"id": claim, "include": include})
    counts: dict[str, int] = data["node"]["comparison"]
    return counts


async def test_suggestions_count_unless_left_out(gql: GraphQLClient, db: AsyncEngine) -> None:
    # given
    story = await _story(gql, db)
    # when
    included = await _counts(gql, story["claim"], True)
    excluded = await _counts(gql, story["claim"], False)
    shared_in = await gql(COMPARE, {"a": story["kcna"], "b": story["kyodo"], "include": True})
    shared_out = await gql(COMPARE, {"a": story["kcna"], "b": story["kyodo"], "include": False})
    # then
    assert included == {
        "sourceCount": 2,
        "reportCount": 2,
        "suggestionCount": 1,
        "leftOutCount": 0,
        "affirmCount": 2,
    }
    assert excluded == {
        "sourceCount": 1,
        "reportCount": 1,
        "suggestionCount": 0,
        "leftOutCount": 1,
        "affirmCount": 1,
    }
    assert shared_in["compareSources"]["shared"]["totalCount"] == 1
    assert shared_out["compareSources"]["shared"]["totalCount"] == 0
    assert shared_out["compareSources"]["onlyA"]["totalCount"] == 1


async def test_confirming_makes_a_suggestion_count_everywhere(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given
    story = await _story(gql, db)
    # when
    payload = await factories.mutate(
        gql, REVIEW, "reviewAttribution", attributionId=story["suggested"], status="CONFIRMED"
    )
    # then
    assert payload["errors"] == []
    reviewed = payload["attribution"]
    assert reviewed["reviewStatus"] == "CONFIRMED" and reviewed["reviewedAt"]
    assert (reviewed["method"], reviewed["extractorVersion"]) == ("EXTRACTED", "test-1")
    assert (await _counts(gql, story["claim"], False))["reportCount"] == 2
    compared = await gql(COMPARE, {"a": story["kcna"], "b": story["kyodo"], "include": False})
    assert compared["compareSources"]["shared"]["totalCount"] == 1


async def test_rejecting_keeps_the_attribution_but_counts_it_nowhere(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given
    story = await _story(gql, db)
    # when
    payload = await factories.mutate(
        gql, REVIEW, "reviewAttribution", attributionId=story["suggested"], status="REJECTED"
    )
    # then
    assert payload["attribution"]["reviewStatus"] == "REJECTED"
    counts = await _counts(gql, story["claim"], True)
    assert (counts["reportCount"], counts["leftOutCount"]) == (1, 1)
    compared = await gql(COMPARE, {"a": story["kcna"], "b": story["kyodo"], "include": True})
    assert compared["compareSources"]["shared"]["totalCount"] == 0
    refetched = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": story["suggested"]})
    assert refetched["node"] == {"id": story["suggested"]}


async def test_bad_reviews_are_refused(gql: GraphQLClient, db: AsyncEngine) -> None:
    story = await _story(gql, db)
    cases = [
        ({"attributionId": story["claim"], "status": "CONFIRMED"}, "NOT_FOUND"),
        (
            {"attributionId": factories.global_id("Attribution", 999), "status": "REJECTED"},
            "NOT_FOUND",
        ),
        ({"attributionId": story["suggested"], "status": "SUGGESTED"}, "INVALID"),
    ]
    for values, code in cases:
        payload = await factories.mutate(gql, REVIEW, "reviewAttribution", **values)
        assert [e["code"] for e in payload["errors"]] == [code]
    assert (await _counts(gql, story["claim"], False))["reportCount"] == 1
