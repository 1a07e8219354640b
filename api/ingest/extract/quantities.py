"""Quantities in German and English: digits and number words, scale, bound and unit.

Why these rules:

* Separators depend on the language: German writes 8.000 and 11,5, English 8,000 and 11.5.
  A group of exactly three digits after the separator is a thousands group.
* Number words ("elf Millionen", "five times") are read from a small table; "ein"/"a" count
  only before a scale word ("eine Million"), since alone they are articles.
* The bound is the qualifier written just before the number: bis zu/up to/fast/nearly ->
  AT_MOST (the seed's convention: "fast fünf Stunden" is at most five), mehr als/über/at
  least -> AT_LEAST, etwa/rund/about -> APPROXIMATE, else EXACT.
* The unit is the counted noun, normalised to a short English word where one is known, so
  quantities compare across languages; a number without a noun borrows the unit of the
  quantity before it in the same sentence ("elf Millionen Granaten … weitere 7 Millionen").
* Dates, times, years and ordinals are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from api.ingest.extract.lexicon import MONTHS
from api.ingest.extract.model import Quantity
from api.ingest.extract.units import (
    ARTICLE_ONE,
    BOUNDS,
    CURRENCY_SYMBOLS,
    DE_BILLION,
    DE_WORDS,
    EN_WORDS,
    SCALES,
    UNIT_STOPWORDS,
    normalise_unit,
)

_BOUND_RES: Final = [
    (bound, re.compile(rf"(?:^|(?<=\s))(?:{words})\s+$", re.IGNORECASE)) for bound, words in BOUNDS
]
_NUMBER_WORDS = "|".join(sorted({*DE_WORDS, *EN_WORDS, *ARTICLE_ONE}, key=len, reverse=True))
_TOKEN: Final = re.compile(
    rf"(?:(?P<cur>[$€£])\s?)?(?P<num>\d[\d.,]*\d|\d)"
    rf"|\b(?P<word>(?:[a-zäöüß]+und)?(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))?)\b",
    re.IGNORECASE,
)
_AFTER: Final = re.compile(
    r"\s*(?P<scale>Tausend|thousand|Tsd\.?|Millionen|Million|millions|Mio\.?|Milliarden|"
    r"Milliarde|Mrd\.?|billions|billion|Billionen|Billion|trillions|trillion|mn|bn)?\b\.?"
    r"(?P<rest>[^.,;:!?()]{0,80})",
    re.IGNORECASE,
)
_NOT_AFTER: Final = re.compile(
    r"\s*(?:Uhr\b|h\b|a\.m\.|p\.m\.|am\b|pm\b|:\d|\.\d|[-/]\d|°)", re.IGNORECASE
)
_WORD: Final = re.compile(r"[\w$€£%][\w\-$€£%]*")
_MONTH_AFTER: Final = re.compile(r"\.?\s*([A-Za-zäöüÄÖÜ]+)")
_CODE_BEFORE: Final = re.compile(r"[A-Za-z]-$|[A-Za-z]$|\d[.:]$")
_ORDINAL_BEFORE: Final = re.compile(r"\b(?:am|im|zum|vom|der|die|das|den|dem|des|bis|seit)\s*$")


@dataclass(frozen=True)
class _Found:
    quantity: Quantity
    start: int
    salience: int


def find_quantities(text: str, start: int, end: int, language: str) -> list[_Found]:
    """Every quantity in ``text[start:end]``, in text order."""
    out: list[_Found] = []
    for m in _TOKEN.finditer(text, start, end):
        found = _read(text, m, end, language)
        if found is not None:
            out.append(found)
    return out


def best_quantity(
    text: str, start: int, end: int, language: str, inherited_unit: str | None = None
) -> Quantity | None:
    """The claim's quantity: the most salient one (scale, bound, unit), the first on ties.

    A quantity without a unit borrows ``inherited_unit`` (elliptical "weitere 7 Millionen").
    """
    found = find_quantities(text, start, end, language)
    if not found:
        return None
    best = max(found, key=lambda f: (f.salience, -f.start)).quantity
    if best.unit is None and inherited_unit is not None:
        return Quantity(best.value, inherited_unit, best.bound, best.text)
    return best


def _read(text: str, m: re.Match[str], end: int, language: str) -> _Found | None:
    value = _value(m, language)
    if value is None or _is_date_or_time(text, m, end):
        return None
    after = _AFTER.match(text, m.end(), end)
    scale_word = after.group("scale") if after else None
    scale = _scale(scale_word, language)
    if m.group("word") and m.group("word").casefold() in ARTICLE_ONE and scale is None:
        return None
    if m.group("num") and scale is None and _is_year(m, text, value):
        return None
    rest_start = after.start("rest") if after else m.end()
    unit = _unit(text, m, rest_start, end, language)
    bound, bound_start = _bound(text, m.start())
    q_end = (
        _unit_end(text, rest_start, end, unit)
        if unit
        else (after.end("scale") if scale_word and after else m.end())
    )
    salience = 2 if scale or unit in {"USD", "EUR", "GBP", "percent"} else 0
    salience += (bound != "EXACT") + (unit is not None)
    quantity = Quantity(value * (scale or 1.0), unit, bound, text[bound_start:q_end].strip())
    return _Found(quantity, m.start(), salience)


def _value(m: re.Match[str], language: str) -> float | None:
    if m.group("num"):
        return _parse_digits(m.group("num"), language)
    word = m.group("word").casefold().replace("-", " ")
    return _parse_words(word)


def _parse_digits(raw: str, language: str) -> float | None:
    thousands, decimal = (".", ",") if language == "de" else (",", ".")
    groups = raw.split(thousands)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and decimal not in groups[0]:
        raw = "".join(groups)
    elif thousands in raw and decimal not in raw and raw.count(thousands) == 1:
        raw = raw.replace(thousands, ".")  # "1.5" in German text, "11,5" in English text
    elif thousands in raw:
        return None
    try:
        return float(raw.replace(decimal, "."))
    except ValueError:
        return None


def _parse_words(word: str) -> float | None:
    if word in ARTICLE_ONE:
        return 1.0
    parts = word.split()
    total = 0.0
    for part in parts:
        sub = _parse_word(part)
        if sub is None:
            return None
        total = total * sub if sub in (12, 100, 1000) and total else total + sub
    return total


def _parse_word(part: str) -> float | None:
    if part in ARTICLE_ONE:
        return 1.0
    table = {**DE_WORDS, **EN_WORDS}
    if part in table:
        return float(table[part])
    if "und" in part:  # dreiundzwanzig
        unit, _, tens = part.partition("und")
        if unit in DE_WORDS and tens in DE_WORDS:
            return float(DE_WORDS[unit] + DE_WORDS[tens])
    return None


def _scale(word: str | None, language: str) -> float | None:
    if not word:
        return None
    key = word.casefold().rstrip(".")
    if key in {"billion", "billionen"} and language == "de":
        return DE_BILLION
    return SCALES.get(key)


def _is_date_or_time(text: str, m: re.Match[str], end: int) -> bool:
    """ "4.30 Uhr", "10:23", "14. September", "14.09.2023", "F-16", "der 3. Platz"."""
    raw = m.group("num")
    if raw is None:
        return False
    if _NOT_AFTER.match(text, m.end(), end):
        return True
    nxt = _MONTH_AFTER.match(text, m.end(), min(end, m.end() + 20))
    if nxt and nxt.group(1).casefold() in MONTHS:
        return True
    prev = text[max(0, m.start() - 12) : m.start()]
    if _CODE_BEFORE.search(prev):
        return True
    return (
        raw.isdigit()
        and text.startswith(". ", m.end())
        and _ORDINAL_BEFORE.search(prev) is not None
    )


def _is_year(m: re.Match[str], text: str, value: float) -> bool:
    """A bare four-digit number from 1800 to 2100 is a year unless a known unit follows."""
    raw = m.group("num")
    if not (raw.isdigit() and len(raw) == 4 and 1800 <= value <= 2100):
        return False
    nxt = _WORD.search(text, m.end(), min(len(text), m.end() + 30))
    return nxt is None or normalise_unit(nxt.group()) is None


def _bound(text: str, at: int) -> tuple[str, int]:
    """The bound written just before the number, and where its words start."""
    offset = max(0, at - 25)
    before = text[offset:at]
    for bound, pattern in _BOUND_RES:
        found = pattern.search(before)
        if found:
            return bound, offset + found.start()
    return "EXACT", at


def _unit(text: str, m: re.Match[str], rest_start: int, end: int, language: str) -> str | None:
    if m.group("cur"):
        return CURRENCY_SYMBOLS[m.group("cur")]
    words = [w.group() for w in _WORD.finditer(text, rest_start, min(end, rest_start + 60))][:4]
    return _pick_unit(words, language)


def _pick_unit(words: list[str], language: str) -> str | None:
    """The counted noun among the next words: a known unit, else the first German noun or the
    last word of the first English noun run."""
    run: list[str] = []
    for w in words:
        known = normalise_unit(w)
        if known:
            return known
        low = w.casefold()
        if low in UNIT_STOPWORDS:
            break
        if language == "de":
            if w[0].isupper():
                return low
            if not low.endswith(("e", "en", "er", "es", "em")):
                break
            continue
        run.append(low)
    return run[-1] if run and language != "de" else None


def _unit_end(text: str, rest_start: int, end: int, unit: str) -> int:
    for w in _WORD.finditer(text, rest_start, min(end, rest_start + 60)):
        if w.group().casefold() == unit or normalise_unit(w.group()) == unit:
            return w.end()
    return rest_start
