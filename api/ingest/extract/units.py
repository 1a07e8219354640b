"""Number words, scales, bound words, and counted nouns normalised to short English units.

Units are short English words so that quantities compare across languages.

Keys are case-folded; German plurals and dative forms are listed explicitly because a light
stemmer would merge unrelated words ("Tote" and "Toten" yes, "Tor" and "Tore" no matter).
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from api.ingest.extract.lexicon import words

CURRENCY_SYMBOLS: Final = MappingProxyType({"$": "USD", "€": "EUR", "£": "GBP"})

_GROUPS: Final = {
    "shells": "granaten artilleriegranaten geschosse granate shells shell rounds "
    "artillery-shells munitionsgeschosse",
    "people": "menschen personen leute people persons",
    "hours": "stunden stunde hours hour std",
    "minutes": "minuten minute minutes minute min",
    "days": "tage tagen tag days day",
    "weeks": "wochen woche weeks week",
    "months": "monate monaten monat months month",
    "years": "jahre jahren jahr years year",
    "USD": "dollar us-dollar usd dollars $",
    "EUR": "euro eur euros €",
    "GBP": "pfund gbp pounds £",
    "percent": "prozent % percent per-cent pct prozentpunkte",
    "soldiers": "soldaten soldiers",
    "troops": "truppen troops",
    "ships": "schiffe schiffen ships vessels",
    "deaths": "tote toten todesopfer deaths dead",
    "injured": "verletzte verletzten injured wounded",
    "missiles": "raketen marschflugkörper missiles rockets",
    "drones": "drohnen drones",
    "tanks": "panzer kampfpanzer tanks",
    "civilians": "zivilisten zivilistinnen civilians",
    "refugees": "flüchtlinge geflüchtete refugees",
    "km": "kilometer km kilometres kilometers",
    "tonnes": "tonnen tonnes tons t",
    "times": "mal times",
}
_UNITS: Final = MappingProxyType(
    {word: unit for unit, words in _GROUPS.items() for word in words.split()}
)
# Words that end the search for the counted noun after a number.
UNIT_STOPWORDS: Final = frozenset(
    words("""
        the a an of in on at to for from by with and or last this next each per were was is are
        have has had will would as than more near since that which who der die das den dem des
        und oder im am auf für von mit pro je seit als bis zu wurden waren sind haben hat lang
        weitere mehr
    """)
)


def normalise_unit(word: str) -> str | None:
    """The short English unit for a counted noun, or None when the noun is not a known unit."""
    return _UNITS.get(word.casefold())


DE_WORDS: Final = {
    "null": 0,
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
    "zwanzig": 20,
    "dreißig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
    "hundert": 100,
    "tausend": 1000,
    "dutzend": 12,
}
EN_WORDS: Final = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
}
ARTICLE_ONE: Final = words("""
    ein eine einer einen a an one eins
""")
SCALES: Final = {
    "tausend": 1e3,
    "thousand": 1e3,
    "tsd": 1e3,
    "million": 1e6,
    "millionen": 1e6,
    "mio": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mrd": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "billionen": 1e12,
    "trillion": 1e12,
    "trillions": 1e12,
}
DE_BILLION: Final = 1e12  # German "Billion" is 10^12, English "billion" 10^9
BOUNDS: Final = (
    (
        "AT_MOST",
        r"bis zu|höchstens|maximal|fast|knapp|beinahe|nahezu|weniger als|unter|"
        r"up to|at most|as many as|no more than|fewer than|less than|under|nearly|"
        r"almost|just under",
    ),
    (
        "AT_LEAST",
        r"mehr als|über|mindestens|wenigstens|gut|more than|over|at least|"
        r"upwards of|in excess of|just over",
    ),
    (
        "APPROXIMATE",
        r"etwa|rund|ca\.|circa|zirka|ungefähr|schätzungsweise|annähernd|gegen|"
        r"about|around|approximately|roughly|some|an estimated|estimated|"
        r"approx\.|an estimate of",
    ),
)
