"""The seed article gives the answers README and curated.py promise."""

from __future__ import annotations

from api.demo import curated
from api.ingest.extract import extract

TEXT = curated.document_text()


def test_the_readme_example_claim() -> None:
    # given the seed article
    # when it is extracted
    claims = extract(TEXT, "de")
    # then the Sukhoi claim carries README's source, chain, hedge, confidence and offsets
    [sukhoi] = [c for c in claims if "Sukhoi" in c.quote]
    assert sukhoi.source is not None and sukhoi.source.name == "Kyodo"
    assert [v.name for v in sukhoi.via] == ["Ungenannte Quellen (Kyodo)"]
    assert sukhoi.hedges == ("voraussichtlich",) and sukhoi.confidence == 0.75
    assert (sukhoi.quote_start, sukhoi.quote_end) == (2094, 2184)
    assert sukhoi.statement == (
        "Kim wird eine Fabrik besuchen, in der Sukhoi-Kampfjets hergestellt werden."
    )


def test_source_names_are_the_curated_ones() -> None:
    curated_names = {s.name for s in curated.SOURCES}
    found = set()
    for claim in extract(TEXT, "de"):
        for m in [claim.source, *claim.via]:
            while m is not None:
                found.add(m.name)
                m = m.affiliation
    assert found <= curated_names
    assert {"KCNA", "Kremlin", "Kyodo", "US-Geheimdienste", "Jack Watling", "Imago"} <= found


def test_quantities_match_the_curated_ones() -> None:
    by_quote = {c.quote: c.quantity for c in extract(TEXT, "de") if c.quantity}
    shells = by_quote[
        "Jüngsten westlichen Schätzungen zufolge hat Russland im vergangenen Jahr bis zu elf "
        "Millionen Granaten in der Ukraine eingesetzt"
    ]
    assert (shells.value, shells.unit, shells.bound) == (11_000_000, "shells", "AT_MOST")
    more = by_quote["wird in diesem Jahr voraussichtlich weitere 7 Millionen abfeuern"]
    assert (more.value, more.unit, more.bound) == (7_000_000, "shells", "EXACT")
