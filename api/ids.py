"""Global ids: `base64("Claim:42")`, the one name each stored object has outside the database.

GraphQL clients get them (schema/ids.py) and so do exports (api/interchange): one
format, one reader. An object has one id: base64 and int() read many spellings of one
"Claim:1" (padding bits, 0001, +1, 1_0, full-width or Arabic-Indic digits, surrounding
spaces), so an id is accepted only when it is exactly the one `encode_id` gives back.
"""

from __future__ import annotations

import base64
import binascii

NODE_TYPES = frozenset({"Source", "Document", "Claim", "Attribution", "Webhook"})

# The longest id issued, "Attribution:" and a bigint, is 44 characters of base64.
MAX_ID_LENGTH = 64


class BadId(ValueError):
    """The id is not one this API issued."""


def encode_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def decode_id(global_id: str) -> tuple[str, int]:
    """(type name, primary key); raises BadId for anything this API could not have issued."""
    if len(global_id) > MAX_ID_LENGTH:
        raise BadId(f"{global_id[:MAX_ID_LENGTH]!r}… is not a valid id")
    try:
        raw = base64.b64decode(global_id.encode("ascii"), validate=True).decode("ascii")
        type_name, _, pk = raw.partition(":")
        number = int(pk)
    except (ValueError, binascii.Error, UnicodeError) as exc:
        raise BadId(f"{global_id!r} is not a valid id") from exc
    if (
        type_name not in NODE_TYPES
        or not 0 < number < 2**63
        or encode_id(type_name, number) != global_id
    ):
        raise BadId(f"{global_id!r} is not a valid id")
    return type_name, number


def decode_typed(global_id: str, type_name: str) -> int | None:
    """The primary key when the id names a `type_name`, else None (unknown to that type)."""
    try:
        found, pk = decode_id(global_id)
    except BadId:
        return None
    return pk if found == type_name else None
