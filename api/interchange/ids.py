"""The stable ids of exported records: the API's global ids (api/ids.py), read with a
cache: dumps name the same sources over and over, in every chain."""

from __future__ import annotations

from functools import lru_cache

from api.ids import decode_typed as _decode_typed
from api.ids import encode_id

__all__ = ["decode_known", "decode_typed", "encode_id"]


def decode_typed(global_id: object, type_name: str) -> int | None:
    """The primary key when `global_id` is a `type_name` id, else None."""
    if not isinstance(global_id, str):
        return None
    return decode_known(global_id, type_name)


@lru_cache(maxsize=65536)
def decode_known(global_id: str, type_name: str) -> int | None:
    """`decode_typed` of a string, cached."""
    return _decode_typed(global_id, type_name)
