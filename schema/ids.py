"""Relay global ids for GraphQL: the format is the domain's (api/ids.py); here the
filter arguments' reading, whose errors name the argument."""

from __future__ import annotations

from api.ids import NODE_TYPES, BadId, decode_id, decode_typed, encode_id

__all__ = ["NODE_TYPES", "BadId", "decode_id", "decode_typed", "encode_id", "filter_id"]


def filter_id(value: str | None, type_name: str, argument: str) -> int | None:
    """The primary key a filter argument names; None when it was not given. An id that
    is malformed or names another type raises BadId, its message naming `argument`."""
    if value is None:
        return None
    try:
        found, pk = decode_id(value)
    except BadId as exc:
        raise BadId(f"{argument}: {exc}") from exc
    if found != type_name:
        raise BadId(f"{argument} must be the id of a {type_name}, not of a {found}")
    return pk
