"""The root types: Query, Mutation and Subscription, one field per domain resolver.

Each field's resolver lives with its domain (schema/<domain>/queries.py, mutations.py);
here they are assembled, in the order the SDL shows them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import strawberry
from sqlalchemy import RowMapping
from strawberry.dataloader import DataLoader

from schema.auth.mutations import (
    CreateApiKeyPayload,
    RevokeApiKeyPayload,
    resolve_create_api_key,
    resolve_revoke_api_key,
)
from schema.auth.queries import resolve_api_keys
from schema.auth.types import ApiKey
from schema.claims.mutations import (
    CreateClaimPayload,
    MergeClaimsPayload,
    UpdateClaimPayload,
    resolve_create_claim,
    resolve_merge_claims,
    resolve_update_claim,
)
from schema.claims.queries import CLAIMS_DESCRIPTION, resolve_claims
from schema.claims.types import Claim
from schema.context import Info
from schema.documents.mutations import (
    CreateDocumentPayload,
    UpdateDocumentPayload,
    resolve_create_document,
    resolve_update_document,
)
from schema.documents.queries import DOCUMENTS_DESCRIPTION, resolve_documents
from schema.documents.types import Document
from schema.errors import ClientError
from schema.ids import BadId, decode_id
from schema.ingest.mutations import IngestDocumentPayload, resolve_ingest_document
from schema.live.subscriptions import CHANGES_DESCRIPTION, resolve_changes
from schema.live.types import Change
from schema.live.webhooks import (
    CreateWebhookPayload,
    DeleteWebhookPayload,
    Webhook,
    resolve_create_webhook,
    resolve_delete_webhook,
    resolve_webhook_node,
    resolve_webhooks,
)
from schema.node import Node
from schema.pagination import Connection
from schema.provenance.mutations import (
    AddAttributionPayload,
    RetractAttributionPayload,
    ReviewAttributionPayload,
    UpdateAttributionPayload,
    resolve_add_attribution,
    resolve_retract_attribution,
    resolve_review_attribution,
    resolve_update_attribution,
)
from schema.provenance.source_comparison import SourceComparison, resolve_compare_sources
from schema.provenance.types import Attribution
from schema.revisions.queries import HISTORY_QUERY_DESCRIPTION, resolve_history
from schema.revisions.types import Revision
from schema.sources.mutations import (
    CreateSourcePayload,
    UpdateSourcePayload,
    resolve_create_source,
    resolve_update_source,
)
from schema.sources.queries import SOURCES_DESCRIPTION, resolve_sources
from schema.sources.types import Source

NODE_BUILDERS: dict[str, Callable[[RowMapping], Node]] = {
    "Source": Source.from_row,
    "Document": Document.from_row,
    "Claim": Claim.from_row,
    "Attribution": Attribution.from_row,
}


def _loader(info: Info, type_name: str) -> DataLoader[int, RowMapping | None]:
    loaders = info.context.loaders
    by_type: dict[str, DataLoader[int, RowMapping | None]] = {
        "Source": loaders.source,
        "Document": loaders.document,
        "Claim": loaders.claim,
        "Attribution": loaders.attribution,
    }
    return by_type[type_name]


async def resolve_node(info: Info, global_id: str) -> Node | None:
    """The object an id names; null when it names nothing (any more)."""
    try:
        type_name, pk = decode_id(global_id)
    except BadId as exc:
        raise ClientError(str(exc)) from exc
    if type_name == "Webhook":  # not data: its owner's alone (schema/live/webhooks.py)
        return await resolve_webhook_node(info, pk)
    row = await _loader(info, type_name).load(pk)
    return None if row is None else NODE_BUILDERS[type_name](row)


async def resolve_one_node(info: Info, id: strawberry.ID) -> Node | None:
    return await resolve_node(info, id)


async def resolve_nodes(info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
    if len(ids) > 100:
        raise ClientError(f"nodes takes at most 100 ids (got {len(ids)})")
    return list(await asyncio.gather(*(resolve_node(info, i) for i in ids)))


@strawberry.type
class Query:
    compare_sources: SourceComparison | None = strawberry.field(
        resolver=resolve_compare_sources,
        description=(
            "What two sources report in common and apart. Null, with an error, when either id"
            " names no source."
        ),
    )
    api_keys: list[ApiKey] = strawberry.field(
        resolver=resolve_api_keys,
        description="Admins only: every API key, revoked ones included, oldest first.",
    )
    node: Node | None = strawberry.field(
        resolver=resolve_one_node,
        description="The object with this id, of any type; null when there is none.",
    )
    history: Connection[Revision] = strawberry.field(
        resolver=resolve_history, description=HISTORY_QUERY_DESCRIPTION
    )
    nodes: list[Node | None] = strawberry.field(
        resolver=resolve_nodes,
        description="The objects with these ids, in order; null for each unknown one.",
    )
    claims: Connection[Claim] = strawberry.field(
        resolver=resolve_claims, description=CLAIMS_DESCRIPTION
    )
    sources: Connection[Source] = strawberry.field(
        resolver=resolve_sources, description=SOURCES_DESCRIPTION
    )
    documents: Connection[Document] = strawberry.field(
        resolver=resolve_documents, description=DOCUMENTS_DESCRIPTION
    )
    webhooks: list[Webhook] = strawberry.field(
        resolver=resolve_webhooks,
        description="The caller's webhooks (an admin's: everyone's).",
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
    create_webhook: CreateWebhookPayload = strawberry.mutation(
        resolver=resolve_create_webhook,
        description="Any caller with a key may create webhooks; they belong to that key.",
    )
    delete_webhook: DeleteWebhookPayload = strawberry.mutation(
        resolver=resolve_delete_webhook,
        description="Delete a webhook of the caller's key (an admin: anyone's).",
    )


@strawberry.type
class Subscription:
    changes: AsyncIterator[Change] = strawberry.subscription(
        resolver=resolve_changes, description=CHANGES_DESCRIPTION
    )
