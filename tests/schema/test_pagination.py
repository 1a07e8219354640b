"""Keyset pagination: stable pages, page info, limits, cursors, and the order of every list."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient

CLAIMS = """
query($first: Int, $after: String) {
  claims(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}"""

ATTRIBUTIONS = """
query($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Claim { attributions(first: $first, after: $after) { ...page } }
    ... on Document { attributions(first: $first, after: $after) { ...page } }
    ... on Source { attributions(first: $first, after: $after) { ...page } }
  }
}
fragment page on AttributionConnection {
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { id } }
}"""


async def claims_page(gql: GraphQLClient, **arguments: Any) -> dict[str, Any]:
    connection: dict[str, Any] = (await gql(CLAIMS, arguments))["claims"]
    return connection


async def attributions_page(gql: GraphQLClient, parent: str, **arguments: Any) -> dict[str, Any]:
    connection: dict[str, Any] = (await gql(ATTRIBUTIONS, {"id": parent, **arguments}))["node"][
        "attributions"
    ]
    return connection


def node_ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


async def claims(gql: GraphQLClient, count: int, prefix: str = "Claim") -> list[str]:
    """`count` new claims, newest first (as the list orders them)."""
    return [await factories.claim(gql, f"{prefix} {n}") for n in range(count)][::-1]


async def walk(gql: GraphQLClient, parent: str, first: int) -> list[str]:
    """Every attribution of `parent`, fetched `first` at a time."""
    seen: list[str] = []
    after = None
    while True:
        page = await attributions_page(gql, parent, first=first, after=after)
        seen += node_ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]


async def test_pages_are_stable_under_concurrent_inserts(gql: GraphQLClient) -> None:
    # given
    originals = await claims(gql, 7)
    first = await claims_page(gql, first=3)
    # when: new claims arrive between the pages
    await claims(gql, 2, "Neu")
    second = await claims_page(gql, first=3, after=first["pageInfo"]["endCursor"])
    third = await claims_page(gql, first=3, after=second["pageInfo"]["endCursor"])
    # then: every original exactly once, in order
    assert node_ids(first) + node_ids(second) + node_ids(third) == originals
    infos = [page["pageInfo"] for page in (first, second, third)]
    assert [(i["hasPreviousPage"], i["hasNextPage"]) for i in infos] == [
        (False, True),
        (True, True),
        (True, False),
    ]
    assert third["totalCount"] == 9


async def test_page_info_cursors_match_the_edges(gql: GraphQLClient) -> None:
    # given
    await claims(gql, 3)
    # when
    page = await claims_page(gql, first=2)
    # then
    info, edges = page["pageInfo"], page["edges"]
    assert (info["startCursor"], info["endCursor"]) == (edges[0]["cursor"], edges[-1]["cursor"])
    assert page["totalCount"] == 3


async def test_first_defaults_to_20(gql: GraphQLClient) -> None:
    # given
    await claims(gql, 21)
    # when
    page = await claims_page(gql)
    # then
    assert len(page["edges"]) == 20
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["totalCount"] == 21


async def test_first_zero_is_an_empty_page(gql: GraphQLClient) -> None:
    # given
    await claims(gql, 2)
    # when
    page = await claims_page(gql, first=0)
    # then
    assert page["edges"] == []
    assert (page["pageInfo"]["startCursor"], page["pageInfo"]["endCursor"]) == (None, None)
    assert page["totalCount"] == 2


async def test_first_of_100_is_allowed(gql: GraphQLClient) -> None:
    await claims(gql, 1)
    assert len((await claims_page(gql, first=100))["edges"]) == 1


LISTS = [
    "{ claims(first: $first) { totalCount } }",
    "{ sources(first: $first) { totalCount } }",
    "{ documents(first: $first) { totalCount } }",
    "{ claims { edges { node { attributions(first: $first) { totalCount } } } } }",
    "{ documents { edges { node { attributions(first: $first) { totalCount } } } } }",
]


@pytest.mark.parametrize("first", [101, 1000, -1])
@pytest.mark.parametrize("selection", LISTS)
async def test_first_out_of_range_is_a_graphql_error(
    gql: GraphQLClient, selection: str, first: int
) -> None:
    # given: one of everything, so that nested lists are resolved too
    source = await factories.source(gql)
    document = await factories.document(gql)
    claim = await factories.claim(gql)
    await factories.attribution(gql, claimId=claim, documentId=document, sourceId=source)
    # when
    body = await gql.raw(f"query($first: Int) {selection}", {"first": first})
    # then
    assert body["errors"]
    message = body["errors"][0]["message"]
    assert "first" in message and ("100" in message if first > 0 else "negative" in message)


def cursor(*parts: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode()


@pytest.mark.parametrize(
    "after",
    [
        "garbage",
        "",
        "!!!",
        cursor("claims", "yesterday", 1),
        cursor("claims", "2023-09-14T06:00:00+00:00"),
        cursor("claims", "2023-09-14T06:00:00+00:00", "1"),
        cursor("sources", "2023-09-14T06:00:00+00:00", 1),  # another list's cursor
        cursor("claim-attributions", "2023-09-14T06:00:00+00:00", 1),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
async def test_bad_after_is_a_clear_graphql_error(gql: GraphQLClient, after: str) -> None:
    # given
    await claims(gql, 2)
    # when
    body = await gql.raw(CLAIMS, {"first": 1, "after": after})
    # then
    assert body["errors"][0]["message"] == "after is not a cursor of this list (claims)"


async def test_a_real_cursor_of_another_list_is_refused(gql: GraphQLClient) -> None:
    # given
    await factories.source(gql)
    sources = await gql("{ sources { pageInfo { endCursor } } }")
    # when
    body = await gql.raw(CLAIMS, {"first": 1, "after": sources["sources"]["pageInfo"]["endCursor"]})
    # then
    assert "not a cursor of this list" in body["errors"][0]["message"]


async def test_cursor_with_an_out_of_range_id_is_a_clear_error(gql: GraphQLClient) -> None:
    await claims(gql, 1)
    body = await gql.raw(CLAIMS, {"after": cursor("claims", "2023-09-14T06:00:00+00:00", 2**64)})
    assert "not a cursor of this list" in body["errors"][0]["message"]


# Attributions of one claim, one document and (through its chain) one source.
# Each row: (reportedAt, quoteStart, quoteEnd) in factories.TEXT.
ROWS = [
    ("2023-09-14T08:00:00+00:00", 40, 44),  # a0: KCNA
    (None, None, None),  # a1: undated, unquoted
    ("2023-09-14T06:00:00+00:00", 0, 5),  # a2: Putin
    ("2023-09-14T08:00:00+00:00", 40, 56),  # a3: same time and start as a0, later id
    ("2023-09-13T00:00:00+00:00", None, None),  # a4
]
CLAIM_ORDER = [4, 2, 0, 3, 1]  # earliest first, ties by id ascending, undated last
SOURCE_ORDER = [3, 0, 2, 4, 1]  # newest first, ties by id descending, undated last
DOCUMENT_ORDER = [2, 0, 3, 1, 4]  # by quoteStart, ties by id ascending, unquoted last


async def reports(gql: GraphQLClient) -> tuple[dict[str, str], list[str]]:
    """A claim, document and source with the attributions of ROWS, in that order."""
    parents = {
        "Source": await factories.source(gql),
        "Document": await factories.document(gql),  # no publishedAt: undated stays undated
        "Claim": await factories.claim(gql),
    }
    ids: list[str] = []
    for reported_at, start, end in ROWS:
        extra = {} if start is None else {"quoteStart": start, "quoteEnd": end}
        attribution = await factories.attribution(
            gql,
            claimId=parents["Claim"],
            documentId=parents["Document"],
            sourceId=parents["Source"],
            reportedAt=reported_at,
            **extra,
        )
        ids.append(attribution["id"])
    return parents, ids


@pytest.mark.parametrize("first", [1, 2, 100])
@pytest.mark.parametrize(
    ("parent", "order"),
    [
        ("Claim", CLAIM_ORDER),
        ("Document", DOCUMENT_ORDER),
        ("Source", SOURCE_ORDER),
    ],
)
async def test_nested_attributions_are_ordered_and_walkable(
    gql: GraphQLClient, parent: str, order: list[int], first: int
) -> None:
    # given
    parents, ids = await reports(gql)
    # when
    seen = await walk(gql, parents[parent], first)
    # then
    assert seen == [ids[i] for i in order]
    assert (await attributions_page(gql, parents[parent], first=first))["totalCount"] == 5


async def test_nested_walk_is_stable_under_inserts(gql: GraphQLClient) -> None:
    # given
    parents, ids = await reports(gql)
    page = await attributions_page(gql, parents["Claim"], first=2)
    # when: an attribution that sorts before the cursor arrives
    await factories.attribution(
        gql,
        claimId=parents["Claim"],
        documentId=parents["Document"],
        sourceId=parents["Source"],
        reportedAt="2020-01-01T00:00:00+00:00",
    )
    rest = await attributions_page(
        gql, parents["Claim"], first=10, after=page["pageInfo"]["endCursor"]
    )
    # then
    assert node_ids(page) + node_ids(rest) == [ids[i] for i in CLAIM_ORDER]
    assert (rest["pageInfo"]["hasPreviousPage"], rest["pageInfo"]["hasNextPage"]) == (True, False)
    assert rest["totalCount"] == 6


async def test_nested_cursor_of_another_list_is_refused(gql: GraphQLClient) -> None:
    # given
    parents, _ = await reports(gql)
    claim_page = await attributions_page(gql, parents["Claim"], first=1)
    # when
    body = await gql.raw(
        ATTRIBUTIONS, {"id": parents["Document"], "after": claim_page["pageInfo"]["endCursor"]}
    )
    # then
    assert "not a cursor of this list (document-attributions)" in body["errors"][0]["message"]
