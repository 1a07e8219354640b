"""PostgreSQL WAL positions (pg_lsn): 'XXXXXXXX/XXXXXXXX' text, compared as 64-bit numbers."""

from __future__ import annotations

import re

_LSN = re.compile(r"^([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})$")


def parse_lsn(text: str) -> int | None:
    """The position that `text` names, or None when it is not a pg_lsn."""
    match = _LSN.match(text.strip())
    if match is None:
        return None
    return (int(match.group(1), 16) << 32) | int(match.group(2), 16)


def format_lsn(lsn: int) -> str:
    """The text PostgreSQL prints for a position, e.g. '0/16B3748'."""
    return f"{lsn >> 32:X}/{lsn & 0xFFFFFFFF:X}"
