"""The outside checker's story: five claims about Kim's visit to Russia, every number checked.

1. invitation: KCNA says it, four outlets repeat KCNA -> 5 sources, 1 origin.
2. satellites: Reuters (citing unnamed sources) affirms, the Kremlin's Peskov denies.
3. shells: "up to 11 million" (Reuters), "7 million" (Yonhap), "at least 10 million"
   (Jack Watling) cannot all be true.
4. train: Kyodo (twice, once republished by Spiegel) and Reuters cite the same ANONYMOUS
   record -> 2 origins: Kyodo's unnamed sources and Reuters'.
5. front: Jack Watling (in a BBC article) and RUSI, his institute -> 1 origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient

PAGE = (
    "{ claims(first: 50) { edges { node { id comparison {"
    + factories.COMPARISON_FIELDS
    + "} } } } }"
)
MILLION = "million shells"
KEYS = ("sourceCount", "independentOriginCount", "affirmCount", "denyCount", "contested")
# claim -> (sources, origins, affirming, denying, contested, min, max, first reporter)
EXPECTED: dict[str, tuple[Any, ...]] = {
    "invitation": (5, 1, 5, 0, False, None, None, "KCNA"),
    "satellites": (2, 2, 1, 1, True, None, None, "Reuters"),
    "shells": (3, 3, 3, 0, True, 7.0, 11.0, "Reuters"),
    "train": (2, 2, 2, 0, False, None, None, "Kyodo"),
    "front": (2, 1, 2, 0, False, None, None, "RUSI"),
}

SOURCES: list[tuple[str, str, dict[str, Any]]] = [
    ("KCNA", "NEWS_AGENCY", {"reliability": "E", "stateAffiliated": True}),
    ("Yonhap", "NEWS_AGENCY", {"reliability": "B"}),
    ("NK News", "NEWS_OUTLET", {"reliability": "C"}),
    ("Spiegel", "NEWS_OUTLET", {"reliability": "B"}),
    ("BBC", "NEWS_OUTLET", {"reliability": "A"}),
    ("Kyodo", "NEWS_AGENCY", {"reliability": "B"}),
    ("Reuters", "NEWS_AGENCY", {"reliability": "A"}),
    ("unnamed sources", "ANONYMOUS", {}),
    ("Kremlin", "GOVERNMENT", {"reliability": "D"}),
    ("RUSI", "THINK_TANK", {"reliability": "B"}),
]


def at(hour: int) -> str:
    return f"2023-09-14T{hour:02d}:00:00+00:00"


@dataclass(frozen=True)
class Story:
    claims: dict[str, str]
    sources: dict[str, str]
    satellites_before_denial: float


async def build(gql: GraphQLClient) -> Story:
    s: dict[str, str] = {}
    for name, kind, values in SOURCES:
        s[name] = await factories.source(gql, name, kind, **values)
    s["Peskov"] = await factories.source(gql, "Peskov", "PERSON", affiliationId=s["Kremlin"])
    s["Watling"] = await factories.source(gql, "Jack Watling", "PERSON", affiliationId=s["RUSI"])
    c = {key: await factories.claim(gql, key) for key in EXPECTED}
    unnamed = [s["unnamed sources"]]

    async def say(claim: str, source: str, hour: int, **values: Any) -> None:
        await factories.report(gql, c[claim], s[source], reportedAt=at(hour), **values)

    await say("invitation", "KCNA", 6, publisher=s["KCNA"])
    for hour, outlet in enumerate(("Yonhap", "NK News", "Spiegel", "BBC"), start=7):
        await say("invitation", outlet, hour, via=[s["KCNA"]])
    await say("satellites", "Reuters", 10, via=unnamed)
    before = await factories.consensus(gql, c["satellites"])
    await say("satellites", "Peskov", 12, publisher=s["Kremlin"], stance="DENIES")
    await say("shells", "Reuters", 10, via=unnamed, quantity=shells("AT_MOST", 11))
    await say("shells", "Yonhap", 11, quantity=shells("EXACT", 7))
    await say("shells", "Watling", 12, publisher=s["RUSI"], quantity=shells("AT_LEAST", 10))
    await say("train", "Kyodo", 5, via=unnamed)
    await say("train", "Reuters", 6, via=unnamed)
    await say("train", "Kyodo", 7, via=unnamed)
    await say("train", "Kyodo", 8, via=unnamed, publisher=s["Spiegel"])
    await say("front", "RUSI", 8, publisher=s["RUSI"])
    await say("front", "Watling", 9, publisher=s["BBC"])
    return Story(c, s, before)


def shells(bound: str, value: float) -> dict[str, Any]:
    return {"bound": bound, "value": value, "unit": MILLION}


@pytest.fixture
async def story(gql: GraphQLClient) -> Story:
    return await build(gql)


def summary(found: dict[str, Any]) -> tuple[Any, ...]:
    return (
        *(found[key] for key in KEYS),
        found["quantityMin"],
        found["quantityMax"],
        found["firstReport"]["source"]["name"],
    )


async def test_every_number_of_every_claim(gql: GraphQLClient, story: Story) -> None:
    # when
    found = {key: await factories.comparison(gql, claim) for key, claim in story.claims.items()}
    # then
    assert {key: summary(value) for key, value in found.items()} == EXPECTED
    assert all(0 < value["consensusConfidence"] <= 1 for value in found.values())


async def test_a_page_of_claims_gives_each_its_own_comparison(
    gql: GraphQLClient, story: Story
) -> None:
    # when
    edges = (await gql(PAGE))["claims"]["edges"]
    # then: the batch answers exactly what each claim answers alone, newest claim first
    assert [edge["node"]["id"] for edge in edges] == list(reversed(story.claims.values()))
    for edge in edges:
        assert edge["node"]["comparison"] == await factories.comparison(gql, edge["node"]["id"])


async def test_the_denial_lowers_the_consensus(gql: GraphQLClient, story: Story) -> None:
    found = await factories.comparison(gql, story.claims["satellites"])
    assert 0 < found["consensusConfidence"] < story.satellites_before_denial


async def test_the_explanations_name_the_origins(gql: GraphQLClient, story: Story) -> None:
    # when
    train = (await factories.comparison(gql, story.claims["train"]))["explanation"]
    front = (await factories.comparison(gql, story.claims["front"]))["explanation"]
    invitation = (await factories.comparison(gql, story.claims["invitation"]))["explanation"]
    # then
    assert all(name in train for name in ("unnamed sources", "Kyodo", "Reuters")), train
    assert "RUSI" in front, front
    assert "KCNA" in invitation, invitation


COMPARISONS = {
    # (a, b) -> (shared, onlyA, onlyB, agreementRate), claims newest first
    ("Kyodo", "Reuters"): (["train"], [], ["shells", "satellites"], 1.0),
    ("KCNA", "Yonhap"): (["invitation"], [], ["shells"], 1.0),
    ("RUSI", "Watling"): (["front", "shells"], [], [], 1.0),
    ("Reuters", "Kremlin"): (["satellites"], ["train", "shells"], [], 0.0),
    ("Spiegel", "unnamed sources"): (["train"], ["invitation"], ["shells", "satellites"], 1.0),
    ("BBC", "Kremlin"): ([], ["front", "invitation"], ["satellites"], None),
}
COMPARE = """query($a: ID!, $b: ID!) { compareSources(a: $a, b: $b) {
  agreementRate shared { edges { node { claim { id } } } }
  onlyA { edges { node { id } } } onlyB { edges { node { id } } }
} }"""


async def test_sources_compared(gql: GraphQLClient, story: Story) -> None:
    names = {claim: key for key, claim in story.claims.items()}
    for (a, b), expected in COMPARISONS.items():
        # when
        variables = {"a": story.sources[a], "b": story.sources[b]}
        found = (await gql(COMPARE, variables))["compareSources"]
        # then
        shared = [names[e["node"]["claim"]["id"]] for e in found["shared"]["edges"]]
        only = [[names[e["node"]["id"]] for e in found[k]["edges"]] for k in ("onlyA", "onlyB")]
        assert (shared, *only, found["agreementRate"]) == expected, (a, b)
