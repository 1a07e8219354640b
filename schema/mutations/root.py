"""The Mutation root: one field per file in this package."""

from __future__ import annotations

import strawberry

from schema.keys import (
    CreateApiKeyPayload,
    RevokeApiKeyPayload,
    resolve_create_api_key,
    resolve_revoke_api_key,
)
from schema.mutations.attributions import (
    AddAttributionPayload,
    UpdateAttributionPayload,
    resolve_add_attribution,
    resolve_update_attribution,
)
from schema.mutations.claims import (
    CreateClaimPayload,
    MergeClaimsPayload,
    UpdateClaimPayload,
    resolve_create_claim,
    resolve_merge_claims,
    resolve_update_claim,
)
from schema.mutations.documents import (
    CreateDocumentPayload,
    UpdateDocumentPayload,
    resolve_create_document,
    resolve_update_document,
)
from schema.mutations.ingest import IngestDocumentPayload, resolve_ingest_document
from schema.mutations.review import (
    RetractAttributionPayload,
    ReviewAttributionPayload,
    resolve_retract_attribution,
    resolve_review_attribution,
)
from schema.mutations.sources import (
    CreateSourcePayload,
    UpdateSourcePayload,
    resolve_create_source,
    resolve_update_source,
)


@strawberry.type
class Mutation:
    create_source: CreateSourcePayload = strawberry.mutation(
        resolver=resolve_create_source, description="Store a source (an agency, outlet, person…)."
    )
    create_document: CreateDocumentPayload = strawberry.mutation(
        resolver=resolve_create_document,
        description="Store a document; its url, when given, must be new.",
    )
    create_claim: CreateClaimPayload = strawberry.mutation(
        resolver=resolve_create_claim, description="Store a claim: a proposition in normal form."
    )
    add_attribution: AddAttributionPayload = strawberry.mutation(
        resolver=resolve_add_attribution,
        description=(
            "Record that a source reports a claim in a document. Defaults: confidence 1.0,"
            " stance AFFIRMS, reportedAt the document's publishedAt."
        ),
    )
    ingest_document: IngestDocumentPayload = strawberry.mutation(
        resolver=resolve_ingest_document,
        description=(
            "Store an article's text with the claims it reports, each attributed to its source"
            " chain with a confidence, as suggestions for an editor to review (German and"
            " English). Ingesting the same text again writes nothing."
        ),
    )
    review_attribution: ReviewAttributionPayload = strawberry.mutation(
        resolver=resolve_review_attribution,
        description=(
            "An editor's verdict on an attribution, usually a machine suggestion: CONFIRMED"
            " makes it count as curated; REJECTED keeps it stored but counted nowhere."
        ),
    )
    update_claim: UpdateClaimPayload = strawberry.mutation(
        resolver=resolve_update_claim,
        description=(
            "Edit a claim's statement or language as of the version read; fails with CONFLICT"
            " (nothing written) when it was edited meanwhile. The old text stays in its history."
        ),
    )
    merge_claims: MergeClaimsPayload = strawberry.mutation(
        resolver=resolve_merge_claims,
        description=(
            "Merge two claims that state the same proposition, both as of the versions read"
            " (CONFLICT when either changed meanwhile). The merged claim's attributions move to"
            " the kept one; the merged claim stays stored with its history, lists and counts"
            " nowhere, and its id resolves to the kept claim."
        ),
    )
    retract_attribution: RetractAttributionPayload = strawberry.mutation(
        resolver=resolve_retract_attribution,
        description=(
            "Withdraw an attribution, with a reason, as of the version read (CONFLICT when it"
            " changed meanwhile). It stays readable by id and in its history, but, like a"
            " REJECTED one, counts in no comparison, summary or search; nothing is deleted."
            " With hard: true (admins only) it is also removed from current data; its history"
            " stays (Query.history)."
        ),
    )
    update_source: UpdateSourcePayload = strawberry.mutation(
        resolver=resolve_update_source,
        description=(
            "Edit a source as of the version read, with the rules of createSource (CONFLICT when"
            " it was edited meanwhile; INVALID for an affiliation that would make a cycle)."
        ),
    )
    update_document: UpdateDocumentPayload = strawberry.mutation(
        resolver=resolve_update_document,
        description=(
            "Edit a document's title, language, url, publishedAt or publisher as of the version"
            " read (CONFLICT when edited meanwhile). Not its text: attributions quote it by"
            " offsets. A new publisher is rewritten into its attributions' source chains."
        ),
    )
    update_attribution: UpdateAttributionPayload = strawberry.mutation(
        resolver=resolve_update_attribution,
        description=(
            "Edit an attribution's stance, confidence, hedges, reportedAt or quantity as of the"
            " version read, with the rules of addAttribution (CONFLICT when edited meanwhile)."
        ),
    )
    create_api_key: CreateApiKeyPayload = strawberry.mutation(
        resolver=resolve_create_api_key,
        description=(
            "Admins only: a new API key with a role; the key itself is in the payload, once."
        ),
    )
    revoke_api_key: RevokeApiKeyPayload = strawberry.mutation(
        resolver=resolve_revoke_api_key,
        description=(
            "Admins only: revoke a key by name or prefix. Running servers stop accepting it"
            " within CLAIMGRAPH_KEY_CACHE_SECONDS."
        ),
    )
