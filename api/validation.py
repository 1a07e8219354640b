"""Checks shared by every write: strings PostgreSQL can store, languages, URLs, times."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import datetime
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


def aware_time(problems: Problems, value: datetime | None, *field: str) -> datetime | None:
    """Times must say their zone: a naive time is ambiguous by hours."""
    if value is not None and value.utcoffset() is None:
        problems.invalid(
            f"{field[-1]} must include a time zone, e.g. 2023-09-14T06:00:00+00:00", *field
        )
        return None
    return value


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
