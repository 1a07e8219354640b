"""The sources of a run: governments, media, anonymous sources and people, with popularity.

Sources are written once per run, before any batch, from their own random stream, so
every batch can draw publishers, quoted sources and cited ones from the same `World`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from api.enums import SourceKind
from api.generate.drafts import Record
from api.generate.draws import Pool, zipf_pool
from api.generate.vocabulary import (
    ANONYMOUS_NAMES,
    COUNTRY_ENDINGS,
    FIRST_NAMES,
    LAST_NAMES,
    MEDIA_WORDS,
    PLACE_ENDINGS,
    PUBLISHER_KINDS,
    RELIABILITY,
    START,
    STATE_RELIABILITY,
    STEMS,
    K,
)


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
