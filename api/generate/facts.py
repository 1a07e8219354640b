"""What a claim says, apart from any language, and how a document words it.

A fact is drawn once per claim; each document that reports it renders it in its own
language, with its own hedge and its own (perhaps different) number.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime

from api.generate.draws import seconds_after
from api.generate.sources import World
from api.generate.vocabulary import (
    DATES,
    FIRST_NAMES,
    LAST_NAMES,
    MONTHS,
    QUANTIFIED,
    QUANTITY_TEMPLATES,
    TEMPLATES,
    THOUSANDS,
    WEAPONS,
    Template,
)


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


def new_fact(rng: random.Random, world: World, first_report: datetime) -> Fact:
    """Past events happened days before the first report; announced ones lie ahead."""
    quantified = rng.random() < QUANTIFIED
    template = rng.choice(QUANTITY_TEMPLATES if quantified else TEMPLATES)
    actor, other = rng.sample(world.countries, 2)
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
        rng.choice(world.places),
        day,
        rng.randrange(len(WEAPONS[0])),
        value,
    )


def format_number(value: float, language: int) -> str:
    return f"{round(value):,}".replace(",", THOUSANDS[language])


def round_significant(value: float, digits: int = 2) -> float:
    """Reported numbers are round: 11,000,000 shells, not 11,237,912."""
    scale = 10 ** max(0, math.floor(math.log10(max(value, 1))) - digits + 1)
    return float(max(1, round(value / scale)) * scale)


def render(fact: Fact, language: int, adverb: str, number: str) -> str:
    """The fact as a clause in `language`, with the hedge and the number already worded."""
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
