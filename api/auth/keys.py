"""The form of a key: a recognisable prefix and 256 random bits, stored as SHA-256.

A fast hash is right here, unlike for passwords: a key is 43 characters drawn by
`secrets` (256 bits of entropy), so no dictionary or brute-force search over the hash
can succeed however fast the hash is, while a slow hash (bcrypt, argon2) would cost
tens of milliseconds on every request. SHA-256 also lets the lookup be an index probe.
"""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "cg_"
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 8


def new_key() -> str:
    """A fresh secret key, e.g. `cg_3q2+…`: the prefix tells what it is in a leaked log."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_hash(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def shown_prefix(key: str) -> str:
    """The non-secret start of a key, kept for `keys list` and `keys revoke`."""
    return key[:SHOWN_PREFIX_LENGTH]
