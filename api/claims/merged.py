"""The merged-claim rule (migration 0008): a claim merged into another keeps its row
(`merged_into_id` names the claim kept), but it lives on only through the kept claim.

- Its id resolves to the kept claim: loaders, mutations' answers, the per-claim
  formats (api/interchange/current.py) and the compiled path all read it so.
- Lists and counts know only kept claims.

Every read that applies the rule builds it here, and the compiled path renders these
same expressions to SQL text (schema/compiled/), so the paths cannot disagree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, func, select

from api.claims.models import Claim
from api.db import table_of
from api.repository import stored_columns

claim = table_of(Claim)


def is_kept(claims: FromClause = claim) -> ColumnElement[bool]:
    """The claims lists and counts know: those not merged into another."""
    return claims.c.merged_into_id.is_(None)


def resolves_to(asked: FromClause, kept: FromClause) -> ColumnElement[bool]:
    """Joins the claim an id names (`asked`) to the claim it reads as (`kept`):
    itself, unless it was merged into another."""
    return kept.c.id == func.coalesce(asked.c.merged_into_id, asked.c.id)


def read_as_kept(*columns: str) -> Select[Any]:
    """The kept claim's `columns` (every stored one by default) for each claim of
    `claim`, the table the caller's WHERE names the asked ids on."""
    kept = claim.alias("kept")
    names = columns or [c.name for c in stored_columns(claim)]
    return select(*(kept.c[name] for name in names)).join(kept, resolves_to(claim, kept))
