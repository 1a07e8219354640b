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
from api.auth.roles import Caller, KeyIdentity, KeyProblem
from api.auth.service import identify
from api.db import SessionFactory

MAX_CACHED = 10_000


def presented_key(authorization: str) -> str | KeyProblem:
    """The key of a 'Bearer <key>' header, or what is wrong with the header."""
    parts = authorization.split(None, 1)
    if len(parts) < 2:
        alone = parts[0].lower() if parts else "bearer"
        return KeyProblem.NO_KEY if alone == "bearer" else KeyProblem.NO_SCHEME
    scheme, key = parts
    if scheme.lower() != "bearer":
        return KeyProblem.OTHER_SCHEME
    return key.strip()


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
        """Anonymous without the header; for anything but a known Bearer key, a bad key
        with what is wrong with it."""
        if authorization is None or authorization == "":
            return Caller()
        key = presented_key(authorization)
        if isinstance(key, KeyProblem):
            return Caller(problem=key)
        identity = await self._identity(key)
        return Caller(key=identity) if identity else Caller(problem=KeyProblem.UNKNOWN)

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
