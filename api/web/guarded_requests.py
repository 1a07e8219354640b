"""Which requests the gates act on, and whose each one is.

The access gate (api/web/access_gate.py) and read-your-writes (api/web/read_your_writes.py)
guard the same requests and tell callers apart the same way: one rule, here.
"""

from __future__ import annotations

from typing import Any

from starlette.types import Scope

from api.auth.roles import Caller

GUARDED_PATHS = frozenset({"/graphql"})
# The per-claim interchange routes (/claims/{id}/claimreview.jsonld, …;
# api/web/interchange_routes.py) read like queries do.
GUARDED_PREFIXES = ("/claims/",)


def is_guarded(path: str) -> bool:
    return path in GUARDED_PATHS or path.startswith(GUARDED_PREFIXES)


def caller_key(scope: Scope, caller: Caller) -> str:
    """Whose request this is: the key's, or (anonymous, bad key) the client address's. A
    key has its own rate bucket and its own writes; everyone else goes by address."""
    if caller.key is not None:
        return f"key:{caller.key.id}"
    client: Any = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"
