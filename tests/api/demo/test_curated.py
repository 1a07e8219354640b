"""Integrity tests for the hand-curated demo data set (pure data, no database)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from api.demo import curated
from api.demo.curated import (
    CLAIMS,
    DOCUMENT,
    HEDGE_CONFIDENCE,
    QUANTITY_BOUNDS,
    QUANTITY_HEDGES,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    SOURCES,
    STANCES,
    DemoAttribution,
    DemoClaim,
    document_text,
    quote_span,
)

SEED = Path("/work/shared/seed/kim-putin-vostochny.de.txt")
SOURCE_KEYS = {s.key for s in SOURCES}
SOURCES_BY_KEY = {s.key: s for s in SOURCES}
ALL_ATTRIBUTIONS: list[tuple[DemoClaim, DemoAttribution]] = [
    (c, a) for c in CLAIMS for a in c.attributions
]


def _attr_id(pair: tuple[DemoClaim, DemoAttribution]) -> str:
    claim, attribution = pair
    return f"{claim.key}:{attribution.source}:{attribution.quote[:30]}"


def _count_overlapping(text: str, quote: str) -> int:
    """Count occurrences the same way quote_span numbers them (overlaps allowed)."""
    count, start = 0, text.find(quote)
    while start >= 0:
        count += 1
        start = text.find(quote, start + 1)
    return count


@pytest.fixture(scope="module")
def text() -> str:
    return document_text()


# ---- document file ---------------------------------------------------------------------------


def test_text_file_identical_to_seed() -> None:
    if not SEED.exists():
        pytest.skip("seed article not available")
    ours = Path(curated.__file__).with_name(DOCUMENT.text_file)
    assert ours.read_bytes() == SEED.read_bytes()


def test_document_metadata(text: str) -> None:
    assert text.splitlines()[0] == DOCUMENT.title
    assert DOCUMENT.language == "de"
    assert DOCUMENT.publisher in SOURCE_KEYS
    assert DOCUMENT.text_file == "kim-putin-vostochny.de.txt"
    # ISO 8601 with an explicit offset.
    published = datetime.fromisoformat(DOCUMENT.published_at)
    assert published.tzinfo is not None
    assert published.date().isoformat() == "2023-09-14"


def test_publisher_is_not_invented() -> None:
    # No URL was found, so none may be claimed; the publisher must be an outlet.
    assert DOCUMENT.url is None
    publisher = SOURCES_BY_KEY[DOCUMENT.publisher or ""]
    assert publisher.kind == "NEWS_OUTLET"
    assert "unidentified" in publisher.name.lower()


# ---- quotes, spans, hedges -------------------------------------------------------------------


@pytest.mark.parametrize("pair", ALL_ATTRIBUTIONS, ids=_attr_id)
def test_quote_occurs_at_occurrence(pair: tuple[DemoClaim, DemoAttribution], text: str) -> None:
    _, a = pair
    start, end = quote_span(a, text)
    assert text[start:end] == a.quote
    count = _count_overlapping(text, a.quote)
    assert count > a.occurrence
    if a.occurrence == 0:
        # A non-unique quote with the default occurrence is most likely an oversight:
        # lengthen the quote or set occurrence explicitly.
        assert count == 1, f"quote occurs {count} times; lengthen it or set occurrence"
    else:
        assert count > 1, "occurrence > 0 on a unique quote"


@pytest.mark.parametrize("pair", ALL_ATTRIBUTIONS, ids=_attr_id)
def test_quote_has_no_stray_whitespace(pair: tuple[DemoClaim, DemoAttribution]) -> None:
    _, a = pair
    assert a.quote == a.quote.strip()
    assert "\n" not in a.quote


def test_quote_span_occurrence_and_errors(text: str) -> None:
    name = "Wladimir Putin"
    first = quote_span(DemoAttribution(source="x", quote=name), text)
    second = quote_span(DemoAttribution(source="x", quote=name, occurrence=1), text)
    assert first[0] < second[0]
    assert text[second[0] : second[1]] == name
    total = _count_overlapping(text, name)
    with pytest.raises(ValueError):
        quote_span(DemoAttribution(source="x", quote=name, occurrence=total), text)
    with pytest.raises(ValueError):
        quote_span(DemoAttribution(source="x", quote="nicht im Text enthalten"), text)
    with pytest.raises(ValueError):
        quote_span(DemoAttribution(source="x", quote=""), text)
    with pytest.raises(ValueError):
        quote_span(DemoAttribution(source="x", quote=name, occurrence=-1), text)


def test_quote_span_counts_overlapping_occurrences() -> None:
    assert quote_span(DemoAttribution(source="x", quote="aa", occurrence=1), "aaa") == (1, 3)


@pytest.mark.parametrize("pair", ALL_ATTRIBUTIONS, ids=_attr_id)
def test_hedges_are_in_quote_and_set_confidence(pair: tuple[DemoClaim, DemoAttribution]) -> None:
    _, a = pair
    assert 0.0 <= a.confidence <= 1.0
    assert len(set(a.hedges)) == len(a.hedges)
    for hedge in a.hedges:
        assert hedge in a.quote
        assert hedge.casefold() in HEDGE_CONFIDENCE, f"hedge {hedge!r} missing from the table"
    expected = min((HEDGE_CONFIDENCE[h.casefold()] for h in a.hedges), default=1.0)
    assert a.confidence == pytest.approx(expected)


@pytest.mark.parametrize("pair", ALL_ATTRIBUTIONS, ids=_attr_id)
def test_no_known_hedge_is_missed(pair: tuple[DemoClaim, DemoAttribution]) -> None:
    # Every table hedge that appears in a quote must be recorded.
    _, a = pair
    recorded = {h.casefold() for h in a.hedges}
    for hedge in HEDGE_CONFIDENCE:
        if hedge in a.quote.casefold():
            assert hedge in recorded, f"{hedge!r} occurs in the quote but is not a hedge"


@pytest.mark.parametrize("pair", ALL_ATTRIBUTIONS, ids=_attr_id)
def test_enumerated_fields(pair: tuple[DemoClaim, DemoAttribution]) -> None:
    _, a = pair
    assert a.stance in STANCES
    if a.quantity is not None:
        assert a.quantity.bound in QUANTITY_BOUNDS
        assert a.quantity.value >= 0


# ---- sources and references ------------------------------------------------------------------


def test_source_keys_unique() -> None:
    keys = [s.key for s in SOURCES]
    assert len(keys) == len(set(keys))


def test_claim_keys_unique_and_present() -> None:
    keys = [c.key for c in CLAIMS]
    assert all(keys)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.key)
def test_source_fields(source: curated.DemoSource) -> None:
    assert source.key and source.key == source.key.strip().lower()
    assert source.name.strip()
    assert source.kind in SOURCE_KINDS
    assert source.reliability is None or source.reliability in RELIABILITY_GRADES
    assert len(set(source.aliases)) == len(source.aliases)
    assert source.affiliation is None or source.affiliation in SOURCE_KEYS
    assert source.affiliation != source.key


def test_all_referenced_sources_exist() -> None:
    for claim, a in ALL_ATTRIBUTIONS:
        assert a.source in SOURCE_KEYS, (claim.key, a.source)
        for key in a.via:
            assert key in SOURCE_KEYS, (claim.key, key)


def test_via_chains_are_simple() -> None:
    for claim, a in ALL_ATTRIBUTIONS:
        assert len(set(a.via)) == len(a.via), claim.key
        assert a.source not in a.via, claim.key


def test_affiliation_graph_is_acyclic() -> None:
    for source in SOURCES:
        seen = {source.key}
        current = source.affiliation
        while current is not None:
            assert current not in seen, f"affiliation cycle through {current}"
            seen.add(current)
            current = SOURCES_BY_KEY[current].affiliation


def test_every_source_is_used() -> None:
    used = {DOCUMENT.publisher}
    used |= {a.source for _, a in ALL_ATTRIBUTIONS}
    used |= {k for _, a in ALL_ATTRIBUTIONS for k in a.via}
    used |= {s.affiliation for s in SOURCES if s.affiliation}
    assert used >= SOURCE_KEYS, SOURCE_KEYS - used


def test_named_sources_as_required() -> None:
    kcna = SOURCES_BY_KEY["kcna"]
    assert kcna.name == "KCNA"
    assert kcna.kind == "NEWS_AGENCY" and kcna.state_affiliated
    assert {
        "Korean Central News Agency",
        "Koreanische Zentrale Nachrichtenagentur",
        "offizielle koreanische Zentrale Nachrichtenagentur",
    } <= set(kcna.aliases)
    kremlin = SOURCES_BY_KEY["kremlin"]
    assert kremlin.kind == "GOVERNMENT" and kremlin.state_affiliated
    assert {"Kreml", "Kremlin"} <= set(kremlin.aliases)
    assert SOURCES_BY_KEY["kyodo"].kind == "NEWS_AGENCY"
    assert SOURCES_BY_KEY["kyodo"].country == "JP"
    assert SOURCES_BY_KEY["kyodo-unnamed-sources"].kind == "ANONYMOUS"
    assert "ungenannte Quellen" in SOURCES_BY_KEY["kyodo-unnamed-sources"].aliases
    assert SOURCES_BY_KEY["us-intelligence"].kind == "INTELLIGENCE"
    assert SOURCES_BY_KEY["rusi"].kind == "THINK_TANK"
    assert SOURCES_BY_KEY["rusi"].name == "Royal United Services Institute"
    assert SOURCES_BY_KEY["jack-watling"].kind == "PERSON"
    assert SOURCES_BY_KEY["jack-watling"].affiliation == "rusi"
    assert SOURCES_BY_KEY["imago"].kind == "PHOTO_AGENCY"
    for photographer in ("artem-geodakyan", "mikhail-metzel"):
        assert SOURCES_BY_KEY[photographer].kind == "PERSON"
        assert SOURCES_BY_KEY[photographer].affiliation == "imago"


def test_source_names_appear_in_text(text: str) -> None:
    # Every named source except the unidentified publisher is mentioned in the article by its
    # name or one of its aliases, so the data set cannot introduce sources the text lacks.
    for source in SOURCES:
        if source.key == DOCUMENT.publisher:
            continue
        names = (source.name, *source.aliases)
        assert any(n.casefold() in text.casefold() for n in names), source.key


# ---- claims ----------------------------------------------------------------------------------


def test_claim_count() -> None:
    assert len(CLAIMS) >= 15
    assert len(ALL_ATTRIBUTIONS) >= len(CLAIMS)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.key)
def test_statement_shape(claim: DemoClaim) -> None:
    assert claim.statement.strip() == claim.statement
    assert 0 < len(claim.statement) <= 2000
    assert claim.language == "de"
    assert claim.attributions
    assert claim.statement.endswith(".")


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.key)
def test_statement_is_cleaned_of_frames_and_hedges(claim: DemoClaim) -> None:
    lowered = claim.statement.casefold()
    for frame in ("berichtete", "nach angaben", "zufolge", "teilte", "laut ", "so jack"):
        assert frame not in lowered
    for hedge in HEDGE_CONFIDENCE:
        if hedge not in QUANTITY_HEDGES:
            assert hedge not in lowered
    # Relative dates are resolved against the publication date.
    for relative in ("mittwoch", "donnerstag", "nächsten monat", "vergangenen jahr"):
        assert relative not in lowered


def test_statements_unique() -> None:
    statements = Counter(c.statement for c in CLAIMS)
    assert max(statements.values()) == 1


def _claim(key: str) -> DemoClaim:
    return next(c for c in CLAIMS if c.key == key)


def test_shell_quantities() -> None:
    (eleven,) = _claim("russia-fired-11-million-shells").attributions
    assert eleven.quantity is not None
    assert eleven.quantity.value == 11_000_000
    assert eleven.quantity.bound == "AT_MOST"
    assert "bis zu" in eleven.hedges
    (seven,) = _claim("russia-to-fire-7-million-shells").attributions
    assert seven.quantity is not None
    assert seven.quantity.value == 7_000_000
    assert seven.quantity.bound in {"EXACT", "APPROXIMATE"}
    assert "voraussichtlich" in seven.hedges
    # One unit string for the same thing.
    assert eleven.quantity.unit == seven.quantity.unit == "shells"
    # Watling speaks, citing western estimates.
    for a in (eleven, seven):
        assert a.source == "jack-watling"
        assert a.via == ("western-estimates",)


def test_key_readings() -> None:
    invitation = _claim("putin-accepts-invitation")
    assert {a.source for a in invitation.attributions} == {"kcna", DOCUMENT.publisher}
    assert "berichtete" not in invitation.statement
    (lavrov,) = _claim("lavrov-to-pyongyang").attributions
    assert lavrov.source == "kremlin"
    (komsomolsk,) = _claim("kim-to-komsomolsk-aircraft-plants").attributions
    assert komsomolsk.source == "kremlin" and "Kremls" in komsomolsk.quote
    (sukhoi,) = _claim("kim-to-visit-sukhoi-plant").attributions
    assert sukhoi.source == "kyodo"
    assert sukhoi.via == ("kyodo-unnamed-sources",)
    assert sukhoi.hedges == ("voraussichtlich",)
    (wants,) = _claim("russia-wants-north-korean-weapons").attributions
    assert wants.source == "us-intelligence"
    (stocks,) = _claim("north-korea-old-shell-stocks").attributions
    assert stocks.source == DOCUMENT.publisher and stocks.hedges == ("Es wird vermutet",)
    (arms,) = _claim("talks-on-arms-and-food-aid").attributions
    assert arms.source == DOCUMENT.publisher and arms.hedges == ("Wahrscheinlich",)
    (sanctions,) = _claim("arms-deal-violates-un-sanctions").attributions
    assert sanctions.source == DOCUMENT.publisher and sanctions.confidence == 1.0
    (photo1,) = _claim("photo-putin-kim-vostochny").attributions
    (photo2,) = _claim("photo-putin-greets-kim").attributions
    assert photo1.source == "artem-geodakyan" and photo2.source == "mikhail-metzel"


def test_caption_attributions_precede_their_credit(text: str) -> None:
    # A caption quote is followed on the same line by the credit of its photographer.
    for key in ("photo-putin-kim-vostochny", "photo-putin-greets-kim"):
        (a,) = _claim(key).attributions
        _, end = quote_span(a, text)
        line_rest = text[end : text.index("\n", end)]
        assert SOURCES_BY_KEY[a.source].name in line_rest
        assert "Imago" in line_rest
