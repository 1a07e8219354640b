"""compareSources: claims two sources report in common and apart, and how often they agree.

A source reports a claim when it stands anywhere in an attribution's chain (publisher,
source or via); its stance is that of the latest attribution whose chain contains it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient
from tests.support.sql import StatementCounter

COMPARE = """
query($a: ID!, $b: ID!) {
  compareSources(a: $a, b: $b) {
    a { id } b { id } agreementRate
    shared(first: 100) { totalCount edges { node { agrees claim { id } a { id } b { id } } } }
    onlyA(first: 100) { totalCount edges { node { id } } }
    onlyB(first: 100) { totalCount edges { node { id } } }
  }
}"""
LIST = """
query($a: ID!, $b: ID!, $first: Int, $after: String) {
  compareSources(a: $a, b: $b) {
    %s(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { %s } }
    }
  }
}"""
SHARED_NODE = "claim { id }"


def at(hour: int) -> str:
    return f"2023-09-14T{hour:02d}:00:00+00:00"


@dataclass(frozen=True)
class Sides:
    """What compareSources says, as ids."""

    shared: list[str]
    only_a: list[str]
    only_b: list[str]
    agreement_rate: float | None
    agreements: dict[str, tuple[set[str], set[str], bool]]  # claim -> (a ids, b ids, agrees)
    totals: tuple[int, int, int]


async def compare(gql: GraphQLClient, a: str, b: str) -> Sides:
    found = (await gql(COMPARE, {"a": a, "b": b}))["compareSources"]
    assert (found["a"]["id"], found["b"]["id"]) == (a, b)
    shared = [edge["node"] for edge in found["shared"]["edges"]]
    return Sides(
        shared=[node["claim"]["id"] for node in shared],
        only_a=[edge["node"]["id"] for edge in found["onlyA"]["edges"]],
        only_b=[edge["node"]["id"] for edge in found["onlyB"]["edges"]],
        agreement_rate=found["agreementRate"],
        agreements={
            node["claim"]["id"]: (
                {x["id"] for x in node["a"]},
                {x["id"] for x in node["b"]},
                node["agrees"],
            )
            for node in shared
        },
        totals=tuple(found[k]["totalCount"] for k in ("shared", "onlyA", "onlyB")),
    )


async def sources(gql: GraphQLClient, *names: str) -> list[str]:
    return [await factories.source(gql, name) for name in names]


async def test_a_source_reports_what_it_publishes_says_or_is_cited_for(gql: GraphQLClient) -> None:
    # given
    yonhap, kcna, reuters, kyodo = await sources(gql, "Yonhap", "KCNA", "Reuters", "Kyodo")
    claims = [await factories.claim(gql, f"Claim {n}") for n in range(5)]
    await factories.report(gql, claims[0], kcna, publisher=yonhap)  # both
    await factories.report(gql, claims[1], reuters, via=[kcna])  # KCNA cited
    await factories.report(gql, claims[2], kyodo, publisher=yonhap)  # Yonhap publishes
    await factories.report(gql, claims[3], yonhap, publisher=yonhap, via=[kcna])  # both
    await factories.report(gql, claims[4], kyodo)  # neither
    # when
    sides = await compare(gql, yonhap, kcna)
    # then: newest claim first
    assert sides.shared == [claims[3], claims[0]]
    assert (sides.only_a, sides.only_b) == ([claims[2]], [claims[1]])
    assert sides.totals == (2, 1, 1)
    assert sides.agreement_rate == 1.0


async def test_each_side_lists_the_attributions_whose_chain_holds_it(gql: GraphQLClient) -> None:
    # given: KCNA's own report in a Yonhap article, Reuters citing KCNA, Reuters alone
    yonhap, kcna, reuters = await sources(gql, "Yonhap", "KCNA", "Reuters")
    claim = await factories.claim(gql)
    in_yonhap = await factories.report(gql, claim, kcna, publisher=yonhap, reportedAt=at(9))
    citing = await factories.report(
        gql, claim, reuters, via=[kcna], stance="DENIES", reportedAt=at(10)
    )
    alone = await factories.report(gql, claim, reuters, reportedAt=at(8))
    # when
    kcna_reuters = await compare(gql, kcna, reuters)
    yonhap_reuters = await compare(gql, yonhap, reuters)
    # then: KCNA's and Reuters' latest reports are the denial they share
    assert kcna_reuters.agreements == {
        claim: ({in_yonhap["id"], citing["id"]}, {citing["id"], alone["id"]}, True)
    }
    # and: Yonhap only published KCNA's affirmation
    assert yonhap_reuters.agreements == {
        claim: ({in_yonhap["id"]}, {citing["id"], alone["id"]}, False)
    }
    assert (kcna_reuters.agreement_rate, yonhap_reuters.agreement_rate) == (1.0, 0.0)


async def test_a_source_twice_in_one_chain_lists_its_attribution_once(gql: GraphQLClient) -> None:
    yonhap, kcna = await sources(gql, "Yonhap", "KCNA")
    claim = await factories.claim(gql)
    attribution = await factories.report(gql, claim, kcna, publisher=yonhap, via=[yonhap])
    sides = await compare(gql, yonhap, kcna)
    assert sides.agreements == {claim: ({attribution["id"]}, {attribution["id"]}, True)}


async def test_agreement_rate_compares_latest_stances(gql: GraphQLClient) -> None:
    # given: A and B share five claims and agree on three; A alone reports a sixth
    a, b, c = await sources(gql, "A", "B", "C")
    claims = [await factories.claim(gql, f"Claim {n}") for n in range(6)]
    plan: list[tuple[int, str, str, str | None]] = [
        (0, a, "AFFIRMS", at(9)), (0, b, "AFFIRMS", at(9)),  # agree
        (1, a, "DENIES", at(9)), (1, b, "DENIES", at(9)),  # agree
        (2, a, "AFFIRMS", at(9)), (2, b, "DENIES", at(9)),  # disagree
        (3, a, "AFFIRMS", at(9)), (3, b, "AFFIRMS", at(9)),
        (3, a, "DENIES", at(10)),  # A changes its mind: disagree
        (4, a, "AFFIRMS", at(11)), (4, a, "DENIES", None), (4, b, "DENIES", at(9)),  # agree
        (5, a, "AFFIRMS", at(9)),
    ]  # fmt: skip
    for index, source, stance, reported_at in plan:
        await factories.report(gql, claims[index], source, stance=stance, reportedAt=reported_at)
    # when
    sides, alone = await compare(gql, a, b), await compare(gql, a, c)
    # then
    assert sides.agreement_rate == pytest.approx(3 / 5)
    assert {claim: found[2] for claim, found in sides.agreements.items()} == {
        claims[0]: True, claims[1]: True, claims[2]: False, claims[3]: False, claims[4]: True,
    }  # fmt: skip
    assert (sides.only_a, sides.only_b, sides.totals) == ([claims[5]], [], (5, 1, 0))
    assert (alone.agreement_rate, alone.shared, alone.totals) == (None, [], (0, 6, 0))


async def walk(gql: GraphQLClient, a: str, b: str, field: str, first: int) -> list[str]:
    """Every id of one list, `first` at a time, checking totals and page info on the way."""
    node = SHARED_NODE if field == "shared" else "id"
    seen: list[str] = []
    after: str | None = None
    while True:
        variables = {"a": a, "b": b, "first": first, "after": after}
        page = (await gql(LIST % (field, node), variables))["compareSources"][field]
        ids = [
            e["node"]["claim"]["id"] if field == "shared" else e["node"]["id"]
            for e in page["edges"]
        ]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        seen.extend(ids)
        if not page["pageInfo"]["hasNextPage"]:
            assert len(seen) == page["totalCount"]
            return seen
        assert len(ids) == first
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("first", [1, 2, 100])
async def test_lists_page_newest_first_with_cursors(gql: GraphQLClient, first: int) -> None:
    # given: ten claims, created in turn, reported in reverse order of creation
    a, b = await sources(gql, "A", "B")
    claims = [await factories.claim(gql, f"Claim {n}") for n in range(10)]
    reporters = {0: [a, b], 1: [a], 2: [b], 3: [a, b], 4: [a], 5: [a, b], 6: [a, b], 7: [b]}
    reporters |= {8: [a], 9: [a, b]}
    for n in reversed(range(10)):
        for source in reporters[n]:
            await factories.report(gql, claims[n], source)
    newest_first = list(reversed(claims))
    # when / then
    for field, wanted in [("shared", [a, b]), ("onlyA", [a]), ("onlyB", [b])]:
        expected = [c for c in newest_first if reporters[claims.index(c)] == wanted]
        assert await walk(gql, a, b, field, first) == expected, field


@pytest.mark.parametrize("field", ["shared", "onlyA", "onlyB"])
async def test_pages_are_at_most_100(gql: GraphQLClient, field: str) -> None:
    a, b = await sources(gql, "A", "B")
    variables = {"a": a, "b": b, "first": 101, "after": None}
    body = await gql.raw(LIST % (field, SHARED_NODE if field == "shared" else "id"), variables)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INVALID"]


async def unknown_ids(gql: GraphQLClient) -> dict[str, str]:
    claim = await factories.claim(gql)
    return {
        "unknown-source": factories.global_id("Source", 999_999),
        "claim-id": claim,
        "malformed": "not-an-id",
    }


@pytest.mark.parametrize("kind", ["unknown-source", "claim-id", "malformed"])
@pytest.mark.parametrize("side", ["a", "b"])
async def test_unknown_ids_give_null_and_not_found(
    gql: GraphQLClient, kind: str, side: str
) -> None:
    # given
    known = await factories.source(gql, "KCNA")
    bad = (await unknown_ids(gql))[kind]
    variables = {"a": known, "b": known, side: bad}
    # when
    body = await gql.raw(COMPARE, variables)
    # then
    assert body["data"] == {"compareSources": None}
    errors: list[dict[str, Any]] = body["errors"]
    assert [(e["path"], e["extensions"]["code"]) for e in errors] == [
        (["compareSources"], "NOT_FOUND")
    ]
    assert bad in errors[0]["message"]


SHARED_PAGE = """
query($a: ID!, $b: ID!) { compareSources(a: $a, b: $b) { shared(first: 100) { edges { node {
  agrees claim { id comparison { sourceCount } } a { id source { name } } b { id chain { name } }
} } } } }"""


async def test_shared_claims_with_their_attributions_cost_constant_statements(
    gql: GraphQLClient, sql_counter: StatementCounter
) -> None:
    # given: 3, then 30 shared claims
    a, b = await sources(gql, "A", "B")
    document = await factories.document(gql, publisherId=b, text=None)
    counts: list[int] = []
    for n in range(30):
        claim = await factories.claim(gql, f"Claim {n}")
        await factories.attribution(gql, claimId=claim, documentId=document, sourceId=a)
        if n in (2, 29):
            # when
            sql_counter.statements.clear()
            edges = (await gql(SHARED_PAGE, {"a": a, "b": b}))["compareSources"]["shared"]["edges"]
            counts.append(sql_counter.count)
            assert len(edges) == n + 1
    # then
    assert counts[0] == counts[1] <= 6, sql_counter.statements  # observed: 6


async def test_reports_of_one_claim_sent_at_once_are_all_stored(gql: GraphQLClient) -> None:
    # given
    yonhap, kcna = await sources(gql, "Yonhap", "KCNA")
    claim = await factories.claim(gql)
    document = await factories.document(gql, publisherId=yonhap, text=None)

    async def add(hour: int) -> dict[str, Any]:
        values = {
            "claimId": claim,
            "documentId": document,
            "sourceId": kcna,
            "reportedAt": at(hour),
        }
        return await factories.mutate(gql, factories.ADD_ATTRIBUTION, "addAttribution", **values)

    # when: an importer sends 20 reports of one claim at once
    payloads = await asyncio.gather(*(add(hour) for hour in range(20)))
    # then
    assert [payload["errors"] for payload in payloads] == [[]] * 20
    sides = await compare(gql, yonhap, kcna)
    assert len(sides.agreements[claim][0]) == 20
