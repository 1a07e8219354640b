"""Claim.comparison of numbers: quantities stand for ranges, compared within one unit.

EXACT v is [v, v], APPROXIMATE v is [0.9v, 1.1v], AT_MOST v is (-inf, v], AT_LEAST v is
[v, inf). Reports contest a claim when their ranges in one unit have no common point;
quantityMin and quantityMax are the values affirming reports give in the most reported unit.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient

UNIT = "million shells"
Bounded = tuple[str, float]


def quantity(bound: str, value: float, unit: str = UNIT) -> dict[str, Any]:
    return {"bound": bound, "value": value, "unit": unit}


async def affirmed(gql: GraphQLClient, *quantities: dict[str, Any]) -> dict[str, Any]:
    """The comparison of a claim that one source per quantity affirms with that quantity."""
    claim = await factories.claim(gql, "North Korea shipped artillery shells to Russia")
    for n, given in enumerate(quantities):
        source = await factories.source(gql, f"Source {n}")
        await factories.report(gql, claim, source, quantity=given)
    return await factories.comparison(gql, claim)


PAIRS = {
    "up-to-11-and-7": (("AT_MOST", 11), ("EXACT", 7), False),
    "exactly-7-and-at-least-10": (("EXACT", 7), ("AT_LEAST", 10), True),
    "about-10-and-exactly-11": (("APPROXIMATE", 10), ("EXACT", 11), False),
    "about-10-and-exactly-9": (("APPROXIMATE", 10), ("EXACT", 9), False),
    "about-10-and-exactly-11.5": (("APPROXIMATE", 10), ("EXACT", 11.5), True),
    "about-10-and-exactly-8.9": (("APPROXIMATE", 10), ("EXACT", 8.9), True),
    "about-10-and-about-12": (("APPROXIMATE", 10), ("APPROXIMATE", 12), False),
    "about-10-and-about-12.5": (("APPROXIMATE", 10), ("APPROXIMATE", 12.5), True),
    "at-most-5-and-at-least-5": (("AT_MOST", 5), ("AT_LEAST", 5), False),
    "at-most-5-and-at-least-6": (("AT_MOST", 5), ("AT_LEAST", 6), True),
    "exactly-7-twice": (("EXACT", 7), ("EXACT", 7), False),
    "exactly-7-and-7.5": (("EXACT", 7), ("EXACT", 7.5), True),
    "at-least-10-and-up-to-11": (("AT_LEAST", 10), ("AT_MOST", 11), False),
}


@pytest.mark.parametrize("case", PAIRS.values(), ids=PAIRS.keys())
async def test_two_quantities_contest_when_their_ranges_do_not_meet(
    gql: GraphQLClient, case: tuple[Bounded, Bounded, bool]
) -> None:
    # given
    (bound_a, a), (bound_b, b), contested = case
    # when
    found = await affirmed(gql, quantity(bound_a, a), quantity(bound_b, b))
    # then
    assert found["contested"] is contested
    assert (found["quantityMin"], found["quantityMax"]) == (min(a, b), max(a, b))
    assert (found["affirmCount"], found["denyCount"]) == (2, 0)


@pytest.mark.parametrize("about,exact", [(13, 11.7), (21, 18.9), (37, 33.3)])
async def test_a_value_on_the_lower_edge_of_about_v_is_within_it(
    gql: GraphQLClient, about: float, exact: float
) -> None:
    # given: "about 13" stands for [11.7, 14.3], which holds 11.7
    found = await affirmed(gql, quantity("APPROXIMATE", about), quantity("EXACT", exact))
    # then
    assert found["contested"] is False


async def test_three_ranges_must_share_one_point(gql: GraphQLClient) -> None:
    # given: each pair of (-inf, 11], [9, 11] and [10, inf) meets, and all three do: [10, 11]
    meeting = await affirmed(
        gql, quantity("AT_MOST", 11), quantity("APPROXIMATE", 10), quantity("AT_LEAST", 10)
    )
    # and: up to 11 and exactly 7 agree, but exactly 7 and at least 10 cannot
    apart = await affirmed(
        gql, quantity("AT_MOST", 11), quantity("EXACT", 7), quantity("AT_LEAST", 10)
    )
    # then
    assert (meeting["contested"], meeting["quantityMin"], meeting["quantityMax"]) == (
        False,
        10,
        11,
    )
    assert (apart["contested"], apart["quantityMin"], apart["quantityMax"]) == (True, 7, 11)


async def test_quantities_are_compared_within_one_unit_only(gql: GraphQLClient) -> None:
    # given: two reports in million shells, one in tons that no shell count contradicts
    found = await affirmed(
        gql,
        quantity("EXACT", 7),
        quantity("AT_LEAST", 20_000, "tons"),
        quantity("AT_MOST", 9),
    )
    # then: the range is that of the most reported unit
    assert (found["contested"], found["quantityMin"], found["quantityMax"]) == (False, 7, 9)


async def test_disagreeing_numbers_in_a_minor_unit_still_contest(gql: GraphQLClient) -> None:
    found = await affirmed(
        gql,
        quantity("EXACT", 7),
        quantity("EXACT", 8, "tons"),
        quantity("EXACT", 9, "tons"),
        quantity("APPROXIMATE", 7),
        quantity("AT_MOST", 7.5),
    )
    assert (found["contested"], found["quantityMin"], found["quantityMax"]) == (True, 7, 7.5)


async def test_a_denials_quantity_does_not_count(gql: GraphQLClient) -> None:
    # given: S once denied that 100 were shipped, then affirmed 7; Other denies 2
    claim = await factories.claim(gql)
    s, other = await factories.source(gql, "S"), await factories.source(gql, "Other")
    await factories.report(
        gql,
        claim,
        s,
        stance="DENIES",
        quantity=quantity("EXACT", 100),
        reportedAt="2023-09-14T08:00:00+00:00",
    )
    await factories.report(
        gql, claim, s, quantity=quantity("EXACT", 7), reportedAt="2023-09-14T09:00:00+00:00"
    )
    before = await factories.comparison(gql, claim)
    await factories.report(gql, claim, other, stance="DENIES", quantity=quantity("EXACT", 2))
    # when
    after = await factories.comparison(gql, claim)
    # then: only the affirmed 7 counts; contested only once Other denies
    assert (before["contested"], before["quantityMin"], before["quantityMax"]) == (False, 7, 7)
    assert (after["contested"], after["quantityMin"], after["quantityMax"]) == (True, 7, 7)


async def test_a_claim_without_numbers_has_no_range(gql: GraphQLClient) -> None:
    found = await affirmed(gql)
    claim = await factories.claim(gql)
    await factories.report(gql, claim, await factories.source(gql, "S"))
    plain = await factories.comparison(gql, claim)
    assert (found["quantityMin"], found["quantityMax"]) == (None, None)
    assert (plain["quantityMin"], plain["quantityMax"], plain["contested"]) == (None, None, False)
