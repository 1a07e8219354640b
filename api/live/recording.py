"""Before each commit of our sessions: CLAIM_CONTESTED for the claims this write made contested.

The row triggers of migration 0014 record what a write did; whether a claim *became*
contested needs the contested rule, which lives in one place (COMPARISON_SQL in
api/provenance/claim_comparison.py), so it is decided here, in the writing transaction,
just before it commits:

1. the claims named by this transaction's changes (rows still without a position are
   only this transaction's own: others' are invisible until they commit, numbered);
2. their rows of `claim_contested` (the state at their last recorded change; no row:
   not contested; NULL: unknown, after a bulk load: remembered, never announced),
   created if missing and locked in id order, so that two writers denying the same
   claim at once announce it once: the second waits for the first to commit, then reads
   the claim with the first's denial in it;
3. COMPARISON_SQL with the public default (suggestions count, as in Claim.comparison);
4. one CLAIM_CONTESTED per claim contested now and not before, naming the latest
   attribution this transaction changed on it (so a subscriber to one of its sources
   hears of it too), and the memo brought up to date.

Writes that do not go through our sessions (SQL by hand, the JSON Lines importer on its
own asyncpg connection, generate) record the triggers' changes but no CLAIM_CONTESTED;
the memo then lags, and the next write through the app on such a claim announces it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from api.db import WriteSession
from api.live.kinds import ChangeKind
from api.provenance.claim_comparison import COMPARISON_SQL

PENDING_CLAIMS = text(
    "SELECT DISTINCT ON (claim_id) claim_id, attribution_id, source_id FROM change"
    " WHERE position IS NULL AND claim_id IS NOT NULL AND kind <> :contested"
    " ORDER BY claim_id, attribution_id IS NULL, id DESC"
)
LOCK_MEMO = text(
    "INSERT INTO claim_contested (claim_id, contested)"
    " SELECT id, false FROM unnest(CAST(:ids AS bigint[])) AS t (id) ORDER BY id"
    " ON CONFLICT (claim_id) DO NOTHING"
)
READ_MEMO = text(
    "SELECT claim_id, contested FROM claim_contested"
    " WHERE claim_id = ANY(CAST(:ids AS bigint[])) ORDER BY claim_id FOR UPDATE"
)
CONTESTED_NOW = text(f"SELECT claim_id, contested FROM ({COMPARISON_SQL}) compared")
ANNOUNCE = text(
    "INSERT INTO change (kind, claim_id, attribution_id, source_id)"
    " SELECT :contested, t.claim_id, t.attribution_id, t.source_id"
    " FROM unnest(CAST(:claims AS bigint[]), CAST(:attributions AS bigint[]),"
    "             CAST(:sources AS bigint[])) AS t (claim_id, attribution_id, source_id)"
    " ORDER BY t.claim_id"
)
REMEMBER = text(
    "UPDATE claim_contested m SET contested = t.contested"
    " FROM unnest(CAST(:ids AS bigint[]), CAST(:states AS boolean[])) AS t (id, contested)"
    " WHERE m.claim_id = t.id"
)


def record_contested(session: Session) -> None:
    """Steps 1 to 4 of the module's docstring, on the session's connection."""
    contested = ChangeKind.CLAIM_CONTESTED.value
    pending = {
        row.claim_id: row for row in session.execute(PENDING_CLAIMS, {"contested": contested})
    }
    if not pending:
        return
    ids = sorted(pending)
    session.execute(LOCK_MEMO, {"ids": ids})
    memo: dict[int, bool | None] = {
        row.claim_id: row.contested for row in session.execute(READ_MEMO, {"ids": ids})
    }
    compared = session.execute(CONTESTED_NOW, {"ids": ids, "include_suggested": True})
    now: dict[int, bool] = {row.claim_id: row.contested for row in compared}
    # Unknown (NULL, after a bulk load): remembered now, never announced.
    changed = [pk for pk in ids if memo.get(pk) is None or now.get(pk, False) != memo[pk]]
    if not changed:
        return
    became = [pending[pk] for pk in changed if memo.get(pk) is False and now.get(pk, False)]
    if became:
        session.execute(
            ANNOUNCE,
            {
                "contested": contested,
                "claims": [row.claim_id for row in became],
                "attributions": [row.attribution_id for row in became],
                "sources": [row.source_id for row in became],
            },
        )
    session.execute(REMEMBER, {"ids": changed, "states": [now.get(pk, False) for pk in changed]})


def _before_commit(session: Any) -> None:
    record_contested(session)


event.listen(WriteSession, "before_commit", _before_commit)
