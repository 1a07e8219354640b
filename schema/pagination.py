"""Relay connections over keyset pages, with a lazily counted `totalCount`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry
from sqlalchemy import RowMapping

from api.pagination import Keyset, Page, PageRequest, PaginationError
from schema.context import Info
from schema.errors import ClientError

T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds, across all pages.")
    async def total_count(self) -> int:
        # Counted only when asked for: a COUNT over a large list is not free.
        return await self.count()


def page_request(keyset: Keyset, first: int | None, after: str | None) -> PageRequest:
    """Validate `first`/`after` into a request, or fail with a clear GraphQL error."""
    try:
        return keyset.request(first, after)
    except PaginationError as exc:
        raise ClientError(str(exc)) from exc


def connection(
    page: Page, node: Callable[[RowMapping], T], count: Callable[[], Awaitable[int]]
) -> Connection[T]:
    edges = [Edge(cursor=page.cursor(row), node=node(row)) for row in page.rows]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, count=count)


def counter(info: Info, count: Callable[[Any], Awaitable[int]]) -> Callable[[], Awaitable[int]]:
    """A list's `totalCount`, read on its own short connection when asked for."""
    return lambda: info.context.loaders.read(count)
