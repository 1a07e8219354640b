"""Hedge cues and the confidence they leave: the table of docs/confidence.md."""

from __future__ import annotations

import pytest

from api.demo.curated import HEDGE_CONFIDENCE
from api.ingest.extract import HEDGE_TABLE, confidence_table, extract
from api.ingest.extract.hedges import confidence_of, find_hedges


def hedges(text: str, language: str) -> tuple[list[str], float]:
    hits = find_hedges(text, 0, len(text), language)
    return [h.text for h in hits], confidence_of(hits)


def test_the_table_agrees_with_the_curated_demo_and_the_confidence_doc() -> None:
    table = confidence_table()
    for cue, value in HEDGE_CONFIDENCE.items():
        assert table[cue] == value
    assert table["up to"] == 0.9
    assert table["expected to"] == 0.75
    assert table["probably"] == 0.7
    assert table["it is suspected"] == 0.55
    assert all(0 < h.confidence < 1 for h in HEDGE_TABLE)


@pytest.mark.parametrize(
    ("text", "language", "cues", "confidence"),
    [
        ("Kim werde voraussichtlich eine Fabrik besuchen", "de", ["voraussichtlich"], 0.75),
        ("Wahrscheinlich haben sie gesprochen", "de", ["Wahrscheinlich"], 0.7),
        ("Es wird vermutet, dass Nordkorea Granaten hat", "de", ["Es wird vermutet"], 0.55),
        ("Russland feuerte bis zu elf Millionen Granaten", "de", ["bis zu"], 0.9),
        ("Die Gruppe soll Angriffe verübt haben", "de", ["soll"], 0.6),
        ("Der Täter ist vermutlich geflohen", "de", ["vermutlich"], 0.55),
        ("Er hat angeblich gelogen", "de", ["angeblich"], 0.5),
        ("The package is expected to be announced", "en", ["expected to"], 0.75),
        ("It will likely include up to 20 launchers", "en", ["likely", "up to"], 0.7),
        ("Moscow has reportedly received drones", "en", ["reportedly"], 0.6),
        ("The figure is believed to be higher", "en", ["believed to"], 0.55),
        ("He allegedly lied", "en", ["allegedly"], 0.5),
        ("That is unlikely to change", "en", ["unlikely"], 0.3),
        ("Kim werde eine Fabrik besuchen", "de", [], 1.0),
        ("Er kam bis zum Ende der Woche", "de", [], 1.0),
        ("The update is up to date", "en", [], 1.0),
    ],
)
def test_cues_as_written_and_the_lowest_confidence(
    text: str, language: str, cues: list[str], confidence: float
) -> None:
    found, value = hedges(text, language)
    assert found == cues
    assert value == confidence


def test_konjunktiv_marks_reported_speech_not_doubt() -> None:
    text = "Der Kreml teilte mit, Lawrow werde im Oktober nach Pjöngjang reisen."
    [claim] = extract(text, "de")
    assert claim.hedges == () and claim.confidence == 1.0
    assert claim.source is not None and claim.source.name == "Kremlin"


def test_hedges_are_substrings_of_the_quote() -> None:
    text = "Russland feuerte voraussichtlich bis zu 7 Millionen Granaten ab, so Jack Watling."
    [claim] = extract(text, "de")
    assert claim.hedges == ("voraussichtlich", "bis zu")
    assert claim.confidence == 0.75
    assert all(h in claim.quote for h in claim.hedges)
