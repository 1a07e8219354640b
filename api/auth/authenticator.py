"""Turns an Authorization header into a Caller, with a short per-process cache.

Looking a key up costs one indexed query; the cache makes that once per key every
`ttl` seconds instead of once per request, so a revocation takes effect in another
process within `ttl` seconds (in the process that revoked it, at once: `forget`).
Refusals are not cached: a mistyped key starts working as soon as it is fixed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from api.auth.keys import key_hash
from api.auth.roles import Caller, KeyIdentity
from api.auth.service import identify
from api.db import SessionFactory

MAX_CACHED = 10_000


class Authenticator:
    def __init__(
        self,
        session_factory: SessionFactory,
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_factory = session_factory
        self.ttl = ttl
        self.clock = clock
        self._cache: dict[bytes, tuple[KeyIdentity, float]] = {}

    async def caller(self, authorization: str | None) -> Caller:
        """Anonymous without the header; a bad key for anything but a known Bearer key."""
        if not authorization:
            return Caller()
        scheme, _, key = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not key.strip():
            return Caller(bad_key=True)
        identity = await self._identity(key.strip())
        return Caller(key=identity) if identity else Caller(bad_key=True)

    async def _identity(self, key: str) -> KeyIdentity | None:
        digest = key_hash(key)
        now = self.clock()
        cached = self._cache.get(digest)
        if cached is not None and cached[1] > now:
            return cached[0]
        async with self.session_factory.begin() as session:
            identity = await identify(session, key)
        if identity is not None and self.ttl > 0:
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
            self._cache[digest] = (identity, now + self.ttl)
        return identity

    def forget(self) -> None:
        """Drop every cached key, e.g. after a revocation in this process."""
        self._cache.clear()
