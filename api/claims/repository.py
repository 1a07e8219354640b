"""Reads of claims: filtered, keyset-paginated lists and their counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, true

from api.claims.models import Claim
from api.db import table_of
from api.pagination import CLAIMS, Page, PageRequest
from api.provenance.models import Attribution, ChainLink
from api.repository import Executor, count_rows, fetch_page
from api.search import contains

claim = table_of(Claim)
attribution = table_of(Attribution)
chain = table_of(ChainLink)


@dataclass(frozen=True)
class ClaimFilter:
    search: str | None = None
    source_id: int | None = None
    document_id: int | None = None

    def where(self) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = []
        if self.source_id is not None:
            conditions.append(
                exists().where(chain.c.claim_id == claim.c.id, chain.c.source_id == self.source_id)
            )
        if self.document_id is not None:
            conditions.append(
                exists().where(
                    attribution.c.claim_id == claim.c.id,
                    attribution.c.document_id == self.document_id,
                )
            )
        if self.search is not None:
            quoted = exists().where(
                attribution.c.claim_id == claim.c.id, contains(attribution.c.quote, self.search)
            )
            conditions.append(contains(claim.c.statement, self.search) | quoted)
        return true().self_group() if not conditions else _all(conditions)


def _all(conditions: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


async def claims_page(db: Executor, request: PageRequest, where: ClaimFilter) -> Page:
    """Claims newest first (by creation, then id)."""
    return await fetch_page(db, claim, CLAIMS, where.where(), request)


async def claims_count(db: Executor, where: ClaimFilter) -> int:
    return await count_rows(db, claim, where.where())
