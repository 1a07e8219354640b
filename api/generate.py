"""Seeded synthetic data for benchmarks and demos: `claimgraph generate --claims N`.

Benchmarks need a million attributions that look like news: busy agencies and quiet
outlets, chains of citations, hedged quotes in several languages, disagreeing numbers.
Rows go in with COPY and explicit ids, one transaction per batch of claims, so memory
stays flat and the statement-level triggers of migration 0002 refresh `source_claim`
and `claim_search` once per batch. Batch k draws from its own `Random` seeded with
(seed, k) and covers its own slice of the three years, so its rows never depend on
timing: a thread builds batches in order while two connections load them (the
triggers, not Python, are the bottleneck, and PostgreSQL gets both cores), and a run
with the same options on an empty database writes the same rows.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from api.documents.service import text_sha256
from api.enums import QuantityBound, SourceKind, Stance
from api.provenance.service import chain_rows

K = SourceKind
Record = tuple[Any, ...]
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


# --- vocabulary: per-language tuples are ordered as LANGUAGES -----------------------------
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
SELF_REPORT, HEDGED, QUOTED, DENIES, QUANTIFIED, SAME_NUMBER = 0.3, 0.45, 0.8, 0.1, 0.15, 0.7

SOURCE_COLUMNS = ("id", "name", "kind", "aliases", "affiliation_id", "reliability",
                  "state_affiliated", "created_at")
DOCUMENT_COLUMNS = ("id", "url", "title", "language", "published_at", "publisher_id", "text",
                    "text_sha256", "created_at")
CLAIM_COLUMNS = ("id", "statement", "language", "created_at")
ATTRIBUTION_COLUMNS = ("id", "claim_id", "document_id", "source_id", "stance", "confidence",
                       "hedges", "quote", "quote_start", "quote_end", "quantity_value",
                       "quantity_unit", "quantity_bound", "reported_at", "created_at")
CHAIN_COLUMNS = ("attribution_id", "position", "role", "source_id", "claim_id")
# fmt: on
TABLES = ("source", "document", "claim", "attribution")
ANALYZED = "source, document, claim, attribution, attribution_chain, source_claim, claim_search"


# --- options and report ------------------------------------------------------------------
@dataclass(frozen=True)
class GenerateOptions:
    """What to generate. Seed, claims and batch together fix the data: each batch has its
    own random stream, so another batch size gives other (equally plausible) rows."""

    claims: int
    seed: int = 0
    batch: int = 5000
    connections: int = 2

    def __post_init__(self) -> None:
        if min(self.claims, self.batch, self.connections) < 1:
            raise ValueError("claims, batch and connections must be positive")

    @property
    def sources(self) -> int:
        return max(50, self.claims // 50)

    @property
    def documents(self) -> int:
        return max(1, round(self.claims / 3))

    @property
    def batches(self) -> int:
        return math.ceil(self.claims / self.batch)


@dataclass
class GenerateReport:
    """What one run added, for the progress lines and the closing summary."""

    sources: int = 0
    documents: int = 0
    claims: int = 0
    attributions: int = 0
    chain_links: int = 0
    seconds: float = 0.0

    def add(self, batch: Batch) -> None:
        self.documents += len(batch.documents)
        self.claims += len(batch.claims)
        self.attributions += len(batch.attributions)
        self.chain_links += len(batch.chains)

    def summary(self) -> str:
        return (
            f"generated {self.sources} sources, {self.documents} documents, {self.claims}"
            f" claims, {self.attributions} attributions, {self.chain_links} chain links"
            f" in {self.seconds:.1f} s"
        )


# --- weighted draws ----------------------------------------------------------------------
class Pool:
    """Items with fixed weights, drawn in O(log n): `rng.choices` without the set-up cost."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def zipf_pool(rng: random.Random, items: Sequence[int], exponent: float = 1.1) -> Pool:
    """Popularity by a random rank: a few items get most of the draws, as in the news."""
    ranks = list(range(1, len(items) + 1))
    rng.shuffle(ranks)
    return Pool(items, [rank**-exponent for rank in ranks])


