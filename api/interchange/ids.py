"""The stable ids of exported records: the API's Relay global ids, `base64("Claim:42")`.

schema/ids.py issues the same ids to GraphQL clients; api/ may not import schema/, so
the format is restated here and a test holds the two to each other.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache


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
    try:
        raw = base64.b64decode(global_id.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeError):
        return None
    found, _, pk = raw.partition(":")
    if found != type_name or not pk.isdigit() or not 0 < int(pk) < 2**63:
        return None
    return int(pk)
