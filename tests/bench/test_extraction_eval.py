"""The evaluation harness itself: matching, normalisation, categories, the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.ingest.extract import Extracted, SourceMention
from bench.extraction_eval import (
    Gold,
    articles,
    category,
    main,
    match,
    normalise,
    overlaps,
    same_source,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures/ingest"


def predicted(start: int, end: int, source: str | None) -> Extracted:
    mention = SourceMention(source, source, "OTHER") if source else None
    return Extracted("S.", "x" * (end - start), start, end, mention, (), (), 1.0, None)


def gold(start: int, end: int, source: str | None) -> Gold:
    return Gold(start, end, "x" * (end - start), source, (), (), 1.0, None, "AFFIRMS")


def test_overlap_is_half_of_the_shorter_span() -> None:
    assert overlaps((0, 10), (5, 100))
    assert not overlaps((0, 10), (6, 100))
    assert overlaps((10, 20), (0, 100))
    assert not overlaps((0, 0), (0, 10))


def test_names_match_case_accent_punctuation_and_alias_blind() -> None:
    aliases = {normalise("Kremlin"): frozenset({normalise("Kreml")})}
    assert normalise("Ungenannte Quellen (Kyodo)") == "ungenannte quellen"
    assert same_source("US-Geheimdienste", "us geheimdienste", {})
    assert same_source("Kreml", "Kremlin", aliases)
    assert same_source("Associated Press", "AP", {})  # the gazetteer knows both
    assert same_source(None, None, {})
    assert not same_source(None, "Kremlin", {})
    assert not same_source("Reuters", "AP", {})


def test_matching_is_one_to_one_and_maximal() -> None:
    # given two predictions that both overlap the first gold span, one also the second
    preds = [predicted(0, 100, None), predicted(0, 40, None)]
    golds = [gold(0, 30, None), gold(50, 100, None)]
    # when they are matched
    pairs = match(preds, golds, {})
    # then each gold is taken once, and both are taken
    assert sorted(j for _, j in pairs) == [0, 1]


def test_a_different_source_does_not_match() -> None:
    assert match([predicted(0, 10, "Reuters")], [gold(0, 10, None)], {}) == []
    assert match([predicted(0, 10, "Reuters")], [gold(0, 10, None)], {}, with_source=False)


@pytest.mark.parametrize(
    ("confidence", "name"),
    [(1.0, "fact"), (0.95, "fact"), (0.9, "probable"), (0.6, "probable"), (0.55, "possible")],
)
def test_categories(confidence: float, name: str) -> None:
    assert category(confidence) == name


def test_gold_fixtures_are_consistent_with_their_texts() -> None:
    for path in FIXTURES.glob("*.gold.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = (FIXTURES / doc["text_file"]).read_text(encoding="utf-8")
        names = {s["name"] for s in doc["sources"]}
        for a in doc["attributions"]:
            assert text[a["quote_start"] : a["quote_end"]] == a["quote"]
            assert a["source"] is None or a["source"] in names
            assert all(v in names for v in a["via"])
            assert all(h in a["quote"] for h in a["hedges"])
            assert a["confidence_category"] == category(a["confidence"])


def test_the_seed_gold_comes_from_curated_data() -> None:
    seed = articles()[0]
    assert seed.language == "de" and len(seed.gold) == 29
    assert all(seed.text[g.quote_start : g.quote_end] == g.quote for g in seed.gold)


def test_the_report_is_a_markdown_table(capsys: pytest.CaptureFixture[str]) -> None:
    main([])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("| article | gold | pred | P | R |")
    assert out[-1].startswith("| overall |")
