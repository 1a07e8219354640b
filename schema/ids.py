"""Relay global ids: `base64("Claim:42")`, opaque to clients, typed for the server."""

from __future__ import annotations

import base64
import binascii

NODE_TYPES = frozenset({"Source", "Document", "Claim", "Attribution"})


class BadId(ValueError):
    """The id is not one this API issued."""


def encode_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def decode_id(global_id: str) -> tuple[str, int]:
    """(type name, primary key); raises BadId for anything this API could not have issued."""
    try:
        raw = base64.b64decode(global_id.encode("ascii"), validate=True).decode("utf-8")
        type_name, _, pk = raw.partition(":")
        number = int(pk)
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise BadId(f"{global_id!r} is not a valid id") from exc
    if type_name not in NODE_TYPES or not pk.isdigit() or not 0 < number < 2**63:
        raise BadId(f"{global_id!r} is not a valid id")
    return type_name, number


def decode_typed(global_id: str, type_name: str) -> int | None:
    """The primary key when the id names a `type_name`, else None (unknown to that type)."""
    try:
        found, pk = decode_id(global_id)
    except BadId:
        return None
    return pk if found == type_name else None
