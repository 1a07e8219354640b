"""The shutdown cut-off: a request cancelled at the end of the grace period gets a 503."""

from __future__ import annotations

import asyncio

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ShutdownCutoff:
    """A request still running when the shutdown grace period ends is cancelled by uvicorn,
    which would answer a bare 500; this answers 503 with Retry-After, as for any outage."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except asyncio.CancelledError:
            if not started:
                message = "Service unavailable: the server is shutting down."
                response = JSONResponse(
                    {"errors": [{"message": message, "extensions": {"code": "UNAVAILABLE"}}]},
                    status_code=503,
                    headers={"Retry-After": "5", "Connection": "close"},
                )
                await response(scope, receive, send)
            raise
