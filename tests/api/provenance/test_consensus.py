"""The consensus model's constants and words (api/provenance/consensus.py), as plain functions."""

from __future__ import annotations

from api.provenance.consensus import (
    MIN_CONFIDENCE,
    RELIABILITY_WEIGHTS,
    UNRATED_WEIGHT,
    OriginGroup,
    Superseded,
    explain,
    weight,
)


def _group(
    stance: str = "AFFIRMS", origin: str = "KCNA", reports: int = 1, **values: object
) -> OriginGroup:
    data: dict[str, object] = {
        "stance": stance,
        "origin": origin,
        "reports": reports,
        "source": origin,
        "reliability": "A",
        "confidence": 1.0,
        "strength": 0.9,
        "support": 0.9,
    }
    data.update(values)
    return OriginGroup.from_json(data)


def test_reliability_grades_weigh_from_a_down_to_e() -> None:
    # given the grades from completely reliable to unreliable
    grades = ["A", "B", "C", "D", "E"]
    # when each is weighed
    weights = [weight(grade) for grade in grades]
    # then the weights fall strictly, and none makes one report certain
    assert weights == sorted(weights, reverse=True)
    assert len(set(weights)) == len(weights)
    assert weights[0] == 0.9 and weights[-1] == 0.3


def test_an_unrated_source_weighs_as_f_between_c_and_d() -> None:
    # given a source nobody graded, and one graded F ("cannot be judged")
    # when both are weighed
    unrated, f = weight(None), weight("F")
    # then an unknown is neither trusted nor distrusted: between C and D
    assert unrated == f == UNRATED_WEIGHT == 0.55
    assert RELIABILITY_WEIGHTS["D"] < unrated < RELIABILITY_WEIGHTS["C"]


def test_an_unknown_grade_weighs_as_unrated() -> None:
    assert weight("") == weight("Z") == UNRATED_WEIGHT


def test_no_reports_explain_a_consensus_of_zero() -> None:
    assert explain([], [], 0.0, 0.0, 0.0) == "No reports: consensus 0."


def test_one_affirming_origin_is_explained_with_its_weight_and_strength() -> None:
    # given one report of KCNA (A, confidence 1)
    groups = [_group()]
    # when explained
    words = explain(groups, [], 0.9, 0.0, 0.9)
    # then the origin, its weight x confidence, and the formula are spelled out
    assert words.startswith(
        "1 origin affirms: KCNA: 1 report; strongest by KCNA (reliability A, weight 0.90"
        " x confidence 1.00 = 0.90) -> 0.90."
    )
    assert "No origin denies." in words
    assert words.endswith("consensus = 0.90 x (1 - 0.00) = 0.90.")


def test_repeats_of_an_origin_are_said_to_count_a_quarter() -> None:
    # given three reports from one origin
    words = explain([_group(reports=3, support=0.95)], [], 0.95, 0.0, 0.95)
    # then the two repeats are named as counting at a quarter weight
    assert "KCNA: 3 reports;" in words
    assert "2 more repeating this origin at a quarter weight -> 0.95" in words


def test_two_origins_are_independent_and_denials_are_their_own_side() -> None:
    # given two affirming origins and one denying
    groups = [
        _group(origin="KCNA"),
        _group(origin="RUSI (Jack Watling)", reliability=None, strength=0.55, support=0.55),
        _group(stance="DENIES", origin="Yonhap", reliability="B", strength=0.8, support=0.8),
    ]
    # when explained
    words = explain(groups, [], 0.955, 0.8, 0.191)
    # then each side is counted, and an unrated origin says so
    assert words.startswith("2 independent origins affirm: KCNA")
    assert "(reliability unrated, weight 0.55" in words
    assert "1 origin denies: Yonhap" in words


def test_a_confidence_below_the_floor_is_explained_at_the_floor() -> None:
    # given a report hedged almost to nothing
    words = explain([_group(confidence=0.01, strength=0.045, support=0.045)], [], 0.045, 0, 0.045)
    # then the floor, not the stated confidence, is what the strength used
    assert f"weight 0.90 x confidence {MIN_CONFIDENCE:.2f} =" in words
    assert "confidence 0.01" not in words


def test_superseded_reports_are_named_as_not_counted() -> None:
    # given Yonhap's two earlier affirmations, superseded by its latest denial
    superseded = [Superseded("Yonhap", 2, "DENIES"), Superseded("KCNA", 1, "AFFIRMS")]
    # when explained
    words = explain([_group()], superseded, 0.9, 0.0, 0.9)
    # then each is left out, with its latest stance as the reason
    assert (
        "Not counted: Yonhap's earlier 2 reports, since its latest report denies the claim."
        in words
    )
    assert "Not counted: KCNA's earlier report, since its latest report affirms the claim." in words
