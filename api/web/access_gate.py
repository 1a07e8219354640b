"""The gate in front of /graphql, the interchange routes and the explorer's pages: who
is calling, and are they over their rate (guarded_requests.py says which requests).

It identifies the caller from `Authorization: Bearer <key>` and leaves the Caller in
the request state for the GraphQL layer to authorise (schema/access.py, run_mutation).
Over the rate it answers 429 with Retry-After itself, before the body is read, so a
refused request costs no parsing and writes nothing.
"""

from __future__ import annotations

import logging
import math

from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.auth.authenticator import Authenticator
from api.auth.rate import RateLimiter
from api.web.error_response import send_error
from api.web.guarded_requests import EVERY_PAGE, Guarded, caller_key

logger = logging.getLogger(__name__)


class AccessGate:
    def __init__(
        self, app: ASGIApp, limiter: RateLimiter | None, guarded: Guarded = EVERY_PAGE
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.guarded = guarded

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.guarded(scope["path"]):
            await self.app(scope, receive, send)
            return
        authenticator: Authenticator = scope["app"].state.authenticator
        try:
            caller = await authenticator.caller(Headers(scope=scope).get("authorization"))
        except (OSError, SQLAlchemyError):
            # The key store is the database: while it is unreachable, say so cleanly.
            logger.exception("could not look up the caller's key")
            await send_error(
                send,
                503,
                "Service unavailable: the database cannot be reached.",
                "UNAVAILABLE",
                [(b"retry-after", b"5")],
            )
            return
        wait = self.limiter.acquire(caller_key(scope, caller)) if self.limiter else 0.0
        if wait > 0:
            await _too_many(send, wait)
            return
        scope.setdefault("state", {})["caller"] = caller
        await self.app(scope, receive, send)


async def _too_many(send: Send, wait: float) -> None:
    seconds = max(1, math.ceil(wait))
    await send_error(
        send,
        429,
        f"Too many requests: try again in {seconds} s.",
        "RATE_LIMITED",
        [(b"retry-after", str(seconds).encode())],
        {"retryAfter": seconds},
    )