def kind_pool(weights: dict[SourceKind, int]) -> Pool:
    return Pool(list(weights), list(weights.values()))


SOURCE_KIND_POOL = kind_pool(SOURCE_KINDS)
CITE_POOLS = {kind: kind_pool(cited) for kind, cited in CITES.items()}
PUBLISHER_KIND_POOL = kind_pool(PUBLISHER_KINDS)
LANGUAGE_POOL = Pool(range(len(LANGUAGES)), LANGUAGE_WEIGHTS)
COUNT_POOL = Pool(ATTRIBUTION_COUNTS, ATTRIBUTION_WEIGHTS)
VIA_LENGTH_POOL = Pool(range(len(VIA_LENGTH_WEIGHTS)), VIA_LENGTH_WEIGHTS)
BOUND_POOL = Pool(list(BOUNDS), [bound[0] for bound in BOUNDS.values()])


def seconds_after(moment: datetime, rng: random.Random, low: float, high: float) -> datetime:
    return moment + timedelta(seconds=round(rng.uniform(low, high)))


# --- the sources -------------------------------------------------------------------------
@dataclass
class World:
    """The sources of a run, with the names and popularity that batches draw from."""

    records: list[Record] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    kind_of: dict[int, SourceKind] = field(default_factory=dict)
    by_kind: dict[SourceKind, list[int]] = field(default_factory=dict)
    pools: dict[SourceKind, Pool] = field(default_factory=dict)
    countries: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


class SourceWriter:
    """Appends source rows with ascending ids: affiliations point only backwards, so no cycles."""

    def __init__(self, rng: random.Random, first_id: int) -> None:
        self.rng = rng
        self.next_id = first_id
        self.world = World()

    def add(
        self,
        name: str,
        kind: SourceKind,
        *,
        aliases: Sequence[str] = (),
        affiliation: int | None = None,
        state: bool = False,
    ) -> int:
        source_id = self.next_id
        self.next_id += 1
        grade = self.rng.choice(STATE_RELIABILITY if state else RELIABILITY[kind])
        created = START - timedelta(seconds=self.rng.randrange(30 * 86400, 400 * 86400))
        self.world.records.append(
            (
                source_id,
                name,
                kind.value,
                list(aliases),
                affiliation,
                None if grade == "-" else grade,
                state,
                created,
            )
        )
        self.world.names[source_id] = name
        self.world.kind_of[source_id] = kind
        self.world.by_kind.setdefault(kind, []).append(source_id)
        return source_id


