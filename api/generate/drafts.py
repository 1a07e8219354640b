"""Rows in the making: documents and attributions whose text and offsets come last.

A document's text is written only once all of its quotes are known, and only then do
the attributions learn where their quotes start; these drafts carry that state between
the builders, and `Batch` carries the finished rows to the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# One row for COPY, its values in the order of the table's column tuple in `load`.
Record = tuple[Any, ...]


@dataclass(slots=True)
class DocumentDraft:
    id: int
    language: int
    publisher: int
    published_at: datetime
    created_at: datetime
    quoted: list[AttributionDraft] = field(default_factory=list)


@dataclass(slots=True)
class AttributionDraft:
    """An attribution whose quote offsets are known once its document's text is written."""

    id: int
    claim_id: int
    document: DocumentDraft
    source_id: int
    via: list[int]
    stance: str
    confidence: float
    hedges: list[str]
    quantity: tuple[float, str | None, str] | None
    reported_at: datetime
    created_at: datetime
    clause: str = ""
    sentence: str = ""
    prefix: int = 0
    start: int | None = None


@dataclass
class Batch:
    """The rows of one batch of claims, loaded in one transaction."""

    documents: list[Record]
    claims: list[Record]
    attributions: list[Record]
    chains: list[Record]


class Ids:
    """The next free id of a table; batches are built in order, so ids run on across them."""

    def __init__(self, first: int) -> None:
        self.next = first

    def take(self) -> int:
        taken = self.next
        self.next += 1
        return taken
