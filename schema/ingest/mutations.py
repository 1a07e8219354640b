"""ingestDocument: article text in, attributed claims out (or only shown, on a dry run)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import DomainError
from api.ingest.service import Ingested, IngestRequest, ingest_document
from api.ingest.snapshot import snapshot
from api.revisions.service import act_as
from api.search import SearchSupport
from schema.claims.types import Claim
from schema.context import Info
from schema.documents.types import Document
from schema.errors import UserError, user_errors
from schema.ids import encode_id
from schema.mutation_runner import (
    Ids,
    MutationInput,
    MutationPayload,
    commit,
    integrity_problem,
    once,
    response_key,
)
from schema.provenance.types import Attribution
from schema.sources.types import Source


@strawberry.input
class IngestDocumentInput(MutationInput):
    text: str
    language: str | None = strawberry.field(
        default=None, description="Detected from the text when absent."
    )
    title: str | None = strawberry.field(
        default=None, description="The first line of the text when absent."
    )
    url: str | None = None
    published_at: datetime | None = None
    publisher_id: strawberry.ID | None = None
    dry_run: bool | None = strawberry.field(
        default=None,
        description=(
            "Extract and return everything as it would be stored, then write nothing: the"
            " ids returned do not exist afterwards."
        ),
    )


@strawberry.type(description="How an extracted claim was filed.")
class IngestedClaim:
    claim: Claim
    how: str = strawberry.field(
        description=(
            "NEW: a claim created by this ingest; SAME_STATEMENT, SIMILAR_STATEMENT or"
            " TRANSLATED_STATEMENT (another language, when cross-language matching is on): an"
            " existing claim the report was attributed to instead of a duplicate;"
            " ALREADY_STORED: the text was ingested before, and this is what it filed."
        )
    )
    similarity: float | None


@strawberry.type
class IngestDocumentPayload(MutationPayload):
    document: Document | None
    attributions: list[Attribution] = strawberry.field(
        description="The attributions found, in the order of their place in the text."
    )
    claims: list[IngestedClaim] = strawberry.field(
        description="For each attribution, in the same order, how its claim was filed."
    )
    created_sources: list[Source] = strawberry.field(
        description="Sources this ingest created because no stored source matched."
    )
    repeated: bool = strawberry.field(
        description="True when this text was ingested before: nothing new was written."
    )
    dry_run: bool
    errors: list[UserError]


async def _ingest_once(
    info: Info,
    session: AsyncSession,
    input: IngestDocumentInput,
    request: IngestRequest,
    support: SearchSupport,
) -> Ingested:
    """Ingest, minding the clientMutationId. A replay ingests again: the text is stored,
    so ingest finds it (`repeated`) and writes nothing, and the answer names the same
    document, claims and attributions as the first."""
    results: list[Ingested] = []

    async def work(session: AsyncSession) -> int:
        results.append(await ingest_document(session, request, support))
        return results[-1].document_id

    await once(info, session, work, input)
    return results[0] if results else await ingest_document(session, request, support)


def _failed(
    errors: list[UserError], dry_run: bool, client_mutation_id: str | None
) -> IngestDocumentPayload:
    return IngestDocumentPayload(
        client_mutation_id=client_mutation_id,
        document=None,
        attributions=[],
        claims=[],
        created_sources=[],
        repeated=False,
        dry_run=dry_run,
        errors=errors,
    )


async def resolve_ingest_document(info: Info, input: IngestDocumentInput) -> IngestDocumentPayload:
    ids = Ids()
    dry_run = bool(input.dry_run)
    request = IngestRequest(
        text=input.text,
        language=input.language,
        title=input.title,
        url=input.url,
        published_at=input.published_at,
        publisher_id=ids.optional(input.publisher_id, "Source", "input", "publisherId"),
        cross_language=info.context.settings.cross_language_matching,
    )
    support = await info.context.search.support()
    try:
        async with info.context.writer()() as session:
            transaction = await session.begin()
            await act_as(session, info.context.caller.actor)
            result = await _ingest_once(info, session, input, request, support)
            if ids.problems:
                raise DomainError(ids.problems)
            found = await snapshot(session, result)
            await (transaction.rollback() if dry_run else commit(info, transaction))
    except DomainError as exc:
        return _failed(user_errors(exc), dry_run, input.client_mutation_id)
    except IntegrityError as exc:
        return _failed([integrity_problem(exc)], dry_run, input.client_mutation_id)
    if dry_run:
        info.context.forget_reads()
    else:
        info.context.wrote(response_key(info), encode_id("Document", result.document_id))
    info.context.loaders.prime(found)
    attributions = [Attribution.from_row(found.attributions[a]) for a in result.attribution_ids]
    return IngestDocumentPayload(
        document=Document.from_row(found.documents[result.document_id]),
        attributions=attributions,
        claims=[
            IngestedClaim(
                claim=Claim.from_row(found.claims[match.claim_id]),
                how=match.how,
                similarity=match.similarity,
            )
            for match in result.claims
        ],
        created_sources=[Source.from_row(found.sources[s]) for s in result.created_sources],
        repeated=result.repeated,
        dry_run=dry_run,
        errors=[],
        client_mutation_id=input.client_mutation_id,
    )