def build_world(seed: int, total: int, first_id: int) -> World:
    """About `total` sources of every kind; the same seed and first id give the same sources."""
    rng = random.Random(f"claimgraph:{seed}:sources")
    writer = SourceWriter(rng, first_id)
    countries = max(4, total // 40)
    names = unique_names(rng, STEMS, COUNTRY_ENDINGS, countries)
    governments = [add_country(writer, country) for country in names]
    rest = total - len(ANONYMOUS_NAMES) - 4 * countries
    add_media(writer, rest, governments)
    for name in ANONYMOUS_NAMES:
        writer.add(name, K.ANONYMOUS)
    add_persons(writer, total - (writer.next_id - first_id))
    world = writer.world
    world.pools = {kind: zipf_pool(rng, ids) for kind, ids in world.by_kind.items()}
    world.countries = names
    world.places = unique_names(rng, STEMS, PLACE_ENDINGS, 60)
    return world


def unique_names(
    rng: random.Random, stems: Sequence[str], endings: Sequence[str], count: int
) -> list[str]:
    combined = [stem + ending.lower() for stem in stems for ending in endings]
    rng.shuffle(combined)
    return [
        combined[i % len(combined)] + (f" {i // len(combined) + 1}" if i >= len(combined) else "")
        for i in range(count)
    ]


def add_country(writer: SourceWriter, country: str) -> int:
    """A government, two ministries under it and an intelligence service under the first."""
    government = writer.add(
        f"Government of {country}", K.GOVERNMENT, aliases=[f"{country} government"]
    )
    defence = writer.add(f"Ministry of Defence of {country}", K.GOVERNMENT, affiliation=government)
    writer.add(f"Foreign Ministry of {country}", K.GOVERNMENT, affiliation=government)
    writer.add(
        f"{country} Intelligence Service",
        K.INTELLIGENCE,
        affiliation=defence,
        aliases=[f"{country[0]}IS"],
    )
    return government


def add_media(writer: SourceWriter, rest: int, governments: list[int]) -> None:
    """Agencies and outlets (some state-affiliated), photo agencies, think tanks and others."""
    shares = {
        K.NEWS_AGENCY: 0.08,
        K.NEWS_OUTLET: 0.30,
        K.PHOTO_AGENCY: 0.03,
        K.THINK_TANK: 0.07,
        K.OTHER: 0.06,
    }
    rng = writer.rng
    for kind, share in shares.items():
        count = max(3 if kind in PUBLISHER_KINDS else 2, round(rest * share))
        for number in sorted(rng.sample(range(1, 10 * count + 10), count)):
            name = f"{rng.choice(MEDIA_WORDS[kind])} {number}"
            state = kind in PUBLISHER_KINDS and rng.random() < 0.25
            funded = kind is K.THINK_TANK and rng.random() < 0.2
            aliases = [f"{''.join(w[0] for w in name.split()[:-1])} {number}"]
            writer.add(
                name,
                kind,
                aliases=aliases if rng.random() < 0.5 else (),
                state=state,
                affiliation=rng.choice(governments) if state or funded else None,
            )


def add_persons(writer: SourceWriter, count: int) -> None:
    """Spokespeople of governments, think-tank analysts, correspondents and free agents."""
    rng, world = writer.rng, writer.world
    employers: tuple[list[int], ...] = (
        world.by_kind[K.GOVERNMENT],
        world.by_kind[K.THINK_TANK],
        world.by_kind[K.NEWS_OUTLET],
        [],
    )
    taken: set[str] = set()
    for _ in range(max(2, count)):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last}"
        while name in taken:
            name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        taken.add(name)
        employer = rng.choices(employers, weights=(30, 25, 25, 20))[0]
        writer.add(
            name,
            K.PERSON,
            aliases=[f"{first[0]}. {last}"] if rng.random() < 0.15 else (),
            affiliation=rng.choice(employer) if employer else None,
        )


# --- claims, documents and attributions of one batch -------------------------------------
@dataclass(frozen=True)
class Fact:
    """What a claim says, independent of language: each document words it in its own."""

    template: Template
    actor: str
    other: str
    place: str
    day: date
    weapon: int
    value: float | None


@dataclass(slots=True)
class DocumentDraft:
    id: int
    language: int
    publisher: int
    published_at: datetime
    created_at: datetime
    quoted: list[AttributionDraft] = field(default_factory=list)


@dataclass(slots=True)
class AttributionDraft:
    """An attribution whose quote offsets are known once its document's text is written."""

    id: int
    claim_id: int
    document: DocumentDraft
    source_id: int
    via: list[int]
    stance: str
    confidence: float
    hedges: list[str]
    quantity: tuple[float, str | None, str] | None
    reported_at: datetime
    created_at: datetime
    clause: str = ""
    sentence: str = ""
    prefix: int = 0
    start: int | None = None


@dataclass
class Batch:
    documents: list[Record]
    claims: list[Record]
    attributions: list[Record]
    chains: list[Record]


def format_number(value: float, language: int) -> str:
    return f"{round(value):,}".replace(",", THOUSANDS[language])


def round_significant(value: float, digits: int = 2) -> float:
    """Reported numbers are round: 11,000,000 shells, not 11,237,912."""
    scale = 10 ** max(0, math.floor(math.log10(max(value, 1))) - digits + 1)
    return float(max(1, round(value / scale)) * scale)


