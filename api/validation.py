"""Checks shared by every write: strings PostgreSQL can store, languages, URLs, times."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from urllib.parse import urlsplit

import langcodes

from api.errors import Problems

MAX_NAME_LENGTH = 500
MAX_TITLE_LENGTH = 1_000
MAX_URL_LENGTH = 2_048
MAX_SHORT_LENGTH = 200
MAX_LIST_ITEMS = 100


def storable(value: str) -> bool:
    """PostgreSQL text holds neither NUL nor lone surrogates (they are not UTF-8)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text_field(
    problems: Problems, value: str | None, *field: str, max_length: int, required: bool = True
) -> str | None:
    """Validate a free-text field; returns it unchanged, or None after recording a problem."""
    name = field[-1]
    if value is None:
        if required:
            problems.invalid(f"{name} is required", *field)
        return None
    if not storable(value):
        problems.invalid(
            f"{name} contains characters that cannot be stored (NUL or lone surrogate)", *field
        )
        return None
    if required and not value.strip():
        problems.invalid(f"{name} must not be empty or whitespace only", *field)
        return None
    if len(value) > max_length:
        problems.invalid(
            f"{name} is {len(value)} characters long; the limit is {max_length}", *field
        )
        return None
    return value


def string_list(
    problems: Problems, values: list[str] | None, *field: str, max_length: int = MAX_SHORT_LENGTH
) -> list[str]:
    """Non-empty, storable, unique strings, in the order given (duplicates dropped)."""
    if not values:
        return []
    if len(values) > MAX_LIST_ITEMS:
        problems.invalid(
            f"{field[-1]} has {len(values)} items; the limit is {MAX_LIST_ITEMS}", *field
        )
        return []
    cleaned: list[str] = []
    for index, value in enumerate(values):
        item = text_field(problems, value, *field, str(index), max_length=max_length)
        if item is not None and item.strip() not in cleaned:
            cleaned.append(item.strip())
    return cleaned


def language_tag(problems: Problems, value: str, *field: str) -> str | None:
    """A well-formed BCP 47 tag in its canonical case (`EN-us` becomes `en-US`)."""
    if not storable(value) or not value.strip() or len(value) > 35:
        problems.invalid("language must be a BCP 47 language tag such as 'de' or 'en-GB'", *field)
        return None
    # langcodes tolerates `de_DE`; BCP 47 separates subtags with hyphens only.
    if "_" in value or not langcodes.tag_is_valid(value.strip()):
        problems.invalid(f"{value!r} is not a well-formed BCP 47 language tag", *field)
        return None
    return langcodes.standardize_tag(value.strip())


def url(problems: Problems, value: str | None, *field: str) -> str | None:
    """An absolute http(s) URL, stripped of surrounding white space."""
    if value is None:
        return None
    checked = text_field(problems, value, *field, max_length=MAX_URL_LENGTH)
    if checked is None:
        return None
    parts = urlsplit(checked.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or " " in checked.strip():
        problems.invalid(f"{value!r} is not an absolute http(s) URL", *field)
        return None
    return checked.strip()


class BadTime(ValueError):
    """A time that names no zone, or that no timestamptz Python reads can hold."""


# asyncpg writes datetime.min and datetime.max as -infinity and infinity (and reads them
# back naive): the first and last instants Python can hold are not times to store.
FIRST_TIME = datetime.min.replace(tzinfo=UTC)
LAST_TIME = datetime.max.replace(tzinfo=UTC)


def utc_time(value: datetime) -> datetime:
    """`value` in UTC; raises BadTime when it is naive or not strictly between FIRST_TIME
    and LAST_TIME once in UTC.

    A naive time is ambiguous by hours. Python's datetime (and so asyncpg, which converts
    every timestamptz to UTC) holds the years 1 to 9999 only; PostgreSQL holds more, but a
    time stored beyond Python's range could never be read back. `9999-12-31T23:59:59-23:59`
    is such a time: a valid string whose UTC falls in the year 10000.
    """
    if value.utcoffset() is None:
        raise BadTime("must include a time zone, e.g. 2023-09-14T06:00:00+00:00")
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = FIRST_TIME
    if not FIRST_TIME < utc < LAST_TIME:
        raise BadTime(
            f"must lie after {FIRST_TIME.isoformat()} and before {LAST_TIME.isoformat()}"
            " once converted to UTC"
        )
    return utc


def aware_time(problems: Problems, value: datetime | None, *field: str) -> datetime | None:
    """A time input in UTC, or None after recording why it cannot be stored (see utc_time)."""
    if value is None:
        return None
    try:
        return utc_time(value)
    except BadTime as exc:
        problems.invalid(f"{field[-1]} {exc}", *field)
        return None


def unit_interval(problems: Problems, value: float, *field: str) -> float | None:
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        problems.invalid(f"{field[-1]} must be a number from 0 to 1, got {value!r}", *field)
        return None
    return value


def finite(problems: Problems, value: float, *field: str) -> float | None:
    if not math.isfinite(value):
        problems.invalid(f"{field[-1]} must be a finite number, got {value!r}", *field)
        return None
    return value


def cleared(
    problems: Problems, clear: Iterable[enum.StrEnum], given: Mapping[str, object]
) -> set[str]:
    """The API names of the fields an update clears; clearing a field that the same
    update also sets is INVALID (which of the two was meant?)."""
    names = {str(field) for field in clear}
    for name in sorted(names):
        if given.get(name) is not None:
            problems.invalid(f"{name} is both given and cleared", "input", "clear")
    return names
