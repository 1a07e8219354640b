"""Keyset (cursor) pagination: pages that stay stable while rows are inserted.

Every list sorts by one key column (nullable ones last) and then by id in the
same direction; a cursor holds the key and id of the last row seen, and the
next page starts strictly after it. Offsets would shift under concurrent
inserts; keysets never skip or repeat a row that existed when paging began.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from math import isfinite
from typing import Any, Literal

from sqlalchemy import ColumnElement, RowMapping, and_, literal, or_, true, tuple_

from api.errors import ErrorCode, Problem
from api.validation import utc_time

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

KeyType = Literal["datetime", "int"]


class PaginationError(ValueError):
    """A bad `first` or `after`; the API reports it as a GraphQL error."""

    def __init__(self, message: str, argument: str) -> None:
        super().__init__(message)
        self.problem = Problem(ErrorCode.INVALID, message, (argument,))


@dataclass(frozen=True)
class Cursor:
    key: Any
    id: int


@dataclass(frozen=True)
class PageRequest:
    """A validated request for one page: at most `first` rows after `cursor`."""

    first: int
    cursor: Cursor | None


@dataclass(frozen=True)
class Keyset:
    """The order of one kind of list, and how to resume it after a cursor."""

    name: str
    key_type: KeyType
    descending: bool
    # A key that is never null orders and resumes as a plain row comparison, which a
    # (key, id) index answers directly; NULLS LAST on DESC would not match the index.
    nullable: bool = True

    def order_by(self, key: ColumnElement[Any], id_: ColumnElement[Any]) -> list[Any]:
        if not self.nullable:
            return [key.desc(), id_.desc()] if self.descending else [key.asc(), id_.asc()]
        if self.descending:
            return [key.desc().nulls_last(), id_.desc()]
        return [key.asc().nulls_last(), id_.asc()]

    def after(
        self, key: ColumnElement[Any], id_: ColumnElement[Any], cursor: Cursor | None
    ) -> ColumnElement[bool]:
        if cursor is None:
            return true()
        if not self.nullable:
            bound = tuple_(literal(cursor.key, key.type), literal(cursor.id, id_.type))
            return tuple_(key, id_) < bound if self.descending else tuple_(key, id_) > bound
        beyond_id = id_ < cursor.id if self.descending else id_ > cursor.id
        if cursor.key is None:
            return and_(key.is_(None), beyond_id)
        beyond_key = key < cursor.key if self.descending else key > cursor.key
        return or_(beyond_key, and_(key == cursor.key, beyond_id), key.is_(None))

    def encode(self, key: Any, id_: int) -> str:
        plain = key.isoformat() if isinstance(key, datetime) else key
        raw = json.dumps([self.name, plain, id_], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> Cursor:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            name, key, id_ = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if name != self.name or not _is_row_id(id_):
                raise ValueError(name)
            return Cursor(self._key(key), id_)
        except (ValueError, TypeError, binascii.Error, UnicodeError) as exc:
            raise PaginationError(
                f"after is not a cursor of this list ({self.name})", "after"
            ) from exc

    def _key(self, key: Any) -> Any:
        if key is None:
            return None
        if self.key_type == "datetime":
            return _time(key)
        if not isinstance(key, int) or isinstance(key, bool) or not -(2**31) <= key < 2**31:
            raise ValueError(key)
        return key

    def cursor_of(self, row: RowMapping) -> str:
        return self.encode(row["sort_key"], row["id"])

    def request(self, first: int | None, after: str | None) -> PageRequest:
        """Validate the client's arguments once, before any SQL runs."""
        size = DEFAULT_PAGE_SIZE if first is None else first
        if size < 0:
            raise PaginationError("first must not be negative", "first")
        if size > MAX_PAGE_SIZE:
            raise PaginationError(
                f"first must be at most {MAX_PAGE_SIZE} (got {size}); page with after", "first"
            )
        return PageRequest(size, None if after is None else self.decode(after))


def _time(value: object) -> datetime:
    """A cursor's time, held to the check of every time input (utc_time): a forged
    cursor with a naive time, or one out of range once in UTC, must not reach SQL."""
    if not isinstance(value, str):
        raise ValueError(value)
    return utc_time(datetime.fromisoformat(value))


def _is_row_id(value: object) -> bool:
    """A value a bigint identity column can hold (a forged cursor must not reach SQL)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


@dataclass(frozen=True)
class Page:
    """One page of rows, each carrying `sort_key` and `id`, plus what comes next."""

    rows: Sequence[RowMapping]
    has_next: bool
    has_previous: bool
    keyset: Keyset

    @classmethod
    def of(cls, rows: Sequence[RowMapping], request: PageRequest, keyset: Keyset) -> Page:
        """`rows` were fetched with LIMIT first + 1: the extra row only says there is more."""
        return cls(
            rows=rows[: request.first],
            has_next=len(rows) > request.first,
            has_previous=request.cursor is not None,
            keyset=keyset,
        )

    def cursor(self, row: RowMapping) -> str:
        return self.keyset.cursor_of(row)


@dataclass(frozen=True)
class RankedKeyset(Keyset):
    """Search results: most relevant first, then newest, then by id, all descending.

    Rows carry `rank`, `sort_key` (creation time) and `id`; the rank is recomputed
    from the same term on every page, so it compares exactly.
    """

    key_type: KeyType = "datetime"
    descending: bool = True

    def ranked_after(
        self,
        rank: ColumnElement[Any],
        created: ColumnElement[Any],
        id_: ColumnElement[Any],
        cursor: Cursor | None,
    ) -> ColumnElement[bool]:
        if cursor is None:
            return true()
        last_rank, last_created = cursor.key
        bound = tuple_(
            literal(last_rank, rank.type),
            literal(last_created, created.type),
            literal(cursor.id, id_.type),
        )
        return tuple_(rank, created, id_) < bound

    def ranked_order(
        self, rank: ColumnElement[Any], created: ColumnElement[Any], id_: ColumnElement[Any]
    ) -> list[Any]:
        return [rank.desc(), created.desc(), id_.desc()]

    def cursor_of(self, row: RowMapping) -> str:
        return self.encode([row["rank"], row["sort_key"].isoformat()], row["id"])

    def _key(self, key: Any) -> Any:
        rank, created = key
        if not isinstance(rank, float | int) or isinstance(rank, bool) or not isfinite(rank):
            raise ValueError(key)
        return (float(rank), _time(created))


CLAIMS = Keyset("claims", "datetime", descending=True, nullable=False)
SOURCES = Keyset("sources", "datetime", descending=True, nullable=False)
DOCUMENTS = Keyset("documents", "datetime", descending=True, nullable=False)
CLAIM_ATTRIBUTIONS = Keyset("claim-attributions", "datetime", descending=False)
SOURCE_ATTRIBUTIONS = Keyset("source-attributions", "datetime", descending=True)
DOCUMENT_ATTRIBUTIONS = Keyset("document-attributions", "int", descending=False)
CLAIM_SEARCH = RankedKeyset("claim-search")
SOURCE_SEARCH = RankedKeyset("source-search")
DOCUMENT_SEARCH = RankedKeyset("document-search")
