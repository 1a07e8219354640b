"""Top-level reads: refetch by id, and the three paginated lists."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import strawberry
from sqlalchemy import RowMapping
from strawberry.dataloader import DataLoader

from api.claims.filter import ClaimFilter
from api.claims.repository import claims_count, claims_page
from api.documents.repository import documents_count, documents_page
from api.pagination import (
    CLAIM_SEARCH,
    CLAIMS,
    DOCUMENT_SEARCH,
    DOCUMENTS,
    SOURCE_SEARCH,
    SOURCES,
)
from api.search import near_words, normalised
from api.sources.repository import sources_count, sources_page
from schema.comparison import SourceComparison, resolve_compare_sources
from schema.context import Info
from schema.errors import ClientError
from schema.history import Revision, history_of
from schema.ids import BadId, decode_id, filter_id
from schema.keys import ApiKey, resolve_api_keys
from schema.pagination import Connection, connection, page_request
from schema.types import Attribution, Claim, Document, Node, Source

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
    row = await _loader(info, type_name).load(pk)
    return None if row is None else NODE_BUILDERS[type_name](row)


def counter(info: Info, count: Callable[[Any], Awaitable[int]]) -> Callable[[], Awaitable[int]]:
    return lambda: info.context.loaders.read(count)


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

    @strawberry.field(description="The object with this id, of any type; null when there is none.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field(
        description=(
            "Every revision of the object with this id, oldest first, even when the object"
            " itself is gone (an admin's hard retraction); a merged claim's own revisions."
            " Empty when the id never named anything."
        )
    )
    async def history(
        self, info: Info, id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[Revision]:
        try:
            type_name, pk = decode_id(id)
        except BadId as exc:
            raise ClientError(str(exc)) from exc
        return await history_of(info, type_name, pk, first, after, with_merged=False)

    @strawberry.field(
        description="The objects with these ids, in order; null for each unknown one."
    )
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > 100:
            raise ClientError(f"nodes takes at most 100 ids (got {len(ids)})")
        return list(await asyncio.gather(*(resolve_node(info, i) for i in ids)))

    @strawberry.field(
        description=(
            "Claims, newest first; search matches statements and the quotes that carry them,"
            " in any language, across spellings (Wostotschny finds Vostochny), and the names"
            " and aliases of the sources behind them; searched results come most relevant"
            " first, then newest. sourceId: claims with an attribution whose chain contains"
            " that source; documentId: claims with an attribution in that document."
        )
    )
    async def claims(
        self,
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

    @strawberry.field(
        description=(
            "Sources, newest first; search matches names and aliases across spellings, most"
            " relevant first."
        )
    )
    async def sources(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
    ) -> Connection[Source]:
        term = normalised(search)
        request = page_request(SOURCES if term is None else SOURCE_SEARCH, first, after)
        support = await info.context.search.support(needed=term is not None)
        page = await info.context.loaders.read(lambda c: sources_page(c, request, term, support))
        return connection(
            page, Source.from_row, counter(info, lambda c: sources_count(c, term, support))
        )

    @strawberry.field(
        description=(
            "Documents, newest first; search matches titles, urls and texts in their"
            " language, most relevant first."
        )
    )
    async def documents(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: str | None = None,
    ) -> Connection[Document]:
        term = normalised(search)
        request = page_request(DOCUMENTS if term is None else DOCUMENT_SEARCH, first, after)
        support = await info.context.search.support(needed=term is not None)
        page = await info.context.loaders.read(lambda c: documents_page(c, request, term, support))
        return connection(
            page, Document.from_row, counter(info, lambda c: documents_count(c, term, support))
        )
