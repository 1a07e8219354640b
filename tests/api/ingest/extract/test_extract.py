"""The public interface and the invariants every extraction keeps, on every fixture."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from api.enums import QuantityBound, SourceKind, Stance
from api.ingest.extract import EXTRACTOR_VERSION, Extracted, SourceMention, extract
from api.ingest.extract.hedges import HEDGE_TABLE

ROOT = Path(__file__).resolve().parents[4]
FIXTURES = sorted((ROOT / "tests/fixtures/ingest").glob("*.txt"))
SEED = ROOT / "api/demo/kim-putin-vostochny.de.txt"
TEXTS = [SEED, *FIXTURES]
KINDS = {k.value for k in SourceKind}
CONFIDENCES = {1.0} | {h.confidence for h in HEDGE_TABLE}


def language_of(path: Path) -> str:
    return path.name.split(".")[-2]


def mentions(e: Extracted) -> list[SourceMention]:
    out: list[SourceMention] = []
    for m in [e.source, *e.via]:
        while m is not None:
            out.append(m)
            m = m.affiliation
    return out


def test_version_is_a_stable_string() -> None:
    assert EXTRACTOR_VERSION == "claimgraph-rules-1"


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_every_extraction_keeps_the_invariants(path: Path) -> None:
    # given a fixture article, read exactly as the offsets are defined
    text = path.read_text(encoding="utf-8")
    # when it is extracted
    claims = extract(text, language_of(path))
    # then every quote is the text at its offsets, and every field is in its vocabulary
    assert claims
    for e in claims:
        assert text[e.quote_start : e.quote_end] == e.quote
        assert e.quote == e.quote.strip() and e.quote
        assert all(h in e.quote for h in e.hedges)
        assert e.confidence in CONFIDENCES
        assert e.stance in {s.value for s in Stance}
        assert e.kind in {"STATEMENT", "CAPTION"}
        assert e.statement.endswith(".") and e.statement[:1].isupper()
        if e.quantity is not None:
            assert e.quantity.bound in {b.value for b in QuantityBound}
        for m in mentions(e):
            assert m.kind in KINDS and m.name.strip()
            if m.start is not None and m.end is not None:
                assert text[m.start : m.end] == m.text
    starts = [(e.quote_start, e.quote_end) for e in claims]
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  \n",
        "no sentence end at all and no capital letters either",
        "🙂🚀💥",
        "Kim sagte: „🙂 Hallo 🚀“. 💥",
        "„" * 500,
        "." * 500,
        "A" * 10_000,
        ", sagte " * 1000,
        "Laut " * 1000,
        "\u200b\ufeffKim kam.\r\n\r\nPutin ging.\r\n",
    ],
)
@pytest.mark.parametrize("language", ["de", "en"])
def test_hostile_inputs_do_not_crash(text: str, language: str) -> None:
    claims = extract(text, language)
    for e in claims:
        assert text[e.quote_start : e.quote_end] == e.quote


def test_only_whitespace_and_empty_give_nothing() -> None:
    assert extract("", "de") == []
    assert extract("  \n\n ", "en") == []


def test_other_languages_get_the_english_rules_and_no_language_gets_none() -> None:
    text = "The Kremlin said the talks would resume."
    assert extract(text, "en-GB")[0].source is not None
    assert extract(text, "fr")[0].quote == extract(text, "en")[0].quote
    assert extract(text, "") == []


def test_code_points_not_bytes_or_utf16() -> None:
    text = "🙂🙂 Intro.\n\nDie Lage sei ernst, sagte der Kreml."
    [claim] = extract(text, "de")
    assert text[claim.quote_start : claim.quote_end] == "Die Lage sei ernst"


def test_a_very_long_sentence_finishes() -> None:
    text = ("Kim sagte, dass Russland " * 20_000)[:400_000]
    started = time.perf_counter()
    claims = extract(text, "de")
    assert time.perf_counter() - started < 20
    for e in claims:
        assert text[e.quote_start : e.quote_end] == e.quote


def test_two_million_characters_take_seconds_not_minutes() -> None:
    seed = SEED.read_text(encoding="utf-8")
    text = (seed + "\n\n") * (2_000_000 // (len(seed) + 2))
    started = time.perf_counter()
    claims = extract(text, "de")
    elapsed = time.perf_counter() - started
    assert len(claims) > 10_000
    assert elapsed < 60, f"{elapsed:.1f}s"
