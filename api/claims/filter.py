"""The claim filter: which claims a list shows for its search, sourceId and documentId.

Both read paths list claims through it: the resolvers (api/claims/repository.py) and
the compiled path, which renders `listed` to SQL text with its ids as the statement's
parameters (schema/compiled/root.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists

from api.claims import merged
from api.claims.models import Claim
from api.claims.provenance_tables import attribution
from api.claims.summary import ClaimSearch, SourceClaim
from api.db import table_of
from api.enums import ReviewStatus
from api.search import Tiers, claim_tiers

claim = table_of(Claim)
searchable = table_of(ClaimSearch)
source_claim = table_of(SourceClaim)

# A primary key: a value, or an expression the caller binds (a compiled statement's $n).
Key = int | ColumnElement[int]


def listed(*, source_id: Key | None = None, document_id: Key | None = None) -> ColumnElement[bool]:
    """Claims not merged away (api/claims/merged.py), with the source and document
    filters. Rejected and retracted attributions link nothing: `source_claim` leaves
    them out, and so does the document filter."""
    conditions: list[ColumnElement[bool]] = [merged.is_kept(claim)]
    if source_id is not None:
        conditions.append(
            exists().where(
                source_claim.c.claim_id == claim.c.id, source_claim.c.source_id == source_id
            )
        )
    if document_id is not None:
        conditions.append(
            exists().where(
                attribution.c.claim_id == claim.c.id,
                attribution.c.document_id == document_id,
                attribution.c.review_status.not_in(ReviewStatus.ignored()),
            )
        )
    return and_(*conditions)


@dataclass(frozen=True)
class ClaimFilter:
    search: str | None = None
    source_id: int | None = None
    document_id: int | None = None
    # Corpus words spelled like the search's words (api.search.near_words).
    near: tuple[str, ...] = ()

    def where(self) -> ColumnElement[bool]:
        """`listed` with this filter's ids (search is applied by the page query)."""
        return listed(source_id=self.source_id, document_id=self.document_id)

    def tiers(self) -> Tiers:
        assert self.search is not None
        c = searchable.c
        return claim_tiers(
            self.search, c.statement_vector, c.statement_folded, c.vector, c.folded, self.near
        )
