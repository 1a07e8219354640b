"""Plain case-insensitive substring matching, until full-text search arrives."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false

from api.validation import storable


def like_pattern(term: str) -> str:
    """`term` as an ILIKE pattern that matches it literally anywhere."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column: ColumnElement[Any], term: str) -> ColumnElement[bool]:
    """`column` holds `term`, ignoring case; a term no text can hold (NUL) matches nothing."""
    if not storable(term):
        return false()
    return column.ilike(like_pattern(term), escape="\\")


def normalised(term: str | None) -> str | None:
    """None for an absent or blank search: it filters nothing."""
    if term is None or not term.strip():
        return None
    return term.strip()
