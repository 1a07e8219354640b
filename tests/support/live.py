"""A graphql-transport-ws client for tests: the `websockets` package speaking the protocol."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

PROTOCOL = "graphql-transport-ws"
WAIT_SECONDS = 5.0

CHANGES = """
subscription($claimId: ID, $sourceId: ID, $kinds: [ChangeKind!], $search: String) {
  changes(claimId: $claimId, sourceId: $sourceId, kinds: $kinds, search: $search) {
    id kind at claim { id statement } attribution { id stance } source { id name }
  }
}"""


class LiveClient:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        """connection_init; the server's answer (connection_ack)."""
        await self.send({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(self, id: str, variables: dict[str, Any] | None = None) -> None:
        payload = {"query": CHANGES, "variables": variables or {}}
        await self.send({"id": id, "type": "subscribe", "payload": payload})

    async def send(self, message: dict[str, Any]) -> None:
        await self.socket.send(json.dumps(message))

    async def receive(self, seconds: float = WAIT_SECONDS) -> dict[str, Any]:
        """The next message other than a ping (answered with a pong)."""
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), seconds)
            assert isinstance(raw, str), "graphql-transport-ws messages are text frames"
            message: dict[str, Any] = json.loads(raw)
            if message["type"] == "ping":
                await self.send({"type": "pong"})
                continue
            return message

    async def change(self, id: str, seconds: float = WAIT_SECONDS) -> dict[str, Any]:
        """The next change event of subscription `id`."""
        message = await self.receive(seconds)
        assert message["type"] == "next" and message["id"] == id, message
        change: dict[str, Any] = message["payload"]["data"]["changes"]
        return change

    async def nothing_within(self, seconds: float) -> bool:
        try:
            message = await self.receive(seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"expected nothing, got {message}")

    async def closed(self, seconds: float = WAIT_SECONDS) -> int | None:
        """The close code the server sent, once it closed."""
        try:
            async with asyncio.timeout(seconds):
                while True:
                    await self.socket.recv()
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else None


@asynccontextmanager
async def live(base_url: str, authorization: str | None = None) -> AsyncIterator[LiveClient]:
    """A socket at base_url's /graphql, with an Authorization header on the upgrade if given."""
    url = base_url.replace("http://", "ws://", 1) + "/graphql"
    headers = {"Authorization": authorization} if authorization else None
    async with connect(url, subprotocols=[PROTOCOL], additional_headers=headers) as socket:  # type: ignore[list-item]
        yield LiveClient(socket)
