"""Article text in, attributed claims out: store a document with the claims it reports.

Every attribution found is a suggestion (EXTRACTED, SUGGESTED) for an editor to
confirm or reject. Ingesting the same text again writes nothing and returns what
was stored the first time.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import langcodes
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import table_of
from api.documents.models import MAX_TEXT_LENGTH, Document
from api.documents.service import NewDocument, create_document, text_sha256
from api.enums import QuantityBound, SourceKind, Stance
from api.errors import Problems
from api.ingest import extract
from api.ingest.claim_matching import ClaimMatch, match_or_create
from api.ingest.language import detect_language
from api.ingest.source_matching import SourceResolver
from api.provenance.models import Attribution
from api.provenance.service import NewAttribution, NewQuantity, add_attribution
from api.search import SearchSupport
from api.validation import MAX_TITLE_LENGTH, aware_time, language_tag, storable

document_table = table_of(Document)
attribution_table = table_of(Attribution)


@dataclass(frozen=True)
class IngestRequest:
    text: str
    language: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    publisher_id: int | None = None
    # Also attribute to stored translations of a claim (settings.cross_language_matching).
    cross_language: bool = False


@dataclass
class Ingested:
    """What one ingest stored (or found stored already, when `repeated`)."""

    document_id: int
    attribution_ids: list[int] = field(default_factory=list)
    claims: list[ClaimMatch] = field(default_factory=list)
    created_sources: list[int] = field(default_factory=list)
    matched_sources: list[int] = field(default_factory=list)
    repeated: bool = False


def _check(request: IngestRequest) -> None:
    problems = Problems()
    if not request.text.strip():
        problems.invalid("text must not be empty", "input", "text")
    elif len(request.text) > MAX_TEXT_LENGTH:
        problems.invalid(
            f"text is {len(request.text)} characters long; the limit is {MAX_TEXT_LENGTH}",
            "input",
            "text",
        )
    elif not storable(request.text):
        problems.invalid("text contains NUL or a lone surrogate", "input", "text")
    if request.language is not None:
        language_tag(problems, request.language, "input", "language")
    # Checked before the text is looked up: a known text must not hide a bad date.
    aware_time(problems, request.published_at, "input", "publishedAt")
    problems.raise_if_any()


def default_title(text: str) -> str:
    """The first non-empty line, cut to the title limit at a word boundary."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "Untitled")
    if len(line) <= MAX_TITLE_LENGTH:
        return line
    return line[: MAX_TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


async def _language(request: IngestRequest) -> str:
    """The client's tag in canonical form, else the detected language."""
    if request.language is not None:
        return str(langcodes.standardize_tag(request.language.strip()))
    return await asyncio.to_thread(detect_language, request.text)


async def _existing(session: AsyncSession, request: IngestRequest) -> int | None:
    """The document already holding this text (and this url, when one is given)."""
    query = select(document_table.c.id).where(
        document_table.c.text_sha256 == text_sha256(request.text)
    )
    if request.url is not None:
        query = query.where(document_table.c.url == request.url.strip())
    return await session.scalar(query.order_by(document_table.c.id).limit(1))


async def _publisher(
    session: AsyncSession, request: IngestRequest, title: str, resolver: SourceResolver
) -> int:
    """The voice of unattributed sentences: the given publisher, else one named for the site."""
    if request.publisher_id is not None:
        return request.publisher_id
    host = urlsplit(request.url.strip()).hostname if request.url else None
    name = host.removeprefix("www.") if host else f"Publisher of «{title[:200]}»"
    mention = extract.SourceMention(name=name, text=name, kind=SourceKind.NEWS_OUTLET.value)
    return await resolver.resolve(mention)


async def ingest_document(
    session: AsyncSession, request: IngestRequest, support: SearchSupport
) -> Ingested:
    """Store the document and every attribution the extractor finds in it.

    Raises DomainError (nothing written) for empty or oversized text, a bad language,
    an unknown publisher, or a url that another text already has.
    """
    _check(request)
    existing = await _existing(session, request)
    if existing is not None:
        return await _stored(session, existing)
    language = await _language(request)
    title = request.title or default_title(request.text)
    resolver = SourceResolver(session)
    publisher = await _publisher(session, request, title, resolver)
    document_id = await create_document(
        session,
        NewDocument(
            title=title,
            language=language,
            url=request.url,
            published_at=request.published_at,
            publisher_id=publisher,
            text=request.text,
        ),
    )
    found = await asyncio.to_thread(extract.extract, request.text, language.split("-")[0])
    result = Ingested(document_id=document_id)
    seen: set[tuple[int, int, int, int]] = set()
    for item in found:
        claim = await match_or_create(
            session,
            statement=item.statement,
            language=language,
            support=support,
            cross_language=request.cross_language,
        )
        source = publisher if item.source is None else await resolver.resolve(item.source)
        key = (claim.claim_id, source, item.quote_start, item.quote_end)
        if key in seen:
            continue
        seen.add(key)
        via = await _via(resolver, item.via, source)
        result.attribution_ids.append(
            await add_attribution(session, _attribution(item, claim, document_id, source, via))
        )
        result.claims.append(claim)
    result.created_sources, result.matched_sources = resolver.created, resolver.matched
    return result


async def _via(
    resolver: SourceResolver, mentions: tuple[extract.SourceMention, ...], source: int
) -> list[int]:
    """The cited sources, outermost first, without repeats or the source itself."""
    via: list[int] = []
    for mention in mentions:
        cited = await resolver.resolve(mention)
        if cited != source and cited not in via:
            via.append(cited)
    return via


def _attribution(
    item: extract.Extracted, claim: ClaimMatch, document_id: int, source: int, via: list[int]
) -> NewAttribution:
    quantity = None
    if item.quantity is not None:
        quantity = NewQuantity(
            value=item.quantity.value,
            unit=item.quantity.unit,
            bound=QuantityBound(item.quantity.bound),
        )
    return NewAttribution(
        claim_id=claim.claim_id,
        document_id=document_id,
        source_id=source,
        via=via,
        stance=Stance(item.stance),
        confidence=item.confidence,
        hedges=list(item.hedges),
        quote=item.quote,
        quote_start=item.quote_start,
        quote_end=item.quote_end,
        quantity=quantity,
        extractor_version=extract.EXTRACTOR_VERSION,
    )


async def _stored(session: AsyncSession, document_id: int) -> Ingested:
    """The answer to a repeated ingest: the document and attributions stored before."""
    rows = await session.execute(
        select(attribution_table.c.id, attribution_table.c.claim_id)
        .where(attribution_table.c.document_id == document_id)
        .order_by(attribution_table.c.quote_start.asc().nulls_last(), attribution_table.c.id)
    )
    stored = rows.all()
    return Ingested(
        document_id=document_id,
        attribution_ids=[row.id for row in stored],
        claims=[ClaimMatch(row.claim_id, "ALREADY_STORED") for row in stored],
        repeated=True,
    )
