"""Reading committed changes: what subscriptions and webhooks call (docs/live.md).

A change's public id is its `position`, given at commit in commit order (migration
0014), so `position > cursor` read in order misses nothing. Rows without a position
are uncommitted (another transaction's, invisible anyway, or the reader's own) and are
never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import RowMapping, func, select

from api.db import table_of
from api.live.kinds import ChangeKind
from api.live.models import Change as ChangeRow
from api.repository import Executor

# PostgreSQL sends the position of each committed change here, at commit. A listener
# takes it as "something new": it reads `changes_after(its last position)`.
CHANNEL = "claimgraph_changes"

change = table_of(ChangeRow)


@dataclass(frozen=True)
class Change:
    """One committed change, as subscribers and webhooks see it."""

    position: int
    kind: ChangeKind
    at: datetime
    claim_id: int | None
    attribution_id: int | None
    source_id: int | None
    # Every source of the attribution's chain at commit, or the source that changed.
    source_ids: tuple[int, ...]

    @classmethod
    def from_row(cls, row: RowMapping) -> Change:
        return cls(
            position=row["position"],
            kind=ChangeKind(row["kind"]),
            at=row["at"],
            claim_id=row["claim_id"],
            attribution_id=row["attribution_id"],
            source_id=row["source_id"],
            source_ids=tuple(row["source_ids"]),
        )


async def changes_after(executor: Executor, position: int, limit: int = 1000) -> list[Change]:
    """The committed changes after `position`, oldest first, at most `limit`."""
    c = change.c
    query = (
        select(c.position, c.kind, c.at, c.claim_id, c.attribution_id, c.source_id, c.source_ids)
        .where(c.position > position)
        .order_by(c.position)
        .limit(limit)
    )
    result = await executor.execute(query)
    return [Change.from_row(row) for row in result.mappings()]


async def last_position(executor: Executor) -> int:
    """The newest committed change's position; 0 when there is none."""
    found = await executor.scalar(select(func.coalesce(func.max(change.c.position), 0)))
    return int(found or 0)
