"""createClaim: stores a statement in normal form, refuses what it must, writes nothing then."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient

MAX_STATEMENT = 2_000

CLAIM_COUNT = "{ claims { totalCount } }"


async def create(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    values = {"statement": "Putin nahm Kims Einladung an", "language": "de", **values}
    return await factories.mutate(gql, factories.CREATE_CLAIM, "createClaim", **values)


async def claim_count(gql: GraphQLClient) -> int:
    return int((await gql(CLAIM_COUNT))["claims"]["totalCount"])


async def test_creates_a_claim(gql: GraphQLClient) -> None:
    # when
    payload = await create(gql, statement="Putin accepted Kim's invitation", language="en-GB")
    # then
    assert payload["errors"] == []
    claim = payload["claim"]
    assert claim["statement"] == "Putin accepted Kim's invitation"
    assert claim["language"] == "en-GB"
    assert datetime.fromisoformat(claim["createdAt"]).utcoffset() is not None
    assert await claim_count(gql) == 1


@pytest.mark.parametrize("language", ["de", "en-GB"])
async def test_accepts_well_formed_language_tags(gql: GraphQLClient, language: str) -> None:
    # when
    payload = await create(gql, language=language)
    # then
    assert payload["errors"] == []
    assert payload["claim"]["language"] == language


@pytest.mark.parametrize(
    "statement",
    ["s" * MAX_STATEMENT, "🙂" * MAX_STATEMENT, "ü" * MAX_STATEMENT],
    ids=["ascii", "non-bmp", "umlaut"],
)
async def test_statement_of_exactly_the_limit_is_stored(gql: GraphQLClient, statement: str) -> None:
    # when: the limit counts code points, not bytes or UTF-16 units
    payload = await create(gql, statement=statement)
    # then
    assert payload["errors"] == []
    assert payload["claim"]["statement"] == statement
    assert await claim_count(gql) == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"statement": ""}, "statement"),
        ({"statement": "   "}, "statement"),
        ({"statement": "\n\t \u3000"}, "statement"),
        ({"statement": "s" * (MAX_STATEMENT + 1)}, "statement"),
        ({"statement": "🙂" * (MAX_STATEMENT + 1)}, "statement"),
        ({"statement": "nul\x00byte"}, "statement"),
        ({"language": "english"}, "language"),
        ({"language": "de_DE"}, "language"),
        ({"language": ""}, "language"),
        ({"language": "zz"}, "language"),
    ],
    ids=[
        "empty",
        "spaces",
        "unicode-whitespace",
        "oversized",
        "oversized-non-bmp",
        "nul",
        "language-english",
        "language-underscore",
        "language-empty",
        "language-zz",
    ],
)
async def test_refuses_bad_input_and_writes_nothing(
    gql: GraphQLClient, values: dict[str, Any], field: str
) -> None:
    # when
    payload = await create(gql, **values)
    # then
    assert payload["claim"] is None
    assert factories.problems(payload) == [("INVALID", ["input", field])]
    assert payload["errors"][0]["message"]
    assert await claim_count(gql) == 0


async def test_reports_every_problem_at_once(gql: GraphQLClient) -> None:
    # when
    payload = await create(gql, statement=" ", language="de_DE")
    # then
    assert payload["claim"] is None
    assert sorted(factories.problems(payload)) == [
        ("INVALID", ["input", "language"]),
        ("INVALID", ["input", "statement"]),
    ]
    assert await claim_count(gql) == 0


async def test_missing_required_field_is_a_graphql_error(gql: GraphQLClient) -> None:
    # when
    body = await gql.raw(factories.CREATE_CLAIM, {"input": {"statement": "Ohne Sprache"}})
    # then
    assert body["errors"] and "language" in body["errors"][0]["message"]
    assert await claim_count(gql) == 0


async def test_created_claim_can_be_refetched(gql: GraphQLClient) -> None:
    # given
    created = (await create(gql))["claim"]
    # when
    data = await gql(
        "query($id: ID!) { node(id: $id) { ... on Claim { id statement language createdAt } } }",
        {"id": created["id"]},
    )
    # then
    assert data["node"] == created