def render(fact: Fact, language: int, adverb: str, number: str) -> str:
    day = fact.day
    month = MONTHS[language][day.month - 1]
    return fact.template.texts[language].format(
        a=fact.actor,
        b=fact.other,
        p=fact.place,
        w=WEAPONS[language][fact.weapon],
        d=DATES[language].format(d=day.day, m=month, y=day.year),
        h=f"{adverb} " if adverb else "",
        q=number,
    )


class BatchBuilder:
    """Builds batch after batch; ids continue from the previous batch, so build them in order."""

    def __init__(self, options: GenerateOptions, world: World, bases: dict[str, int]) -> None:
        self.options = options
        self.world = world
        self.bases = bases
        self.next_document = bases["document"] + 1
        self.next_attribution = bases["attribution"] + 1

    def window(self, number: int) -> tuple[datetime, timedelta]:
        """Batch k covers the k-th slice of the three years, so time runs with the ids."""
        return START + SPAN * number / self.options.batches, SPAN / self.options.batches

    def build(self, number: int) -> Batch:
        rng = random.Random(f"claimgraph:{self.options.seed}:batch:{number}")
        first = number * self.options.batch
        count = min(self.options.batch, self.options.claims - first)
        documents = self.plan_documents(rng, number)
        pools = document_pools(rng, documents)
        claims: list[Record] = []
        drafts: list[AttributionDraft] = []
        for index in range(first, first + count):
            claim, own = self.claim(rng, self.bases["claim"] + index + 1, pools)
            claims.append(claim)
            drafts.extend(own)
        return Batch(
            [self.document_record(rng, d) for d in documents],
            claims,
            [attribution_record(d) for d in drafts],
            chain_records(drafts),
        )

    def claim(
        self, rng: random.Random, claim_id: int, pools: list[Pool]
    ) -> tuple[Record, list[AttributionDraft]]:
        """A claim first reported around its event, in documents mostly of its language."""
        language = LANGUAGE_POOL.pick(rng)
        same = pools[language] if pools[language].items else pools[-1]
        documents: list[DocumentDraft] = [
            (same if rng.random() < 0.85 else pools[-1]).pick(rng)
            for _ in range(COUNT_POOL.pick(rng))
        ]
        fact = self.fact(rng, min(d.published_at for d in documents))
        drafts = [self.draft(rng, claim_id, fact, document) for document in documents]
        created = min(d.created_at for d in drafts) - timedelta(seconds=rng.randint(1, 60))
        statement = render(fact, language, "", format_number(fact.value or 0, language))
        return (claim_id, f"{statement}.", LANGUAGES[language], created), drafts

    def plan_documents(self, rng: random.Random, number: int) -> list[DocumentDraft]:
        total, claims = self.options.documents, self.options.claims
        first = number * self.options.batch
        last = min(first + self.options.batch, claims)
        count = max(1, round(total * last / claims) - round(total * first / claims))
        start, length = self.window(number)
        documents = []
        for _ in range(count):
            published = seconds_after(start, rng, 0, length.total_seconds())
            publisher = self.world.pools[PUBLISHER_KIND_POOL.pick(rng)].pick(rng)
            documents.append(
                DocumentDraft(
                    self.next_document,
                    LANGUAGE_POOL.pick(rng),
                    publisher,
                    published,
                    seconds_after(published, rng, 60, 3600),
                )
            )
            self.next_document += 1
        return documents

    def fact(self, rng: random.Random, first_report: datetime) -> Fact:
        """Past events happened days before the first report; announced ones lie ahead."""
        quantified = rng.random() < QUANTIFIED
        template = rng.choice(QUANTITY_TEMPLATES if quantified else TEMPLATES)
        actor, other = rng.sample(self.world.countries, 2)
        if template.person_actor and rng.random() < 0.5:
            actor = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        ahead = (86400, 30 * 86400) if template.future else (-3 * 86400, -3600)
        day = seconds_after(first_report, rng, *ahead).date()
        value = None
        if quantified:
            value = round_significant(
                math.exp(rng.uniform(math.log(template.low), math.log(template.high)))
            )
        return Fact(
            template,
            actor,
            other,
            rng.choice(self.world.places),
            day,
            rng.randrange(len(WEAPONS[0])),
            value,
        )

    def draft(
        self, rng: random.Random, claim_id: int, fact: Fact, document: DocumentDraft
    ) -> AttributionDraft:
        source, via = self.chain(rng, document.publisher)
        reported = document.published_at
        if rng.random() < 0.3:
            reported = seconds_after(reported, rng, 600, 36 * 3600)
        created = seconds_after(max(reported, document.created_at), rng, 60, 6 * 3600)
        denies = rng.random() < DENIES
        draft = AttributionDraft(
            self.next_attribution,
            claim_id,
            document,
            source,
            via,
            (Stance.DENIES if denies else Stance.AFFIRMS).value,
            1.0,
            [],
            None,
            reported,
            created,
        )
        self.next_attribution += 1
        adverb, number = word(rng, draft, fact, document.language)
        if rng.random() < QUOTED:
            draft.clause = render(fact, document.language, adverb, number)
            self.frame(rng, draft, denies)
        return draft

    def chain(self, rng: random.Random, publisher: int) -> tuple[int, list[int]]:
        """The attributed source and the 0-3 sources it cites, never repeating one."""
        source = publisher
        if rng.random() >= SELF_REPORT:
            source = self.world.pools[SOURCE_KIND_POOL.pick(rng)].pick(rng)
        kind = self.world.kind_of[source]
        via: list[int] = []
        taken = {source, publisher}
        for _ in range(VIA_LENGTH_POOL.pick(rng)):
            if kind not in CITE_POOLS:
                break
            kind = CITE_POOLS[kind].pick(rng)
            cited = self.world.pools[kind].pick(rng)
            if cited in taken:
                break
            via.append(cited)
            taken.add(cited)
        return source, via

    def frame(self, rng: random.Random, draft: AttributionDraft, denies: bool) -> None:
        plain, citing, denial = FRAMES[draft.document.language]
        opening = denial if denies else citing if draft.via else rng.choice(plain)
        names = self.world.names
        before = opening.format(
            s=names[draft.source_id], v=names[draft.via[0]] if draft.via else ""
        )
        before = before[0].upper() + before[1:]
        draft.prefix = len(before)
        draft.sentence = f"{before}{draft.clause}."
        draft.document.quoted.append(draft)

    def document_record(self, rng: random.Random, document: DocumentDraft) -> Record:
        language = document.language
        fillers = [
            rng.choice(FILLERS[language]).format(
                a=rng.choice(self.world.countries), p=rng.choice(self.world.places)
            )
            for _ in range(rng.randint(2, 6))
        ]
        text = write_text(rng, document, fillers)
        headline = document.quoted[0].clause if document.quoted else fillers[0].rstrip(".")
        headline = headline[0].upper() + headline[1:200]
        publisher = self.world.names[document.publisher].lower().replace(" ", "-")
        url = (
            f"https://example.org/{publisher}/{LANGUAGES[language]}/"
            f"{document.published_at:%Y/%m/%d}/article-{document.id}"
        )
        return (
            document.id,
            url,
            headline,
            LANGUAGES[language],
            document.published_at,
            document.publisher,
            text,
            text_sha256(text),
            document.created_at,
        )


