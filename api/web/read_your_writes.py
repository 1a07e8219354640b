"""Read-your-writes over HTTP: Claimgraph-Min-LSN in, Claimgraph-Write-LSN out.

A process remembers where each caller's last write ended in the WAL and keeps that
caller's reads on the primary until the replica has replayed past it. Behind a load
balancer the caller's next request may reach another process or host, which never saw
the write: a client that needs its writes back everywhere sends the Claimgraph-Write-LSN
of its last write as Claimgraph-Min-LSN, and any process routes it the same way.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth.roles import Caller
from api.replicas.lsn import format_lsn, parse_lsn
from api.replicas.router import ReplicaRouter, RequestReads
from api.web.error_response import send_error
from api.web.guarded_requests import EVERY_PAGE, Guarded, caller_key

logger = logging.getLogger(__name__)
MIN_LSN = "claimgraph-min-lsn"
WRITE_LSN = "Claimgraph-Write-LSN"


class ReadYourWrites:
    """Gives each guarded request (/graphql, /claims/…, the explorer's pages; see
    guarded_requests.py) its RequestReads (in scope state "reads"); after a request that
    committed, records the WAL position and answers it in a header.

    It sits outside the Idempotency-Key gate, whose transaction has committed by the time
    the response starts here."""

    def __init__(self, app: ASGIApp, guarded: Guarded = EVERY_PAGE) -> None:
        self.app = app
        self.guarded = guarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        router: ReplicaRouter | None = getattr(scope["app"].state, "replicas", None)
        routed = router is not None and router.replica is not None
        if scope["type"] != "http" or not self.guarded(scope["path"]) or not routed:
            await self.app(scope, receive, send)
            return
        min_lsn = None
        if (sent := Headers(scope=scope).get(MIN_LSN)) is not None:
            min_lsn = parse_lsn(sent)
            if min_lsn is None:
                message = f"Claimgraph-Min-LSN must be a WAL position like 0/16B3748, not {sent!r}."
                await send_error(send, 400, message, "INVALID", [])
                return
        assert router is not None
        state = scope.setdefault("state", {})
        caller = caller_key(scope, state.get("caller", Caller()))
        reads = RequestReads(router, caller, min_lsn)
        state["reads"] = reads

        async def tell_position(message: Message) -> None:
            if message["type"] == "http.response.start" and reads.wrote:
                try:
                    lsn = await router.record_write(caller)
                except (OSError, SQLAlchemyError):
                    logger.exception("could not read the primary's WAL position after a write")
                else:
                    MutableHeaders(scope=message)[WRITE_LSN] = format_lsn(lsn)
            await send(message)

        await self.app(scope, receive, tell_position)
