"""The request body size limit (CLAIMGRAPH_MAX_BODY_BYTES): 413 before the app acts."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.media import JSON


class BodyTooLargeError(Exception):
    """Raised from `receive` once a streamed body passes the limit."""


class BodySizeLimit:
    """Refuses request bodies over `max_bytes` with 413, before the app acts on them.

    A declared Content-Length over the limit is refused without reading; a chunked body
    is counted as it arrives and refused at the first byte over, so the GraphQL view,
    which reads the whole body before executing anything, never runs (nothing written).
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_length(scope) > self.max_bytes:
            await self._refuse(send)
            return
        started = False

        async def counting_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, self._counting(receive), counting_send)
        except BodyTooLargeError:
            if started:
                raise
            await self._refuse(send)

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLargeError
            return message

        return counting_receive

    @staticmethod
    def _declared_length(scope: Scope) -> int:
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0
        return 0

    async def _refuse(self, send: Send) -> None:
        message = f"The request body is over the limit of {self.max_bytes} bytes."
        error = {"message": message, "extensions": {"code": "PAYLOAD_TOO_LARGE"}}
        body = json.dumps({"errors": [error]}).encode()
        headers = [
            (b"content-type", JSON.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
