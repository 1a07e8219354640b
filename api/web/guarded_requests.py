"""Which requests the gates act on, and whose each one is.

The access gate (api/web/access_gate.py) and read-your-writes (api/web/read_your_writes.py)
guard the same requests and tell callers apart the same way: one rule, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.types import Scope

from api.auth.roles import Caller

# Every request is guarded but these: the probes (a load balancer's, which must never be
# rate-limited into reporting a healthy server dead) and static files (a page's
# stylesheet and icon, or GraphiQL's scripts, must not spend the rate of the page that
# loads them). /graphql, the interchange routes and each explorer page, wherever it is
# mounted, read like queries do: they are guarded.
UNGUARDED_PATHS = frozenset({"/healthz", "/readyz"})
# GraphiQL's assets (api/web/graphiql.py) and the explorer's, under its prefix.
STATIC_PREFIX = "/static/"
EXPLORER_STATIC = "/explorer/static/"


@dataclass(frozen=True)
class Guarded:
    """Which paths the gates act on, for an explorer mounted at `explorer_prefix`."""

    explorer_prefix: str = ""

    def __call__(self, path: str) -> bool:
        if path in UNGUARDED_PATHS or path.startswith(STATIC_PREFIX):
            return False
        return not path.startswith(self.explorer_prefix.rstrip("/") + EXPLORER_STATIC)


# The explorer at /, as by default.
EVERY_PAGE = Guarded()


def caller_key(scope: Scope, caller: Caller) -> str:
    """Whose request this is: the key's, or (anonymous, bad key) the client address's. A
    key has its own rate bucket and its own writes; everyone else goes by address."""
    if caller.key is not None:
        return f"key:{caller.key.id}"
    client: Any = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"
