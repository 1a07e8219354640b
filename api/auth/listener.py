"""Each serving process LISTENs for key changes, so its key cache never outlives one.

A trigger on api_key (migration 0011) sends NOTIFY on `claimgraph_keys` with the key's
id when a key is revoked, deleted, renamed or changes role, whoever writes it (the CLI,
the revokeApiKey mutation, SQL by hand), and `*` when the table is truncated. PostgreSQL
delivers it at commit to every listening session, so every worker of every server
drops the key within milliseconds.

The listener holds one dedicated connection (`claimgraph-keys` in pg_stat_activity).
The cache is only used while that connection is listening: when it is lost (a database
restart, pg_terminate_backend, a ping unanswered for PING_TIMEOUT_SECONDS) the
authenticator drops every cached key and looks each one up until the listener has
reconnected, retrying with a growing backoff, so no change can go unheard.
"""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import URL

from api.auth.authenticator import Authenticator
from api.background import ChannelListener

CHANNEL = "claimgraph_keys"
APPLICATION_NAME = "claimgraph-keys"
# A connection that died silently (a failover, a cut cable) is found by its ping:
# at worst PING_SECONDS + PING_TIMEOUT_SECONDS after it stopped delivering.
PING_SECONDS = 0.5
PING_TIMEOUT_SECONDS = 1.0


class KeyChangeListener(ChannelListener):
    what = "the key-change listener"
    meanwhile = "every key is looked up until it is"

    def __init__(
        self, url: URL, authenticator: Authenticator, *, ping_seconds: float = PING_SECONDS
    ) -> None:
        super().__init__(
            url,
            CHANNEL,
            APPLICATION_NAME,
            ping_seconds=ping_seconds,
            ping_timeout=PING_TIMEOUT_SECONDS,
        )
        self.authenticator = authenticator

    async def start(self, name: str = "claimgraph-key-listener") -> None:
        """Listen before the first request if the database answers, else keep trying in
        the background (meanwhile every request looks its key up). Without a cache
        (CLAIMGRAPH_KEY_CACHE_SECONDS=0) there is nothing to keep fresh."""
        if self.authenticator.ttl > 0:
            await super().start(name)

    async def listening(self, connection: asyncpg.Connection) -> None:
        self.authenticator.start_caching()

    def lost(self) -> None:
        # The cache is only trusted while every change is heard.
        self.authenticator.stop_caching()

    def heard(self, payload: str) -> None:
        # The trigger sends a key's id, or `*` for all; anything else forgets all too.
        key_id = int(payload) if payload.isascii() and payload.isdecimal() else None
        self.authenticator.forget(key_id)
