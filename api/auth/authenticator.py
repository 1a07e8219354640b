"""Turns an Authorization header into a Caller, with a per-process cache of known keys.

Looking a key up costs one indexed query; the cache makes that once per key every
`ttl` seconds instead of once per request. The cache is only trusted while this
process hears every change to the api_key table: a trigger (migration 0011) sends
NOTIFY on `claimgraph_keys` when a key is revoked, deleted, renamed or changes role,
and a KeyChangeListener (api/auth/listener.py) calls `forget` for it, so a change
reaches every process within a fraction of a second. While the listener is not
connected the cache is dropped and every request looks its key up (`stop_caching`).
Refusals are never cached: a mistyped key starts working as soon as it is fixed.
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
        # Off until a listener says it hears every change (`start_caching`).
        self._caching = False
        # Bumped by every forget: a lookup that overlapped a change does not cache
        # what it read, which may predate the change.
        self._generation = 0

    @property
    def caching(self) -> bool:
        return self._caching

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
        cached = self._cache.get(digest) if self._caching else None
        if cached is not None and cached[1] > self.clock():
            return cached[0]
        generation, asked_at = self._generation, self.clock()
        async with self.session_factory.begin() as session:
            identity = await identify(session, key)
        if identity is not None and self._may_cache(generation):
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
            self._cache[digest] = (identity, asked_at + self.ttl)
        return identity

    def _may_cache(self, generation: int) -> bool:
        return self._caching and self.ttl > 0 and generation == self._generation

    def forget(self, key_id: int | None = None) -> None:
        """Drop the cached key with this id (a revocation or role change), or every key."""
        self._generation += 1
        if key_id is None:
            self._cache.clear()
            return
        for digest in [d for d, (identity, _) in self._cache.items() if identity.id == key_id]:
            del self._cache[digest]

    def start_caching(self) -> None:
        """A listener now hears every key change: lookups may be cached again."""
        self.forget()
        self._caching = True

    def stop_caching(self) -> None:
        """Changes may go unheard: drop every key and look each one up until restarted."""
        self.forget()
        self._caching = False
