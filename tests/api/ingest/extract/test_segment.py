"""The sentence splitter: abbreviations, quotes, dates, numbers, headlines and paragraphs."""

from __future__ import annotations

import pytest

from api.ingest.extract.segment import Span, paragraphs, sentences


def split(text: str) -> list[str]:
    return [text[s.start : s.end] for p in paragraphs(text) for s in sentences(text, p)]


@pytest.mark.parametrize(
    "text",
    [
        "Es gibt z. B. Äpfel und u. a. Birnen im Angebot.",
        "Dr. Müller kam mit Prof. Schmidt an.",
        "Mr. Smith met Mrs. Jones in St. Louis today.",
        "U.S. officials said the talks would resume.",
        "Das Haus Nr. 5 steht leer bzw. verfällt.",
        "Es kamen ca. 300 Menschen.",
        "Kim wird am Donnerstag (14. September) Fabriken besuchen.",
        "Das Treffen am 14.09.2023 dauerte 1.5 Stunden.",
        "Die Inflation lag bei 11,5 Prozent.",
        "Er belegte den 3. Platz im Rennen.",
        "Präsident Joe R. Biden sagte etwas.",
    ],
)
def test_one_sentence_stays_whole(text: str) -> None:
    # given a sentence full of dots that do not end it
    # when it is split
    # then it is one sentence
    assert split(text) == [text]


def test_sentences_end_at_terminal_punctuation() -> None:
    text = "Putin kam. Kim ging! Wer blieb? Niemand."
    assert split(text) == ["Putin kam.", "Kim ging!", "Wer blieb?", "Niemand."]


def test_country_abbreviation_ends_a_sentence_before_an_opener() -> None:
    assert split("Sanctions hit the U.S. The move was expected.") == [
        "Sanctions hit the U.S.",
        "The move was expected.",
    ]


def test_a_quotation_with_several_sentences_stays_with_its_attribution() -> None:
    text = "„Wir kommen. Bald.“, sagte er. Dann ging er."
    assert split(text) == ["„Wir kommen. Bald.“, sagte er.", "Dann ging er."]


def test_a_sentence_ends_after_a_closing_quote() -> None:
    text = 'Er sagte: „Wir kommen.“ Dann ging er. She said "yes." Then she left.'
    assert split(text) == [
        "Er sagte: „Wir kommen.“",
        "Dann ging er.",
        'She said "yes."',
        "Then she left.",
    ]


def test_blank_lines_separate_headlines_and_paragraphs() -> None:
    text = "Headline without a dot\n\nFirst sentence. Second sentence.\n\n\nLast one."
    assert split(text) == [
        "Headline without a dot",
        "First sentence.",
        "Second sentence.",
        "Last one.",
    ]


def test_single_line_breaks_separate_short_lines_but_join_wrapped_prose() -> None:
    text = (
        "Kurze Zeile\nNoch eine Zeile\n"
        "Dies ist ein langer Satz, der über das Zeilenende hinaus\numbrochen wurde und endet."
    )
    paras = [text[p.start : p.end] for p in paragraphs(text)]
    assert paras[:2] == ["Kurze Zeile", "Noch eine Zeile"]
    assert paras[2].endswith("endet.") and len(paras) == 3


def test_spans_are_exact_offsets() -> None:
    text = "  Erster Satz.   Zweiter Satz.  "
    for para in paragraphs(text):
        for s in sentences(text, para):
            assert isinstance(s, Span)
            assert text[s.start : s.end] == text[s.start : s.end].strip()
    assert split(text) == ["Erster Satz.", "Zweiter Satz."]
