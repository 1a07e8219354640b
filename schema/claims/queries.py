"""claims: the claim list, searched or filtered by source or document."""

from __future__ import annotations

import strawberry

from api.claims.filter import ClaimFilter
from api.claims.repository import claims_count, claims_page
from api.pagination import CLAIM_SEARCH, CLAIMS
from api.search import near_words, normalised
from schema.claims.types import Claim
from schema.context import Info
from schema.errors import ClientError
from schema.ids import BadId, filter_id
from schema.pagination import Connection, connection, counter, page_request

CLAIMS_DESCRIPTION = (
    "Claims, newest first; search matches statements and the quotes that carry them,"
    " in any language, across spellings (Wostotschny finds Vostochny), and the names"
    " and aliases of the sources behind them; searched results come most relevant"
    " first, then newest. sourceId: claims with an attribution whose chain contains"
    " that source; documentId: claims with an attribution in that document."
)


async def resolve_claims(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    search: str | None = None,
    source_id: strawberry.ID | None = None,
    document_id: strawberry.ID | None = None,
) -> Connection[Claim]:
    term = normalised(search)
    request = page_request(CLAIMS if term is None else CLAIM_SEARCH, first, after)
    support = await info.context.search.support(needed=term is not None)
    loaders = info.context.loaders
    near = () if term is None else await loaders.read(lambda c: near_words(c, term, support))
    try:
        source_pk = filter_id(source_id, "Source", "sourceId")
        document_pk = filter_id(document_id, "Document", "documentId")
    except BadId as exc:
        raise ClientError(str(exc)) from exc
    where = ClaimFilter(search=term, near=near, source_id=source_pk, document_id=document_pk)
    page = await loaders.read(lambda c: claims_page(c, request, where))
    return connection(page, Claim.from_row, counter(info, lambda c: claims_count(c, where)))
