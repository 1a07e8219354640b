"""SQL expressions that print values exactly as the resolver path serialises them.

Every helper takes a SQL expression (text) and returns one whose JSON form, once
parsed in Python, equals what strawberry would have produced from the same row:
global ids as base64("Type:pk"), DateTimes as `datetime.isoformat()`, floats as
floats (never ints), and keyset cursors as `api.pagination.Keyset.encode` writes them.
`rendered` prints the domain's SQLAlchemy rules as text to splice into a statement.
"""

from __future__ import annotations

from sqlalchemy import ClauseElement
from sqlalchemy.dialects.postgresql.base import PGDialect

from api.pagination import Keyset

_DIALECT = PGDialect()  # type: ignore[no-untyped-call]  # SQLAlchemy leaves it untyped


def global_id(type_name: str, pk: str) -> str:
    """schema.ids.encode_id in SQL: standard base64 with padding (ids are short: one line)."""
    return f"encode(convert_to('{type_name}:' || {pk}, 'UTF8'), 'base64')"


def iso_datetime(value: str) -> str:
    """`datetime.isoformat()` of a timestamptz as asyncpg returns it (UTC, +00:00).

    Microseconds appear only when they are not zero, as Python prints them; '.000000'
    can only stand there (the date and time have no dots). Null stays null.
    """
    printed = f"to_char(({value}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
    return f"(replace({printed}, '.000000', '') || '+00:00')"


def json_float(value: str) -> str:
    """A double as a JSON number that parses back to a Python float (1.0, not 1).

    PostgreSQL prints a double without a dot or exponent exactly when it is integral
    and below 1e15 (it switches to exponents at 15 digits); those get a '.0'.
    """
    return (
        f"(CASE WHEN {value} = trunc({value}) AND abs({value}) < 1e15"
        f" THEN ({value})::text || '.0' ELSE ({value})::text END)::json"
    )


def cursor(keyset: Keyset, key: str, pk: str) -> str:
    """Keyset.encode in SQL: urlsafe base64 of `["name",key,id]`, padding stripped."""
    if keyset.key_type == "datetime":
        plain = f"to_json({iso_datetime(key)})::text"
    else:
        plain = f"to_json({key})::text"
    raw = f"'[\"{keyset.name}\",' || coalesce({plain}, 'null') || ',' || {pk} || ']'"
    encoded = f"encode(convert_to({raw}, 'UTF8'), 'base64')"
    return f"rtrim(translate({encoded}, E'+/\\n', '-_'), '=')"


def quoted(name: str) -> str:
    """A response key as a SQL string literal (GraphQL names never hold quotes)."""
    return "'" + name.replace("'", "''") + "'"


def rendered(clause: ClauseElement) -> str:
    """A domain rule's SQLAlchemy expression as SQL text (api/claims/merged.py, filter.py).

    Its constants are printed as literals; a value from the request must reach it as a
    bound parameter already (`literal_column(walk.param(...))`), never as a Python value.
    """
    return str(clause.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True}))
