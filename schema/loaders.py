"""Per-request DataLoaders: every nested field batches into one statement per level.

Each batch opens its own short connection: Strawberry resolves sibling fields
concurrently, and one connection (or AsyncSession) must never be shared by
concurrent coroutines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import RowMapping, Table
from sqlalchemy.ext.asyncio import AsyncConnection
from strawberry.dataloader import DataLoader

from api.claims.repository import claims_by_id
from api.db import table_of
from api.documents.models import Document
from api.pagination import Page, PageRequest
from api.provenance import repository as provenance
from api.provenance import source_comparison
from api.provenance.claim_comparison import Comparison, comparisons
from api.provenance.models import Attribution
from api.provenance.repository import ChainEntry, Parent
from api.repository import rows_by_id
from api.revisions import repository as revisions
from api.revisions.repository import Of
from api.sources.models import Source

if TYPE_CHECKING:
    from api.ingest.snapshot import Snapshot

T = TypeVar("T")
PageKey = tuple[Parent, int, PageRequest]
CountKey = tuple[Parent, int]
ThroughKey = tuple[int, int, bool]  # claim, source, include suggestions
HistoryKey = tuple[Of, int, PageRequest]


class Connector(Protocol):
    """Where reads get a connection: the engine's pool, or one request's own connection
    (api/web/idempotency_gate.py)."""

    def connect(self) -> AbstractAsyncContextManager[AsyncConnection]: ...


class Loaders:
    """The loaders of one request; never shared between requests (their caches would leak)."""

    def __init__(self, engine: Connector) -> None:
        self.engine = engine
        self.source = self._by_id(table_of(Source))
        self.document = self._by_id(table_of(Document))
        # A merged claim's id loads the claim it was merged into.
        self.claim: DataLoader[int, RowMapping | None] = DataLoader(self._claims)
        self.attribution = self._by_id(table_of(Attribution))
        self.chain: DataLoader[int, list[ChainEntry]] = DataLoader(self._chains)
        self.attribution_page: DataLoader[PageKey, Page] = DataLoader(self._pages)
        self.attribution_count: DataLoader[CountKey, int] = DataLoader(self._counts)
        self.comparison: DataLoader[tuple[int, bool], Comparison] = DataLoader(self._comparisons)
        self.attributions_through: DataLoader[ThroughKey, list[RowMapping]] = DataLoader(
            self._attributions_through
        )
        self.history_page: DataLoader[HistoryKey, Page] = DataLoader(self._history_pages)
        self.history_count: DataLoader[tuple[Of, int], int] = DataLoader(self._history_counts)

    def prime(self, found: Snapshot) -> None:
        """Serve rows a write read in its own transaction without reading them again."""
        self.document.prime_many(dict(found.documents))
        self.attribution.prime_many(dict(found.attributions))
        self.claim.prime_many(dict(found.claims))
        self.source.prime_many(dict(found.sources))
        self.chain.prime_many(found.chains)

    async def read(self, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run one read on a connection of its own."""
        async with self.engine.connect() as connection:
            return await work(connection)

    def _by_id(self, table: Table) -> DataLoader[int, RowMapping | None]:
        async def load(ids: Sequence[int]) -> list[RowMapping | None]:
            rows = await self.read(lambda c: rows_by_id(c, table, ids))
            return [rows.get(i) for i in ids]

        return DataLoader(load)

    async def _claims(self, ids: Sequence[int]) -> list[RowMapping | None]:
        rows = await self.read(lambda c: claims_by_id(c, ids))
        return [rows.get(i) for i in ids]

    async def _chains(self, ids: Sequence[int]) -> list[list[ChainEntry]]:
        found = await self.read(lambda c: provenance.chains(c, ids))
        return [found[i] for i in ids]

    async def _comparisons(self, keys: Sequence[tuple[int, bool]]) -> list[Comparison]:
        found: dict[tuple[int, bool], Comparison] = {}
        for include in {include for _, include in keys}:
            ids = [pk for pk, wanted in keys if wanted == include]
            async with self.engine.connect() as connection:
                batch = await comparisons(connection, ids, include_suggested=include)
            found.update({(pk, include): value for pk, value in batch.items()})
        return [found[k] for k in keys]

    async def _attributions_through(self, keys: Sequence[ThroughKey]) -> list[list[RowMapping]]:
        found: dict[ThroughKey, list[RowMapping]] = {}
        for include in {include for *_, include in keys}:
            pairs = [(c, s) for c, s, wanted in keys if wanted == include]
            async with self.engine.connect() as connection:
                batch = await source_comparison.attributions_through(connection, pairs, include)
            found.update({(c, s, include): rows for (c, s), rows in batch.items()})
        return [found[k] for k in keys]

    async def _pages(self, keys: Sequence[PageKey]) -> list[Page]:
        groups: dict[tuple[Parent, PageRequest], list[int]] = defaultdict(list)
        for parent, pid, request in keys:
            groups[(parent, request)].append(pid)
        pages: dict[PageKey, Page] = {}
        async with self.engine.connect() as connection:
            for (parent, request), pids in groups.items():
                found = await provenance.attribution_pages(connection, parent, pids, request)
                pages.update({(parent, pid, request): page for pid, page in found.items()})
        return [pages[k] for k in keys]

    async def _counts(self, keys: Sequence[CountKey]) -> list[int]:
        groups: dict[Parent, list[int]] = defaultdict(list)
        for parent, pid in keys:
            groups[parent].append(pid)
        counts: dict[CountKey, int] = {}
        async with self.engine.connect() as connection:
            for parent, pids in groups.items():
                found = await provenance.attribution_counts(connection, parent, pids)
                counts.update({(parent, pid): n for pid, n in found.items()})
        return [counts[k] for k in keys]

    async def _history_pages(self, keys: Sequence[HistoryKey]) -> list[Page]:
        groups: dict[tuple[Of, PageRequest], list[int]] = defaultdict(list)
        for of, pk, request in keys:
            groups[(of, request)].append(pk)
        pages: dict[HistoryKey, Page] = {}
        async with self.engine.connect() as connection:
            for (of, request), pks in groups.items():
                found = await revisions.history_pages(connection, of, pks, request)
                pages.update({(of, pk, request): page for pk, page in found.items()})
        return [pages[k] for k in keys]

    async def _history_counts(self, keys: Sequence[tuple[Of, int]]) -> list[int]:
        groups: dict[Of, list[int]] = defaultdict(list)
        for of, pk in keys:
            groups[of].append(pk)
        counts: dict[tuple[Of, int], int] = {}
        async with self.engine.connect() as connection:
            for of, pks in groups.items():
                found = await revisions.history_counts(connection, of, pks)
                counts.update({(of, pk): n for pk, n in found.items()})
        return [counts[k] for k in keys]


__all__ = ["Loaders"]
