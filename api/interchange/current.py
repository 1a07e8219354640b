"""A claim's current provenance, read once for the per-claim formats (ClaimReview, PROV, CSV).

Current means what the API counts: rejected and retracted attributions are left
out, and so are unconfirmed suggestions unless `include_suggested`. A merged
claim's id reads as the claim it was merged into.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from api.claims import merged
from api.repository import Executor

# A merged claim's id reads as the claim it was merged into (api/claims/merged.py).
CLAIM = merged.read_as_kept("id", "statement", "language", "created_at")

ATTRIBUTIONS = """
SELECT a.*,
       ARRAY(SELECT ch.role FROM attribution_chain ch
             WHERE ch.attribution_id = a.id ORDER BY ch.position) AS chain_roles,
       ARRAY(SELECT ch.source_id FROM attribution_chain ch
             WHERE ch.attribution_id = a.id ORDER BY ch.position) AS chain_sources
FROM attribution a
WHERE a.claim_id = :id AND a.review_status NOT IN ('REJECTED', 'RETRACTED')
  AND (:include_suggested OR a.review_status = 'CONFIRMED')
ORDER BY a.reported_at ASC NULLS LAST, a.id ASC
"""

DOCUMENTS = """
SELECT id, url, title, language, published_at, publisher_id, created_at
FROM document WHERE id = ANY(:ids) ORDER BY id
"""

# The sources named anywhere, with their affiliations up to the top.
SOURCES = """
WITH RECURSIVE named (id, depth) AS (
    SELECT unnest(CAST(:ids AS bigint[])), 0
    UNION
    SELECT s.affiliation_id, n.depth + 1 FROM named n JOIN source s ON s.id = n.id
    WHERE s.affiliation_id IS NOT NULL AND n.depth < 32
)
SELECT id, name, kind, aliases, affiliation_id, reliability, state_affiliated
FROM source WHERE id IN (SELECT id FROM named) ORDER BY id
"""


@dataclass(frozen=True)
class Report:
    """One current attribution, with its chain outermost first."""

    row: Any
    chain: list[tuple[str, int]]

    @property
    def id(self) -> int:
        return int(self.row["id"])

    @property
    def origin_id(self) -> int:
        return self.chain[-1][1]

    @property
    def via(self) -> list[int]:
        return [source for role, source in self.chain if role == "VIA"]


@dataclass(frozen=True)
class ClaimProvenance:
    claim: Any
    reports: list[Report]
    documents: dict[int, Any]
    sources: dict[int, Any]

    @property
    def pk(self) -> int:
        return int(self.claim["id"])


async def claim_provenance(
    db: Executor, claim_id: int, *, include_suggested: bool = True
) -> ClaimProvenance | None:
    """The claim (None when there is none) with its current reports, documents and sources."""
    asked = CLAIM.where(merged.claim.c.id == claim_id)
    claim = (await db.execute(asked)).mappings().first()
    if claim is None:
        return None
    rows = (
        (
            await db.execute(
                text(ATTRIBUTIONS), {"id": claim["id"], "include_suggested": include_suggested}
            )
        )
        .mappings()
        .all()
    )
    reports = [
        Report(row, list(zip(row["chain_roles"], row["chain_sources"], strict=True)))
        for row in rows
    ]
    document_ids = sorted({r.row["document_id"] for r in reports})
    documents = {
        row["id"]: row
        for row in (await db.execute(text(DOCUMENTS), {"ids": document_ids})).mappings()
    }
    named = {s for r in reports for _, s in r.chain}
    named |= {d["publisher_id"] for d in documents.values() if d["publisher_id"] is not None}
    sources = {
        row["id"]: row
        for row in (await db.execute(text(SOURCES), {"ids": sorted(named)})).mappings()
    }
    return ClaimProvenance(claim, reports, documents, sources)


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