def document_pools(rng: random.Random, documents: list[DocumentDraft]) -> list[Pool]:
    """One pool per language, then one of all documents; long reads carry more claims."""
    weights = [rng.uniform(0.3, 1.7) for _ in documents]
    pools = []
    for language in range(len(LANGUAGES)):
        chosen = [i for i, d in enumerate(documents) if d.language == language]
        pools.append(Pool([documents[i] for i in chosen], [weights[i] for i in chosen]))
    pools.append(Pool(documents, weights))
    return pools


def word(rng: random.Random, draft: AttributionDraft, fact: Fact, language: int) -> tuple[str, str]:
    """How firmly the report puts the claim: a hedging adverb, the number and its bound."""
    confidence, adverb, number = 1.0, "", ""
    if rng.random() < HEDGED:
        level, words = rng.choice(ADVERBS)
        confidence, adverb = level, words[language]
        draft.hedges.append(adverb)
    if fact.value is not None:
        value = fact.value
        if rng.random() >= SAME_NUMBER:
            value = max(fact.template.low, round_significant(value * rng.uniform(0.4, 1.8)))
        bound: QuantityBound = BOUND_POOL.pick(rng)
        _, level, hedge, words = BOUNDS[bound]
        confidence *= level
        if hedge:
            draft.hedges.append(words[language])
        number = f"{words[language]} {format_number(value, language)}".lstrip()
        draft.quantity = (value, fact.template.unit, bound.value)
    draft.confidence = round(confidence, 4)
    return adverb, number


