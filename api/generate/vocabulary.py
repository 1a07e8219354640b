"""The language tables of `claimgraph generate`: words, templates and the shares of kinds.

They are data, not logic, and live apart so the row builders read as code. Every
per-language tuple is ordered as `LANGUAGES`; changing any entry or its order changes the
generated rows for a seed, so benchmarks comparing runs must keep them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from api.enums import QuantityBound, SourceKind

K = SourceKind
# Batches spread their documents over these three years, batch k over the k-th slice.
START = datetime(2023, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=3 * 365)


def words(text: str) -> tuple[str, ...]:
    """Word lists read better as a line of prose than as a column of quoted strings."""
    return tuple(text.split())


@dataclass(frozen=True)
class Template:
    """A kind of claim; `unit` set means it carries a number, drawn log-uniformly."""

    texts: tuple[str, str, str, str]
    unit: str | None = None
    low: float = 0.0
    high: float = 0.0
    person_actor: bool = False
    future: bool = False


# --- per-language tuples are ordered as LANGUAGES ----------------------------------------
# The tables are data, laid out by hand for reading across languages.
# fmt: off
LANGUAGES = ("en", "de", "fr", "es")
LANGUAGE_WEIGHTS = (50, 22, 15, 13)
MONTHS = tuple(words(months) for months in (
    "January February March April May June July August September October November December",
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
))
DATES = ("{d} {m} {y}", "{d}. {m} {y}", "{d} {m} {y}", "{d} de {m} de {y}")
THOUSANDS = (",", ".", "\u202f", ".")  # French groups digits with a narrow no-break space
WEAPONS = (
    ("missile", "drone", "air defence system"),
    ("Rakete", "Drohne", "Lenkwaffe"),
    ("missile", "drone", "système antiaérien"),
    ("misil", "dron", "sistema antiaéreo"),
)
# (confidence, word in each language): adverbs that fit the {h} slot of every template.
ADVERBS = (
    (0.75, ("likely", "voraussichtlich", "vraisemblablement", "previsiblemente")),
    (0.7, ("probably", "wahrscheinlich", "probablement", "probablemente")),
    (0.8, ("reportedly", "offenbar", "apparemment", "al parecer")),
    (0.5, ("possibly", "möglicherweise", "peut-être", "posiblemente")),
    (0.6, ("allegedly", "mutmaßlich", "prétendument", "presuntamente")),
)
# bound: (weight, confidence, is a hedge, word before the number in each language)
BOUNDS = {
    QuantityBound.EXACT: (40, 1.0, False, ("", "", "", "")),
    QuantityBound.APPROXIMATE: (25, 0.95, True, ("about", "etwa", "environ", "unos")),
    QuantityBound.AT_MOST: (20, 0.9, True, ("up to", "bis zu", "jusqu'à", "hasta")),
    QuantityBound.AT_LEAST: (15, 1.0, False, ("at least", "mindestens", "au moins", "al menos")),
}
# Openings of a sentence around a quoted clause: plain ones, citing {v}, denying.
FRAMES = (
    (("According to {s}, ", "{s} reported that "), "{s} said, citing {v}, that ",
     "{s} denied that "),
    (("{s} berichtete, ", "{s} teilte mit, "), "{s} berichtete unter Berufung auf {v}, ",
     "{s} dementierte: "),
    (("Selon {s}, ", "{s} a indiqué que "), "{s} a rapporté, citant {v}, que ",
     "{s} a démenti que "),
    (("Según {s}, ", "{s} informó de que "), "{s} informó, citando a {v}, que ",
     "{s} negó que "),
)
FILLERS = (
    ("The situation in {p} remained tense.",
     "Officials in {a} did not respond to requests for comment.",
     "The report could not be independently verified.",
     "Further talks are planned for next week.",
     "Residents of {p} described hearing explosions overnight.",
     "Markets in {a} reacted calmly to the news."),
    ("Die Lage in {p} blieb angespannt.",
     "Eine Stellungnahme aus {a} lag zunächst nicht vor.",
     "Die Angaben ließen sich nicht unabhängig überprüfen.",
     "Weitere Gespräche sind für die kommende Woche geplant.",
     "Anwohner in {p} berichteten von Explosionen in der Nacht.",
     "Die Börse in {a} reagierte gelassen."),
    ("La situation à {p} restait tendue.",
     "Les autorités de {a} n'ont pas répondu aux demandes de commentaires.",
     "Ces informations n'ont pas pu être vérifiées de manière indépendante.",
     "De nouvelles discussions sont prévues la semaine prochaine.",
     "Des habitants de {p} ont fait état d'explosions pendant la nuit."),
    ("La situación en {p} seguía siendo tensa.",
     "Las autoridades de {a} no respondieron a las solicitudes de comentarios.",
     "La información no pudo ser verificada de forma independiente.",
     "Se prevén nuevas conversaciones la próxima semana.",
     "Vecinos de {p} relataron haber oído explosiones durante la noche."),
)
TEMPLATES = (
    Template(("{a} will {h}visit {p} on {d}",
              "{a} wird {h}am {d} {p} besuchen",
              "{a} va {h}se rendre à {p} le {d}",
              "{a} {h}visitará {p} el {d}"), person_actor=True, future=True),
    Template(("{a} has {h}accepted an invitation from {b} to talks on {d}",
              "{a} hat {h}eine Einladung von {b} zu Gesprächen am {d} angenommen",
              "{a} a {h}accepté une invitation de {b} à des pourparlers le {d}",
              "{a} {h}aceptó una invitación de {b} a conversaciones el {d}"), person_actor=True),
    Template(("{a} {h}tested a new {w} near {p} on {d}",
              "{a} hat am {d} {h}eine neue {w} bei {p} getestet",
              "{a} a {h}testé un nouveau {w} près de {p} le {d}",
              "{a} {h}probó un nuevo {w} cerca de {p} el {d}")),
    Template(("{a} has {h}moved troops to the border with {b} on {d}",
              "{a} hat am {d} {h}Truppen an die Grenze zu {b} verlegt",
              "{a} a {h}déplacé des troupes vers la frontière avec {b} le {d}",
              "{a} {h}trasladó tropas a la frontera con {b} el {d}")),
    Template(("{a} has {h}agreed new sanctions against {b} on {d}",
              "{a} hat am {d} {h}neue Sanktionen gegen {b} beschlossen",
              "{a} a {h}adopté de nouvelles sanctions contre {b} le {d}",
              "{a} {h}aprobó nuevas sanciones contra {b} el {d}")),
    Template(("{a} and {b} {h}broke off talks in {p} on {d}",
              "{a} und {b} haben am {d} {h}die Gespräche in {p} abgebrochen",
              "{a} et {b} ont {h}rompu les discussions à {p} le {d}",
              "{a} y {b} {h}rompieron las conversaciones en {p} el {d}")),
)
QUANTITY_TEMPLATES = (
    Template(("{a} {h}fired {q} artillery shells at {p} on {d}",
              "{a} hat am {d} {h}{q} Artilleriegranaten auf {p} abgefeuert",
              "{a} a {h}tiré {q} obus sur {p} le {d}",
              "{a} {h}disparó {q} proyectiles de artillería contra {p} el {d}"),
             "shells", 1e3, 1.2e7),
    Template(("{q} people were {h}killed in {p} on {d}",
              "{q} Menschen wurden am {d} in {p} {h}getötet",
              "{q} personnes ont {h}été tuées à {p} le {d}",
              "{q} personas {h}murieron en {p} el {d}"), "people", 3, 5e3),
    Template(("{a} will {h}provide {q} US dollars in aid to {b}",
              "{a} wird {b} {h}Hilfe in Höhe von {q} US-Dollar gewähren",
              "{a} va {h}accorder une aide de {q} dollars américains à {b}",
              "{a} {h}concederá una ayuda de {q} dólares a {b}"), "USD", 1e6, 5e10),
    Template(("{q} drones were {h}shot down over {p} on {d}",
              "{q} Drohnen wurden am {d} {h}über {p} abgeschossen",
              "{q} drones ont {h}été abattus au-dessus de {p} le {d}",
              "{q} drones {h}fueron derribados sobre {p} el {d}"), "drones", 2, 800),
    Template(("{a} has {h}deployed {q} troops near {p}",
              "{a} hat {h}{q} Soldaten bei {p} stationiert",
              "{a} a {h}déployé {q} soldats près de {p}",
              "{a} {h}desplegó {q} soldados cerca de {p}"), "troops", 500, 2e5),
)
FIRST_NAMES = words("Anna Lukas Marie Jonas Sofia Pierre Camille Javier Lucía Ivan Olga Kenji"
                    " Amira Tomás Elena Henrik Ingrid Mateo Chloé Yusuf")
LAST_NAMES = words("Keller Novak Dubois García Petrov Lindqvist Moreau Schmidt Rossi Tanaka"
                   " Haddad Kowalski Jensen Ortega Weber Laurent Fischer Morales Horvat Berg")
STEMS = words("Val Nor Kar Sud Mer Bor Trel Vel Cal Orv Dun Est Lind Tar Sel Bren Ash Kor Mal Zan")
COUNTRY_ENDINGS = words("doria land mark venia ovia ania ara heim istia onia")
PLACE_ENDINGS = words("grad holm vik mere stadt burg ton polis haven ford")
MEDIA_WORDS = {
    K.NEWS_AGENCY: ("Agence", "Press Agency", "Wire Service", "Nachrichtenagentur", "Agencia"),
    K.NEWS_OUTLET: ("Daily Courier", "Evening Herald", "Morning Post", "Weekly Observer",
                    "Gazette", "Tribune", "Rundschau", "Tageblatt", "Le Journal", "El Diario"),
    K.PHOTO_AGENCY: ("Pixwire", "Photo Service", "Bildagentur"),
    K.THINK_TANK: ("Institute for Strategic Studies", "Centre for Security Policy",
                   "Council on Regional Affairs", "Stiftung für Außenpolitik"),
    K.OTHER: ("Relief Alliance", "Monitoring Mission", "Open Source Collective",
              "Energy Traders Association"),
}
ANONYMOUS_NAMES = ("unnamed sources", "officials familiar with the matter", "a senior official",
                   "diplomatic sources", "people close to the talks", "security sources",
                   "a person with knowledge of the plans", "military sources")
# One letter per draw, "-" for none: the Admiralty grades each kind tends to get.
RELIABILITY = {
    K.NEWS_AGENCY: "AABBBBBCCD-", K.NEWS_OUTLET: "BBBCCCCDEF--", K.GOVERNMENT: "BBCCCDDEF-",
    K.INTELLIGENCE: "BBCCDF-", K.PERSON: "CCDF------", K.THINK_TANK: "BBBCCC---",
    K.ANONYMOUS: "FFFFFFF---", K.PHOTO_AGENCY: "AAABBBB---", K.OTHER: "CCCCFF----",
}
STATE_RELIABILITY = "CDDEE-"
# Who is quoted as the attributed source (when it is not the publisher itself) ...
SOURCE_KINDS = {K.NEWS_AGENCY: 30, K.GOVERNMENT: 22, K.PERSON: 22, K.THINK_TANK: 7,
                K.INTELLIGENCE: 5, K.OTHER: 8, K.PHOTO_AGENCY: 2, K.NEWS_OUTLET: 4}
# ... and whom each kind cites; anonymous sources and photo agencies cite nobody.
CITES = {
    K.NEWS_OUTLET: {K.NEWS_AGENCY: 4, K.GOVERNMENT: 2, K.PERSON: 2, K.ANONYMOUS: 2,
                    K.THINK_TANK: 1, K.INTELLIGENCE: 1, K.NEWS_OUTLET: 1},
    K.NEWS_AGENCY: {K.GOVERNMENT: 3, K.PERSON: 2, K.ANONYMOUS: 3, K.INTELLIGENCE: 1,
                    K.NEWS_OUTLET: 1},
    K.GOVERNMENT: {K.INTELLIGENCE: 2, K.PERSON: 1, K.GOVERNMENT: 1, K.ANONYMOUS: 1},
    K.PERSON: {K.ANONYMOUS: 2, K.INTELLIGENCE: 1, K.GOVERNMENT: 1, K.THINK_TANK: 1},
    K.THINK_TANK: {K.INTELLIGENCE: 1, K.GOVERNMENT: 1, K.PERSON: 1, K.ANONYMOUS: 1},
    K.INTELLIGENCE: {K.ANONYMOUS: 1, K.PERSON: 1},
    K.OTHER: {K.PERSON: 1, K.ANONYMOUS: 1, K.GOVERNMENT: 1},
}
PUBLISHER_KINDS = {K.NEWS_OUTLET: 4, K.NEWS_AGENCY: 1}
# With at most 20 and an average near 10, a gently falling share is all the skew there is.
ATTRIBUTION_COUNTS = tuple(range(1, 21))
ATTRIBUTION_WEIGHTS = tuple(80 - count for count in ATTRIBUTION_COUNTS)
VIA_LENGTH_WEIGHTS = (40, 35, 18, 7)
# Chances per attribution (per claim for QUANTIFIED) of each way of reporting it.
SELF_REPORT, HEDGED, QUOTED, DENIES, QUANTIFIED, SAME_NUMBER = 0.3, 0.45, 0.8, 0.1, 0.15, 0.7
# fmt: on
