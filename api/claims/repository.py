"""Reads of claims: filtered, keyset-paginated lists (ranked when searched) and counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, and_, exists, true

from api.claims.models import Claim
from api.db import table_of
from api.pagination import CLAIM_SEARCH, CLAIMS, Page, PageRequest
from api.provenance.models import Attribution, ChainLink
from api.provenance.summary import ClaimSearch
from api.repository import Executor, count_rows, fetch_page, fetch_ranked_page
from api.search import Match, SearchSupport, match

claim = table_of(Claim)
attribution = table_of(Attribution)
chain = table_of(ChainLink)
searchable = table_of(ClaimSearch)
with_search: FromClause = claim.join(searchable, searchable.c.claim_id == claim.c.id)


@dataclass(frozen=True)
class ClaimFilter:
    search: str | None = None
    source_id: int | None = None
    document_id: int | None = None

    def where(self) -> ColumnElement[bool]:
        """The source and document filters (search is applied by the page query)."""
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
        return and_(true(), *conditions)

    def matching(self, support: SearchSupport) -> Match:
        assert self.search is not None
        return match(self.search, searchable.c.vector, searchable.c.folded, support)


async def claims_page(
    db: Executor, request: PageRequest, where: ClaimFilter, support: SearchSupport
) -> Page:
    """Claims newest first; when searched, most relevant first, then newest."""
    if where.search is None:
        return await fetch_page(db, claim, CLAIMS, where.where(), request)
    found = where.matching(support)
    return await fetch_ranked_page(
        db,
        claim,
        CLAIM_SEARCH,
        and_(where.where(), found.where),
        found.rank,
        request,
        source=with_search,
    )


async def claims_count(db: Executor, where: ClaimFilter, support: SearchSupport) -> int:
    if where.search is None:
        return await count_rows(db, claim, where.where())
    found = where.matching(support)
    return await count_rows(db, claim, and_(where.where(), found.where), source=with_search)