def write_text(rng: random.Random, document: DocumentDraft, fillers: list[str]) -> str:
    """Shuffle quoted and filler sentences into paragraphs; place each quote by code points."""
    pieces: list[tuple[str, AttributionDraft | None]] = [(d.sentence, d) for d in document.quoted]
    pieces += [(filler, None) for filler in fillers]
    rng.shuffle(pieces)
    parts: list[str] = []
    offset = 0
    for index, (sentence, draft) in enumerate(pieces):
        if index:
            separator = "\n\n" if index % 4 == 0 else " "
            parts.append(separator)
            offset += len(separator)
        if draft is not None:
            draft.start = offset + draft.prefix
        parts.append(sentence)
        offset += len(sentence)
    return "".join(parts)


def attribution_record(draft: AttributionDraft) -> Record:
    quote = draft.clause if draft.start is not None else None
    end = None if draft.start is None else draft.start + len(draft.clause)
    value, unit, bound = draft.quantity or (None, None, None)
    return (
        draft.id,
        draft.claim_id,
        draft.document.id,
        draft.source_id,
        draft.stance,
        draft.confidence,
        draft.hedges,
        quote,
        draft.start,
        end,
        value,
        unit,
        bound,
        draft.reported_at,
        draft.created_at,
    )


def chain_records(drafts: list[AttributionDraft]) -> list[Record]:
    """The chain exactly as the API writes it, by the API's own `chain_rows`."""
    return [
        (row["attribution_id"], row["position"], row["role"], row["source_id"], row["claim_id"])
        for d in drafts
        for row in chain_rows(d.id, d.claim_id, d.document.publisher, d.source_id, d.via)
    ]


# --- loading -----------------------------------------------------------------------------
async def copy(connection: Any, tables: Sequence[tuple[str, Sequence[str], list[Record]]]) -> None:
    """One transaction of COPYs; bulk loads need no statement timeout nor a synchronous flush."""
    async with connection.transaction():
        await connection.execute(
            "SET LOCAL statement_timeout = 0; SET LOCAL synchronous_commit = off"
        )
        for table, columns, records in tables:
            await connection.copy_records_to_table(table, records=records, columns=columns)


async def load_batch(connection: Any, batch: Batch) -> None:
    """Attributions, then their chains: the chain COPY fires the refresh triggers once."""
    await copy(
        connection,
        [
            ("document", DOCUMENT_COLUMNS, batch.documents),
            ("claim", CLAIM_COLUMNS, batch.claims),
            ("attribution", ATTRIBUTION_COLUMNS, batch.attributions),
            ("attribution_chain", CHAIN_COLUMNS, batch.chains),
        ],
    )


