"""Quantities: digits and words in German and English, scale, bound and unit."""

from __future__ import annotations

import pytest

from api.ingest.extract import Quantity
from api.ingest.extract.quantities import best_quantity


def quantity(text: str, language: str) -> Quantity | None:
    return best_quantity(text, 0, len(text), language)


@pytest.mark.parametrize(
    ("text", "language", "value", "unit", "bound"),
    [
        ("bis zu elf Millionen Granaten", "de", 11e6, "shells", "AT_MOST"),
        ("weitere 7 Millionen Granaten", "de", 7e6, "shells", "EXACT"),
        ("1,5 Milliarden Euro", "de", 1.5e9, "EUR", "EXACT"),
        ("fast fünf Stunden lang", "de", 5, "hours", "AT_MOST"),
        ("mehr als 8.000 Cyberangriffe", "de", 8000, "cyberangriffe", "AT_LEAST"),
        ("rund 40 Schiffe", "de", 40, "ships", "APPROXIMATE"),
        ("um etwa 50 Prozent", "de", 50, "percent", "APPROXIMATE"),
        ("mindestens zwei Dutzend Menschen", "de", 24, "people", "AT_LEAST"),
        ("dreiundzwanzig Soldaten", "de", 23, "soldiers", "EXACT"),
        ("eine Million Menschen", "de", 1e6, "people", "EXACT"),
        ("up to 11 million shells", "en", 11e6, "shells", "AT_MOST"),
        ("worth about $2.3 billion", "en", 2.3e9, "USD", "APPROXIMATE"),
        ("more than 1,200 drones and missiles", "en", 1200, "drones", "AT_LEAST"),
        ("at least 46 civilians", "en", 46, "civilians", "AT_LEAST"),
        ("roughly 2,000 artillery shells a day", "en", 2000, "shells", "APPROXIMATE"),
        ("nearly three hours", "en", 3, "hours", "AT_MOST"),
        ("twenty-five soldiers", "en", 25, "soldiers", "EXACT"),
        ("up to 20 NASAMS launchers", "en", 20, "launchers", "AT_MOST"),
        ("a 50% rise", "en", 50, "percent", "EXACT"),
        ("no more than 300 people", "en", 300, "people", "AT_MOST"),
    ],
)
def test_value_unit_and_bound(
    text: str, language: str, value: float, unit: str, bound: str
) -> None:
    found = quantity(text, language)
    assert found is not None
    assert found.value == pytest.approx(value)
    assert (found.unit, found.bound) == (unit, bound)
    assert found.text in text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("am Donnerstag (14. September)", "de"),
        ("am 14.09.2023 um 10:23 Uhr", "de"),
        ("gegen 4.30 Uhr", "de"),
        ("bereits 2022 Angriffe", "de"),
        ("in February 2022", "en"),
        ("F-16 jets and Covid-19", "en"),
        ("der 3. Platz", "de"),
        ("one of the officials", "en"),
    ],
)
def test_dates_times_years_and_ordinals_are_no_quantities(text: str, language: str) -> None:
    assert quantity(text, language) is None


def test_separators_follow_the_language() -> None:
    assert quantity("8.000 Menschen", "de") == Quantity(8000, "people", "EXACT", "8.000 Menschen")
    found = quantity("8,000 people", "en")
    assert found is not None and found.value == 8000


def test_a_number_without_a_noun_borrows_the_unit_before_it() -> None:
    text = "weitere 7 Millionen abfeuern"
    found = best_quantity(text, 0, len(text), "de", inherited_unit="shells")
    assert found is not None and found.unit == "shells"


def test_the_most_salient_quantity_wins() -> None:
    found = quantity("in den kommenden zwei Jahren rund 45 Millionen Euro", "de")
    assert found is not None and (found.value, found.unit) == (45e6, "EUR")
