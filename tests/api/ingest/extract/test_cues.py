"""Attribution cues: who says it, in German and English, and the quote without the frame."""

from __future__ import annotations

import pytest

from api.ingest.extract import Extracted, extract


def only(text: str, language: str) -> Extracted:
    claims = extract(text, language)
    assert len(claims) == 1, claims
    return claims[0]


@pytest.mark.parametrize(
    ("text", "source", "quote"),
    [
        (
            "Putin nahm die Einladung an, wie die Agentur KCNA am Donnerstag berichtete.",
            "KCNA",
            "Putin nahm die Einladung an",
        ),
        (
            "Lawrow werde nach Pjöngjang reisen, teilte der Kreml mit.",
            "Kremlin",
            "Lawrow werde nach Pjöngjang reisen",
        ),
        (
            "Die Lage sei ernst, sagte Kremlsprecher Dmitri Peskow.",
            "Dmitri Peskow",
            "Die Lage sei ernst",
        ),
        (
            "Die Lage ist ernst, so der Sprecher der Bundesregierung.",
            "German government",
            "Die Lage ist ernst",
        ),
        (
            "Laut Reuters wird Kim nach Moskau reisen.",
            "Reuters",
            "Laut Reuters wird Kim nach Moskau reisen",
        ),
        (
            "Nach Angaben des Pentagons wurden drei Soldaten verletzt.",
            "Pentagon",
            "Nach Angaben des Pentagons wurden drei Soldaten verletzt",
        ),
        (
            "Dem Weißen Haus zufolge ist das Treffen abgesagt.",
            "White House",
            "Dem Weißen Haus zufolge ist das Treffen abgesagt",
        ),
        (
            "Die Nachrichtenagentur Interfax erklärte, die Gespräche seien beendet.",
            "Interfax",
            "die Gespräche seien beendet",
        ),
        (
            "Wie die Agentur Yonhap meldete, hat Nordkorea eine Rakete getestet.",
            "Yonhap",
            "hat Nordkorea eine Rakete getestet",
        ),
        (
            "Die Waffen kamen aus Russland, hieß es aus Regierungskreisen.",
            "Regierungskreisen",
            "Die Waffen kamen aus Russland",
        ),
        (
            "Am Mittwoch sagte Außenminister Anton Weber, man prüfe alle Optionen.",
            "Anton Weber",
            "man prüfe alle Optionen",
        ),
        (
            "Das Außenministerium bestätigte, dass der Botschafter einbestellt wurde.",
            "Foreign Ministry",
            "dass der Botschafter einbestellt wurde",
        ),
    ],
)
def test_german_cues(text: str, source: str, quote: str) -> None:
    claim = only(text, "de")
    assert claim.source is not None and claim.source.name == source
    assert claim.quote == quote
    assert text[claim.quote_start : claim.quote_end] == claim.quote


@pytest.mark.parametrize(
    ("text", "source", "quote"),
    [
        (
            "The Kremlin said Western arms would prolong the war.",
            "Kremlin",
            "Western arms would prolong the war",
        ),
        (
            "The talks will resume next week, a Pentagon spokesman said.",
            "Pentagon",
            "The talks will resume next week",
        ),
        ("According to the United Nations, 300 people died.", "United Nations", "300 people died"),
        ("Prices rose sharply, according to Eurostat data.", "Eurostat", "Prices rose sharply"),
        (
            '"We will not give up," Mayor Lisa Brandt told reporters.',
            "Lisa Brandt",
            "We will not give up",
        ),
        (
            "NATO announced on Monday that it would send more troops.",
            "NATO",
            "that it would send more troops",
        ),
        (
            "Xinhua reported that the factory had reopened.",
            "Xinhua",
            "that the factory had reopened",
        ),
        (
            "The company confirmed that the plant would close.",
            "Company",
            "that the plant would close",
        ),
        (
            "The plant will close, said Maria Lopez, a spokeswoman for Acme Corp.",
            "Maria Lopez",
            "The plant will close",
        ),
    ],
)
def test_english_cues(text: str, source: str | None, quote: str) -> None:
    claim = only(text, "en")
    assert (claim.source.name if claim.source else None) == source
    assert claim.quote == quote


def test_the_statement_is_cleaned_of_the_frame() -> None:
    text = (
        "Nach einem Tag mit Trinksprüchen hatte Putin die Einladung Kims angenommen, Nordkorea "
        "„in Zukunft“ zu besuchen, wie die offizielle koreanische Zentrale Nachrichtenagentur "
        "am Donnerstag berichtete."
    )
    claim = only(text, "de")
    assert claim.source is not None and claim.source.name == "KCNA"
    assert "berichtete" not in claim.statement and "„" not in claim.statement
    assert claim.statement.endswith(".")


@pytest.mark.parametrize(
    ("text", "language", "source"),
    [
        ("Die Regierung dementierte, dass Truppen verlegt wurden.", "de", "Regierung"),
        ("Die Botschaft wies die Vorwürfe zurück.", "de", "Botschaft"),
        ("The ministry denied that any decision had been taken.", "en", "Ministry"),
        ("The Kremlin denied the reports.", "en", "Kremlin"),
    ],
)
def test_denials(text: str, language: str, source: str) -> None:
    claim = only(text, language)
    assert claim.stance == "DENIES"
    assert claim.source is not None and claim.source.name == source


def test_a_bare_denial_denies_the_claim_before_it() -> None:
    text = "Die Gruppe soll die Angriffe verübt haben. Die Botschaft wies die Vorwürfe zurück."
    claim, denial = extract(text, "de")
    assert denial.stance == "DENIES"
    assert denial.statement == claim.statement


def test_konjunktiv_continues_reported_speech() -> None:
    text = (
        "Die Systeme seien am Morgen ausgefallen, teilte die Hafengesellschaft HHLA mit. "
        "Erst am Nachmittag habe der Betrieb wieder begonnen. Der Hafen ist der größte des Landes."
    )
    first, second, third = extract(text, "de")
    assert first.source is not None and second.source == first.source
    assert second.cue == "Konjunktiv I"
    assert third.source is None


def test_back_references_keep_their_source() -> None:
    text = (
        "Lena Hartwig, Sprecherin der Arbeitsgruppe Kritis, sagte, die Häfen seien verwundbar. "
        "„Das war absehbar“, so Hartwig. Die Lage sei ernst, sagte sie."
    )
    claims = extract(text, "de")
    assert {c.source.name for c in claims if c.source} == {"Lena Hartwig"}
    assert claims[1].source is not None and claims[1].source.anaphoric
