"""The stable ids of exported records: the API's Relay global ids, `base64("Claim:42")`.

schema/ids.py issues the same ids to GraphQL clients; api/ may not import schema/, so
the format is restated here and a test holds the two to each other.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

# The longest id issued, "Attribution:" and a bigint, is 44 characters of base64.
MAX_ID_LENGTH = 64


def encode_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def decode_typed(global_id: object, type_name: str) -> int | None:
    """The primary key when `global_id` is a `type_name` id, else None."""
    if not isinstance(global_id, str):
        return None
    return decode_known(global_id, type_name)


@lru_cache(maxsize=65536)
def decode_known(global_id: str, type_name: str) -> int | None:
    """`decode_typed` of a string, cached."""
    # Dumps name the same sources over and over, in every chain.
    if len(global_id) > MAX_ID_LENGTH:
        return None
    try:
        raw = base64.b64decode(global_id.encode("ascii"), validate=True).decode("ascii")
        found, _, pk = raw.partition(":")
        number = int(pk)
    except (ValueError, binascii.Error, UnicodeError):
        return None
    # One id per object, as schema/ids.py: only the exact spelling encode_id gives back
    # (int() also reads 0001, +1, 1_0 and non-ASCII digits; base64 ignores padding bits).
    if found != type_name or not 0 < number < 2**63 or encode_id(found, number) != global_id:
        return None
    return number
