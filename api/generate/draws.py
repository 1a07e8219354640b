"""Weighted random draws, shared by the source and the batch builders.

The pools are built once at import from the vocabulary's weights. A pick consumes
exactly one `rng.random()`, so the random streams, and with them the rows, stay stable.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from api.enums import SourceKind
from api.generate.vocabulary import (
    ATTRIBUTION_COUNTS,
    ATTRIBUTION_WEIGHTS,
    BOUNDS,
    CITES,
    LANGUAGE_WEIGHTS,
    LANGUAGES,
    PUBLISHER_KINDS,
    SOURCE_KINDS,
    VIA_LENGTH_WEIGHTS,
)


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
    """A moment `low` to `high` seconds later, to the whole second as stored rows have it."""
    return moment + timedelta(seconds=round(rng.uniform(low, high)))
