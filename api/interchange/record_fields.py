"""Typed reads of one JSON record's fields; the first problem raises RecordError."""

from __future__ import annotations

import enum
import math
from datetime import datetime
from functools import lru_cache
from typing import TypeVar

from api.errors import Problems
from api.interchange.ids import decode_known, decode_typed
from api.validation import (
    MAX_LIST_ITEMS,
    MAX_SHORT_LENGTH,
    BadTime,
    language_tag,
    storable,
    utc_time,
)

E = TypeVar("E", bound=enum.StrEnum)


class RecordError(ValueError):
    """What is wrong with one record; the importer adds its line number."""


@lru_cache(maxsize=1024)
def _language(value: str) -> str | None:
    return language_tag(Problems(), value, "language")


class Fields:
    """The fields of one record, read with the checks the database and the API apply."""

    def __init__(self, record: dict[str, object]) -> None:
        self.record = record

    def text(self, name: str, max_length: int, *, required: bool = True) -> str | None:
        value = self.record.get(name)
        if value is None:
            if required:
                raise RecordError(f"{name} is required")
            return None
        if not isinstance(value, str):
            raise RecordError(f"{name} must be a string")
        if not storable(value):
            raise RecordError(f"{name} contains NUL or a lone surrogate")
        if required and not value.strip():
            raise RecordError(f"{name} must not be empty")
        if len(value) > max_length:
            raise RecordError(f"{name} is longer than {max_length} characters")
        return value

    def language(self, name: str = "language") -> str:
        value = self.text(name, 35)
        assert value is not None
        tag = _language(value)
        if tag is None:
            raise RecordError(f"{name} {value!r} is not a BCP 47 language tag")
        return tag

    def choice(self, name: str, kind: type[E], *, required: bool = True) -> E | None:
        value = self.record.get(name)
        if type(value) is str:
            # The common case without the Enum call, which is slow (parsing is most of an
            # import's Python time).
            member = kind._value2member_map_.get(value)
            if member is not None:
                return member  # type: ignore[return-value]
        if value is None and not required:
            return None
        try:
            return kind(str(value)) if isinstance(value, str) else kind(value)  # type: ignore[arg-type]
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise RecordError(f"{name} must be one of {allowed}, got {value!r}") from None

    def ref(self, name: str, type_name: str, *, required: bool = True) -> int | None:
        value = self.record.get(name)
        if value is None and not required:
            return None
        pk = (
            decode_known(value, type_name) if type(value) is str else decode_typed(value, type_name)
        )
        if pk is None:
            raise RecordError(f"{name} must be a {type_name} id, got {value!r}")
        return pk

    def integer(self, name: str) -> int | None:
        value = self.record.get(name)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
            raise RecordError(f"{name} must be a non-negative integer")
        return value

    def number(self, value: object, name: str) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise RecordError(f"{name} must be a number")
        if not math.isfinite(value):
            raise RecordError(f"{name} must be finite")
        return float(value)

    def flag(self, name: str) -> bool:
        value = self.record.get(name, False)
        if not isinstance(value, bool):
            raise RecordError(f"{name} must be true or false")
        return value

    def time(self, name: str, *, required: bool = False) -> datetime | None:
        value = self.record.get(name)
        if value is None:
            if required:
                raise RecordError(f"{name} is required")
            return None
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            raise RecordError(f"{name} must be an ISO 8601 time with a zone, got {value!r}")
        try:
            return utc_time(moment)
        except BadTime as exc:
            raise RecordError(f"{name} {exc}, got {value!r}") from None

    def strings(self, name: str, max_length: int = MAX_SHORT_LENGTH) -> list[str]:
        value = self.record.get(name, [])
        if value == [] and type(value) is list:
            return value
        if not isinstance(value, list) or len(value) > MAX_LIST_ITEMS:
            raise RecordError(f"{name} must be a list of at most {MAX_LIST_ITEMS} strings")
        for item in value:
            if not isinstance(item, str) or not item.strip() or not storable(item):
                raise RecordError(f"{name} must hold non-empty strings")
            if len(item) > max_length:
                raise RecordError(f"an item of {name} is longer than {max_length} characters")
        if len(set(value)) != len(value):
            raise RecordError(f"{name} holds the same string twice")
        return value
