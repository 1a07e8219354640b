"""sources: the source list, searched by name and alias."""

from __future__ import annotations

from api.pagination import SOURCE_SEARCH, SOURCES
from api.search import normalised
from api.sources.repository import sources_count, sources_page
from schema.context import Info
from schema.pagination import Connection, connection, counter, page_request
from schema.sources.types import Source

SOURCES_DESCRIPTION = (
    "Sources, newest first; search matches names and aliases across spellings, most relevant first."
)


async def resolve_sources(
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
