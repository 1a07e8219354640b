"""consensusConfidence by its properties, with reports added one at a time as a client would.

0 without reports; within [0, 1]; an affirming report from a new independent origin never
lowers it; a denial lowers it; a repeated origin raises it less than a new one would; a
report weighs by its attributed source's reliability (A > B > C > F = unrated > D > E > 0).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import pairwise

import pytest

from tests import factories
from tests.support.app import GraphQLClient

GRADES: list[str | None] = ["A", "B", "C", "D", "E", "F", None]
SEEDS = range(5)
ACTIONS = ["affirm-new-origin"] * 4 + ["deny"] * 3 + ["repeat"] * 2


@dataclass
class Newsroom:
    """Sources invented on the way, and a clock that makes each report the latest."""

    gql: GraphQLClient
    rng: random.Random
    sources: list[str] = field(default_factory=list)
    made: int = 0
    tick: int = 0

    async def fresh(self, grade: str | None = None, kind: str = "NEWS_OUTLET") -> str:
        self.made += 1
        values = {} if grade is None else {"reliability": grade}
        source = await factories.source(self.gql, f"Source {self.made}", kind, **values)
        self.sources.append(source)
        return source

    async def any_source(self) -> str:
        if self.sources and self.rng.random() < 0.6:
            return self.rng.choice(self.sources)
        return await self.fresh(self.rng.choice(GRADES))

    def now(self) -> str:
        self.tick += 1
        return f"2023-09-{1 + self.tick // 24:02d}T{self.tick % 24:02d}:00:00+00:00"

    async def report(self, claims: list[str], source: str, **values: object) -> None:
        """The same report of every claim in `claims`, in one document, at the next tick."""
        document = await factories.document(self.gql, "Bericht", text=None)
        reported_at = self.now()
        for claim in claims:
            await factories.attribution(
                self.gql,
                claimId=claim,
                documentId=document,
                sourceId=source,
                reportedAt=reported_at,
                **values,
            )


async def test_a_claim_without_reports_has_none(gql: GraphQLClient) -> None:
    assert await factories.consensus(gql, await factories.claim(gql)) == 0.0


@pytest.mark.parametrize("seed", SEEDS)
async def test_new_origins_never_lower_it_and_denials_always_do(
    gql: GraphQLClient, seed: int
) -> None:
    # given: two affirmations, then new origins, denials and repeats in a random order
    room = Newsroom(gql, random.Random(seed))
    claim = await factories.claim(gql)
    actions = room.rng.sample(ACTIONS, len(ACTIONS))
    origins: list[str] = []
    before, lowered = 0.0, 0
    for step, action in enumerate(["affirm-new-origin"] * 2 + actions):
        # when: a report from a random source (maybe one that reported before)
        source = await room.any_source()
        confidence = round(room.rng.uniform(0, 1), 2)
        if action == "affirm-new-origin" and room.rng.random() < 0.3:
            source = await room.fresh(room.rng.choice(GRADES))  # speaking for itself
            origins.append(source)
            await room.report([claim], source, confidence=confidence)
        elif action == "affirm-new-origin":
            origin = await room.fresh(room.rng.choice(GRADES), "PERSON")
            origins.append(origin)
            await room.report([claim], source, via=[origin], confidence=confidence)
        else:
            cited = [o for o in [room.rng.choice(origins)] if o != source]
            stance = "DENIES" if action == "deny" else "AFFIRMS"
            await room.report([claim], source, via=cited, stance=stance, confidence=confidence)
        after = await factories.consensus(gql, claim)
        # then
        context = (seed, step, action, before, after)
        assert 0.0 <= after <= 1.0, context
        if action == "affirm-new-origin":
            assert after >= before, context
        if action == "deny":
            assert after < before or before == after == 0.0, context
            lowered += before > 0
        before = after
    assert lowered > 0, "no denial met a positive consensus: the seed tests nothing"


@pytest.mark.parametrize("seed", SEEDS)
async def test_a_repeated_origin_raises_it_less_than_a_new_one(
    gql: GraphQLClient, seed: int
) -> None:
    # given: two claims in the same state, affirmed through a few origins, maybe denied
    room = Newsroom(gql, random.Random(100 + seed))
    twins = [await factories.claim(gql, "Twin X"), await factories.claim(gql, "Twin Y")]
    origins = [await room.fresh(room.rng.choice(GRADES), "PERSON") for _ in range(2)]
    for step in range(room.rng.randint(1, 4)):
        outlet = await room.fresh(room.rng.choice(GRADES))
        confidence = round(room.rng.uniform(0.1, 0.9), 2)
        if step and room.rng.random() < 0.3:
            await room.report(twins, outlet, stance="DENIES", confidence=confidence)
        else:
            await room.report(twins, outlet, via=[origins[step % 2]], confidence=confidence)
    x, y = twins
    before = await factories.consensus(gql, x)
    assert await factories.consensus(gql, y) == before
    # when: equally reliable, equally sure outlets; one repeats a counted origin
    grade, confidence = room.rng.choice(GRADES), round(room.rng.uniform(0.1, 1), 2)
    await room.report([x], await room.fresh(grade), via=[origins[0]], confidence=confidence)
    new_origin = await room.fresh(room.rng.choice(GRADES), "PERSON")
    await room.report([y], await room.fresh(grade), via=[new_origin], confidence=confidence)
    # then
    repeated, independent = await factories.consensus(gql, x), await factories.consensus(gql, y)
    assert before < repeated < independent, (seed, before, repeated, independent)


async def test_outlets_repeating_kcna_add_less_than_independent_outlets(
    gql: GraphQLClient,
) -> None:
    # given
    kcna = await factories.source(gql, "KCNA", reliability="C")
    repeated, independent = await factories.claim(gql, "R"), await factories.claim(gql, "I")
    history: list[tuple[float, float]] = []
    for n in range(5):
        # when: outlet n repeats KCNA on one claim and speaks for itself on the other
        outlet = await factories.source(gql, f"Outlet {n}", "NEWS_OUTLET", reliability="B")
        await factories.report(gql, repeated, outlet, via=[kcna], confidence=0.6)
        await factories.report(gql, independent, outlet, confidence=0.6)
        history.append(
            (await factories.consensus(gql, repeated), await factories.consensus(gql, independent))
        )
    # then
    assert history[0][0] == history[0][1]
    assert all(later[0] > earlier[0] for earlier, later in pairwise(history))
    assert all(r < i for r, i in history[1:]), history


async def single_report(gql: GraphQLClient, grade: str | None, confidence: float) -> float:
    values = {} if grade is None else {"reliability": grade}
    source = await factories.source(gql, f"Graded {grade}", **values)
    claim = await factories.claim(gql)
    await factories.report(gql, claim, source, confidence=confidence)
    return await factories.consensus(gql, claim)


@pytest.mark.parametrize("confidence", [1.0, 0.4, 0.0])
async def test_a_report_weighs_by_its_sources_reliability(
    gql: GraphQLClient, confidence: float
) -> None:
    # when: one report per claim, from a source of each grade
    weight = {grade: await single_report(gql, grade, confidence) for grade in GRADES}
    # then: F and unrated sit between C and D, never at zero
    assert weight["A"] > weight["B"] > weight["C"] > weight["F"] > weight["D"] > weight["E"] > 0
    assert weight["F"] == weight[None]
    assert all(0 < value <= 1 for value in weight.values())


async def test_the_attributed_source_gives_the_weight_not_the_origin(gql: GraphQLClient) -> None:
    # given: a reliable outlet citing an unreliable agency, and the other way round
    found: list[float] = []
    for outlet_grade, agency_grade in (("A", "E"), ("E", "A")):
        outlet = await factories.source(gql, f"Outlet {outlet_grade}", reliability=outlet_grade)
        agency = await factories.source(gql, f"Agency {agency_grade}", reliability=agency_grade)
        claim = await factories.claim(gql)
        await factories.report(gql, claim, outlet, via=[agency])
        found.append(await factories.consensus(gql, claim))
    # then
    assert found[0] > found[1] > 0


async def explained_claim(gql: GraphQLClient) -> str:
    """Three outlets repeating KCNA, Kyodo's unnamed sources, Jack Watling, and Reuters, whose
    earlier affirmation is superseded by its denial."""
    kcna = await factories.source(gql, "KCNA", reliability="E")
    kyodo = await factories.source(gql, "Kyodo", reliability="B")
    unnamed = await factories.source(gql, "unnamed sources", "ANONYMOUS")
    rusi = await factories.source(gql, "RUSI", "THINK_TANK", reliability="B")
    watling = await factories.source(gql, "Jack Watling", "PERSON", affiliationId=rusi)
    reuters = await factories.source(gql, "Reuters", reliability="A")
    claim = await factories.claim(gql)
    for n in range(3):
        outlet = await factories.source(gql, f"Outlet {n}", "NEWS_OUTLET")
        await factories.report(gql, claim, outlet, via=[kcna])
    await factories.report(gql, claim, kyodo, via=[unnamed])
    await factories.report(gql, claim, watling, confidence=0.5)
    await factories.report(gql, claim, reuters, reportedAt="2023-09-14T08:00:00+00:00")
    await factories.report(gql, claim, reuters, stance="DENIES", reportedAt="2023-09-14T09:00Z")
    return str((await factories.comparison(gql, claim))["explanation"])


async def test_the_explanation_names_origins_weights_and_what_did_not_count(
    gql: GraphQLClient,
) -> None:
    # when
    explanation = await explained_claim(gql)
    # then: each origin, its weight, the repeats and the superseded source are in words
    for words in ("KCNA", "unnamed sources", "Kyodo", "RUSI", "Jack Watling", "Reuters"):
        assert words in explanation, (words, explanation)
    assert "weight" in explanation.lower() and "repeat" in explanation.lower(), explanation
    about_reuters = [s.lower() for s in explanation.split(". ") if "Reuters" in s]
    assert any("not counted" in s or "superseded" in s for s in about_reuters), explanation


async def test_the_explanation_is_in_plain_english(gql: GraphQLClient) -> None:
    # given: a claim nobody denies, and a claim one origin denies
    no_denial = await factories.claim(gql)
    denied = await factories.claim(gql)
    source = await factories.source(gql, "S")
    await factories.report(gql, no_denial, source)
    await factories.report(gql, denied, source, stance="DENIES")
    # when
    explanations = [
        (await factories.comparison(gql, c))["explanation"] for c in (no_denial, denied)
    ]
    # then
    assert not any("denys" in text for text in explanations), explanations
