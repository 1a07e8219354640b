"""Which changes a subscriber or a webhook wants: one rule for both.

A change matches a filter when every filter given holds: the claim, a source anywhere
in the chain of the attribution concerned (or the source that changed), the kinds, and
a search as `claims(search:)` matches it. The first three are checked in memory; the
search needs the claims' text, so it is evaluated in SQL, once per batch of changes and
distinct search (`searched`), never once per subscriber.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select

from api.claims import merged
from api.claims.filter import ClaimFilter, searchable
from api.claims.models import Claim
from api.db import table_of
from api.live.changes import Change
from api.live.kinds import ChangeKind
from api.repository import Executor

# As long as a search a client may keep open; the claims query takes no more in effect.
MAX_SEARCH_LENGTH = 500

claim = table_of(Claim)


@dataclass(frozen=True)
class Search:
    """A normalised search term and the corpus words spelled like it (api.search.near_words)."""

    term: str
    near: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeFilter:
    claim_id: int | None = None
    source_id: int | None = None
    kinds: frozenset[ChangeKind] = frozenset()
    search: Search | None = None

    def matches(self, change: Change, found: Mapping[Search, Collection[int]]) -> bool:
        """Whether `change` passes; `found` holds, per search, the claim ids of this
        batch that it matches (`searched`)."""
        if self.kinds and change.kind not in self.kinds:
            return False
        if self.claim_id is not None and change.claim_id != self.claim_id:
            return False
        if self.source_id is not None and not (
            self.source_id == change.source_id or self.source_id in change.source_ids
        ):
            return False
        if self.search is not None:
            return change.claim_id is not None and change.claim_id in found.get(self.search, ())
        return True


async def searched(
    db: Executor, searches: Iterable[Search], changes: Iterable[Change]
) -> dict[Search, frozenset[int]]:
    """For each search, the claim ids among `changes` it matches: one statement per
    distinct search. A merged claim is searched as the claim it was merged into."""
    claim_ids = sorted({c.claim_id for c in changes if c.claim_id is not None})
    found: dict[Search, frozenset[int]] = {}
    for search in set(searches):
        if not claim_ids:
            found[search] = frozenset()
            continue
        tiers = ClaimFilter(search=search.term, near=search.near).tiers()
        kept = claim.alias("kept")
        query = (
            select(claim.c.id)
            .join(kept, merged.resolves_to(claim, kept))
            .join(searchable, searchable.c.claim_id == kept.c.id)
            .where(claim.c.id.in_(claim_ids), or_(tiers.statement, tiers.anywhere))
        )
        found[search] = frozenset((await db.execute(query)).scalars())
    return found
