"""Claim.comparison: sources, independent origins, latest stances, first report, batching."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient
from tests.support.sql import StatementCounter

PAGE = """
query($first: Int!) {
  claims(first: $first) { edges { node { id comparison {
    sourceCount independentOriginCount affirmCount denyCount contested
    consensusConfidence explanation quantityMin quantityMax
    firstReport { id source { name } }
  } } } }
}"""


def at(hour: int, zone: str = "+00:00") -> str:
    return f"2023-09-14T{hour:02d}:00:00{zone}"


def counts(found: dict[str, Any]) -> tuple[int, int, int, int]:
    keys = ("sourceCount", "independentOriginCount", "affirmCount", "denyCount")
    return tuple(found[key] for key in keys)


async def outlets(gql: GraphQLClient, n: int) -> list[str]:
    return [await factories.source(gql, f"Outlet {i}", "NEWS_OUTLET") for i in range(n)]


async def test_a_claim_without_reports(gql: GraphQLClient) -> None:
    # given
    claim = await factories.claim(gql)
    # when
    found = await factories.comparison(gql, claim)
    # then
    assert counts(found) == (0, 0, 0, 0)
    assert (found["contested"], found["consensusConfidence"], found["firstReport"]) == (
        False,
        0.0,
        None,
    )
    assert (found["quantityMin"], found["quantityMax"]) == (None, None)


async def test_ten_outlets_repeating_kcna_are_ten_sources_of_one_origin(
    gql: GraphQLClient,
) -> None:
    # given: each outlet is the attributed source and cites KCNA
    kcna = await factories.source(gql, "KCNA", stateAffiliated=True)
    claim = await factories.claim(gql)
    for outlet in await outlets(gql, 10):
        await factories.report(gql, claim, outlet, via=[kcna])
    # then
    assert counts(await factories.comparison(gql, claim)) == (10, 1, 10, 0)


async def test_kcna_quoted_in_ten_outlets_documents_is_one_source(gql: GraphQLClient) -> None:
    # given: KCNA is the attributed source; the outlets only publish
    kcna = await factories.source(gql, "KCNA", stateAffiliated=True)
    claim = await factories.claim(gql)
    for outlet in await outlets(gql, 10):
        attribution = await factories.report(gql, claim, kcna, publisher=outlet)
        assert [s["id"] for s in attribution["chain"]] == [outlet, kcna]
    # then
    assert counts(await factories.comparison(gql, claim)) == (1, 1, 1, 0)


async def test_origins_count_at_their_top_most_affiliation(gql: GraphQLClient) -> None:
    # given: two spokesmen of the Kremlin's press office, the Kremlin, a RUSI analyst and RUSI
    kremlin = await factories.source(gql, "Kremlin", "GOVERNMENT")
    office = await factories.source(gql, "Press office", "GOVERNMENT", affiliationId=kremlin)
    peskov = await factories.source(gql, "Dmitry Peskov", "PERSON", affiliationId=office)
    ushakov = await factories.source(gql, "Yuri Ushakov", "PERSON", affiliationId=office)
    tass = await factories.source(gql, "TASS", stateAffiliated=True)
    rusi = await factories.source(gql, "RUSI", "THINK_TANK")
    watling = await factories.source(gql, "Jack Watling", "PERSON", affiliationId=rusi)
    claim = await factories.claim(gql)
    # when
    await factories.report(gql, claim, peskov, publisher=tass)
    await factories.report(gql, claim, tass, via=[ushakov])
    await factories.report(gql, claim, kremlin)
    await factories.report(gql, claim, watling)
    await factories.report(gql, claim, rusi)
    # then: the Kremlin and RUSI
    assert counts(await factories.comparison(gql, claim)) == (5, 2, 5, 0)


async def test_unnamed_sources_count_once_per_citing_agency(gql: GraphQLClient) -> None:
    # given: one ANONYMOUS record cited by Kyodo (twice, once as its own document's source)
    # and by Reuters
    kyodo = await factories.source(gql, "Kyodo")
    reuters = await factories.source(gql, "Reuters")
    unnamed = await factories.source(gql, "unnamed sources", "ANONYMOUS")
    claim = await factories.claim(gql)
    await factories.report(gql, claim, kyodo, via=[unnamed])
    await factories.report(gql, claim, kyodo, via=[unnamed])
    one_kyodo = await factories.comparison(gql, claim)
    await factories.report(gql, claim, unnamed, publisher=kyodo)
    # when
    await factories.report(gql, claim, reuters, via=[unnamed])
    # then: Kyodo's unnamed sources and Reuters' unnamed sources
    assert counts(one_kyodo) == (1, 1, 1, 0)
    assert counts(await factories.comparison(gql, claim)) == (3, 2, 3, 0)


async def test_unnamed_sources_count_at_the_citing_sources_affiliation(
    gql: GraphQLClient,
) -> None:
    # given: Jack Watling and RUSI both cite unnamed sources
    rusi = await factories.source(gql, "RUSI", "THINK_TANK")
    watling = await factories.source(gql, "Jack Watling", "PERSON", affiliationId=rusi)
    unnamed = await factories.source(gql, "unnamed sources", "ANONYMOUS")
    claim = await factories.claim(gql)
    await factories.report(gql, claim, watling, via=[unnamed])
    await factories.report(gql, claim, rusi, via=[unnamed])
    # then
    assert counts(await factories.comparison(gql, claim)) == (2, 1, 2, 0)


async def test_affiliated_anonymous_origin_counts_at_its_affiliation(gql: GraphQLClient) -> None:
    # given: "US officials" belong to the US government; two agencies cite them
    government = await factories.source(gql, "US government", "GOVERNMENT")
    officials = await factories.source(gql, "US officials", "ANONYMOUS", affiliationId=government)
    claim = await factories.claim(gql)
    for agency in ("AP", "Reuters"):
        await factories.report(gql, claim, await factories.source(gql, agency), via=[officials])
    await factories.report(gql, claim, government)
    # then
    assert counts(await factories.comparison(gql, claim)) == (3, 1, 3, 0)


# (S's first report, S's second report) -> S's stance counts as the second unless noted.
STANCE_CASES = {
    "later-time-wins-over-storage": ((at(10), "AFFIRMS"), (at(9), "DENIES"), "AFFIRMS"),
    "same-time-latest-stored": ((at(9), "AFFIRMS"), (at(9), "DENIES"), "DENIES"),
    "time-zones-compared-as-instants": (
        (at(18, "+09:00"), "DENIES"),
        (at(10), "AFFIRMS"),
        "AFFIRMS",
    ),
    "undated-after-dated": ((None, "DENIES"), (at(9), "AFFIRMS"), "DENIES"),
    "two-undated-in-storage-order": ((None, "AFFIRMS"), (None, "DENIES"), "DENIES"),
}


@pytest.mark.parametrize("case", STANCE_CASES.values(), ids=STANCE_CASES.keys())
async def test_a_source_stands_by_its_latest_report(
    gql: GraphQLClient, case: tuple[tuple[str | None, str], tuple[str | None, str], str]
) -> None:
    # given: S reports twice, another source affirms
    first, second, expected = case
    s, other = await factories.source(gql, "S"), await factories.source(gql, "Other")
    claim = await factories.claim(gql)
    for reported_at, stance in (first, second):
        await factories.report(gql, claim, s, stance=stance, reportedAt=reported_at)
    await factories.report(gql, claim, other, reportedAt=at(1))
    # when
    found = await factories.comparison(gql, claim)
    # then
    denied = expected == "DENIES"
    assert counts(found) == (2, 2, 1 if denied else 2, 1 if denied else 0)
    assert found["contested"] is denied


async def test_one_source_changing_its_mind_is_not_contested(gql: GraphQLClient) -> None:
    s = await factories.source(gql, "S")
    claim = await factories.claim(gql)
    await factories.report(gql, claim, s, reportedAt=at(8))
    await factories.report(gql, claim, s, stance="DENIES", reportedAt=at(9))
    found = await factories.comparison(gql, claim)
    assert counts(found) == (1, 1, 0, 1)
    assert found["contested"] is False


async def test_first_report_is_the_earliest_instant(gql: GraphQLClient) -> None:
    # given: stored later, but 09:30Z is earlier than 10:00Z; the undated one comes last
    names = ("Undated", "Ten", "Half past nine")
    sources = [await factories.source(gql, name) for name in names]
    claim = await factories.claim(gql)
    await factories.report(gql, claim, sources[0])
    await factories.report(gql, claim, sources[1], reportedAt=at(10))
    earliest = await factories.report(gql, claim, sources[2], reportedAt="2023-09-14T18:30+09:00")
    # then
    first = (await factories.comparison(gql, claim))["firstReport"]
    assert (first["id"], first["source"]["name"]) == (earliest["id"], "Half past nine")


async def test_first_report_ties_go_to_the_one_stored_first(gql: GraphQLClient) -> None:
    a, b = await factories.source(gql, "A"), await factories.source(gql, "B")
    claim = await factories.claim(gql)
    stored_first = await factories.report(gql, claim, a, reportedAt=at(9))
    await factories.report(gql, claim, b, reportedAt=at(9))
    assert (await factories.comparison(gql, claim))["firstReport"]["id"] == stored_first["id"]


async def test_first_report_time_defaults_to_publication(gql: GraphQLClient) -> None:
    # given: an explicit 09:00 report, then one in a document published at 08:00
    a, b = await factories.source(gql, "A"), await factories.source(gql, "B")
    claim = await factories.claim(gql)
    await factories.report(gql, claim, a, reportedAt=at(9))
    published = await factories.report(gql, claim, b, published_at=at(8))
    # then
    first = (await factories.comparison(gql, claim))["firstReport"]
    assert (first["id"], first["reportedAt"]) == (published["id"], at(8))


async def test_first_report_of_undated_reports_is_the_one_stored_first(
    gql: GraphQLClient,
) -> None:
    a, b = await factories.source(gql, "A"), await factories.source(gql, "B")
    claim = await factories.claim(gql)
    stored_first = await factories.report(gql, claim, a)
    await factories.report(gql, claim, b)
    assert (await factories.comparison(gql, claim))["firstReport"]["id"] == stored_first["id"]


async def page_statements(
    gql: GraphQLClient, counter: StatementCounter, first: int
) -> tuple[int, list[Any]]:
    counter.statements.clear()
    edges = (await gql(PAGE, {"first": first}))["claims"]["edges"]
    return counter.count, edges


async def test_comparisons_of_a_page_cost_a_constant_number_of_statements(
    gql: GraphQLClient, sql_counter: StatementCounter
) -> None:
    # given: 50 claims, each reported in an outlet's article by Reuters, citing KCNA
    kcna, reuters = await factories.source(gql, "KCNA"), await factories.source(gql, "Reuters")
    outlet = await factories.source(gql, "Outlet", "NEWS_OUTLET")
    document = await factories.document(gql, publisherId=outlet, text=None)
    for n in range(50):
        claim = await factories.claim(gql, f"Claim {n}")
        await factories.attribution(
            gql, claimId=claim, documentId=document, sourceId=reuters, via=[kcna]
        )
    # when
    five, edges_5 = await page_statements(gql, sql_counter, 5)
    fifty, edges_50 = await page_statements(gql, sql_counter, 50)
    # then
    assert (len(edges_5), len(edges_50)) == (5, 50)
    for edge in edges_50:
        found = edge["node"]["comparison"]
        assert counts(found) == (1, 1, 1, 0)
        assert found["firstReport"]["source"]["name"] == "Reuters"
    assert five == fifty, sql_counter.statements
    assert fifty <= 4, sql_counter.statements  # claims page, comparisons, attributions, sources