async def max_ids(connection: Any) -> dict[str, int]:
    """Where this run's ids start: after whatever the database holds already."""
    return {
        table: int(await connection.fetchval(f"SELECT coalesce(max(id), 0) FROM {table}"))
        for table in TABLES
    }


async def finish(connection: Any) -> None:
    """Move the identity sequences past our explicit ids, then give the planner statistics."""
    async with connection.transaction():
        await connection.execute("SET LOCAL statement_timeout = 0")
        for table in TABLES:
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        await connection.execute(f"ANALYZE {ANALYZED}")


async def analyze(connection: Any) -> None:
    """Fresh statistics, without which the refresh triggers' plans turn quadratic.

    With no statistics PostgreSQL guesses thousands of attributions per claim and answers
    each claim of `cg_refresh_claim_search` with a scan of every document; autovacuum
    may be off (it is on the benchmark machine) or too slow to keep up with a bulk load.
    """
    async with connection.transaction():
        await connection.execute("SET LOCAL statement_timeout = 0")
        await connection.execute(f"ANALYZE {ANALYZED}")


async def driver_of(connection: AsyncConnection) -> Any:
    """The asyncpg connection under SQLAlchemy's, for COPY."""
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def generate(
    engine: AsyncEngine, options: GenerateOptions, progress: Callable[[str], None] | None = None
) -> GenerateReport:
    """Append seeded synthetic sources, documents, claims and attributions to the database."""
    started = time.monotonic()
    async with engine.connect() as connection:
        driver = await driver_of(connection)
        bases = await max_ids(driver)
        world = build_world(options.seed, options.sources, bases["source"] + 1)
        await copy(driver, [("source", SOURCE_COLUMNS, world.records)])
    report = GenerateReport(sources=len(world.records))
    tracker = Tracker(report, options.claims, started, progress, options.batch)
    queue: asyncio.Queue[Batch | None] = asyncio.Queue(maxsize=options.connections)
    async with asyncio.TaskGroup() as group:
        group.create_task(produce(BatchBuilder(options, world, bases), queue, options.connections))
        for _ in range(options.connections):
            group.create_task(consume(engine, queue, tracker))
    async with engine.connect() as connection:
        await finish(await driver_of(connection))
    report.seconds = time.monotonic() - started
    return report


async def produce(builder: BatchBuilder, queue: asyncio.Queue[Batch | None], stops: int) -> None:
    """Build batches in order (ids continue from one to the next) in a thread, off the loop."""
    for number in range(builder.options.batches):
        await queue.put(await asyncio.to_thread(builder.build, number))
    for _ in range(stops):
        await queue.put(None)


async def consume(
    engine: AsyncEngine, queue: asyncio.Queue[Batch | None], tracker: Tracker
) -> None:
    """Load batches on one connection; two of them keep both cores of PostgreSQL busy.

    Batches touch disjoint claims, so concurrent loads neither conflict nor change the rows.
    """
    async with engine.connect() as connection:
        driver = await driver_of(connection)
        while (batch := await queue.get()) is not None:
            await load_batch(driver, batch)
            if tracker.loaded(batch):
                await analyze(driver)


@dataclass
class Tracker:
    """Counts what has loaded, reports progress, and says when statistics are due."""

    report: GenerateReport
    total: int
    started: float
    progress: Callable[[str], None] | None
    next_analyze: int

    def loaded(self, batch: Batch) -> bool:
        """True after the first batch and whenever this run has doubled the data since."""
        self.report.add(batch)
        if self.progress is not None:
            self.progress(progress_line(self.report, self.total, self.started))
        if self.report.claims < self.next_analyze:
            return False
        self.next_analyze = 2 * self.report.claims
        return True


def progress_line(report: GenerateReport, total: int, started: float) -> str:
    elapsed = max(time.monotonic() - started, 1e-9)
    return (
        f"generate: {report.claims}/{total} claims, {report.attributions} attributions"
        f" ({report.claims / elapsed:,.0f} claims/s, {report.attributions / elapsed:,.0f}"
        f" attributions/s)"
    )
