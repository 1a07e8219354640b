"""GraphQL fields of the interchange formats on Claim: ClaimReview, PROV, CSV.

Thin resolvers over api/interchange; each opens one short connection where the
request's reads go (`Loaders.engine`: the reads pool, the replica when the caller may
read there, or an Idempotency-Key request's own connection), never a shared session.
docs/interchange.md describes the formats.
"""

from __future__ import annotations

import enum
from typing import Any, cast

import orjson
import strawberry
from strawberry.scalars import JSON

from api.interchange.claimreview import export_claim_review
from api.interchange.csv_export import export_comparison_csv
from api.interchange.prov import export_prov, serialized
from schema.context import Info

CLAIM_REVIEW = (
    "This claim as schema.org ClaimReview JSON-LD: the Claim with its origins as author,"
    " every reporting document as appearance, the first as firstAppearance, and the"
    " sources' consensus as reviewRating. Rejected and retracted attributions are left out;"
    " unconfirmed suggestions too when includeSuggested is false. Also served at"
    " GET /claims/{id}/claimreview.jsonld."
)
PROV = (
    "This claim's provenance as a W3C PROV document: PROV-JSON, or PROV-O as JSON-LD."
    " Sources are agents; the claim, its current attributions, the reports they cite and"
    " their documents are entities, linked by wasAttributedTo, wasQuotedFrom,"
    " specializationOf, wasDerivedFrom and hadPrimarySource. Also served at"
    " GET /claims/{id}/prov.json and /prov.jsonld."
)
COMPARISON_CSV = (
    "This claim's current reports as CSV (RFC 4180, UTF-8): who reported it, when, through"
    " whom, with which stance and confidence; one row per attribution, earliest first. Also"
    " served at GET /claims/{id}/comparison.csv."
)


@strawberry.enum(description="Which serialization of W3C PROV to give.")
class ProvFormat(enum.Enum):
    PROV_JSON = "PROV_JSON"
    PROV_O_JSONLD = "PROV_O_JSONLD"


async def claim_review(info: Info, pk: int, include_suggested: bool) -> JSON:
    async with info.context.loaders.engine.connect() as connection:
        found = await export_claim_review(connection, pk, include_suggested=include_suggested)
    return cast(JSON, found)


async def prov(info: Info, pk: int, include_suggested: bool, format: ProvFormat) -> JSON:
    async with info.context.loaders.engine.connect() as connection:
        document = await export_prov(connection, pk, include_suggested=include_suggested)
    if document is None:
        return cast(JSON, None)
    text = await serialized(document, rdf=format is ProvFormat.PROV_O_JSONLD)
    parsed: Any = orjson.loads(text)
    return cast(JSON, parsed)


async def comparison_csv(info: Info, pk: int, include_suggested: bool) -> str:
    async with info.context.loaders.engine.connect() as connection:
        found = await export_comparison_csv(connection, pk, include_suggested=include_suggested)
    return found or ""
