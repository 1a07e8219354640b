"""Subscriptions' WebSockets at /graphql: graphql-transport-ws with our authentication,
limits, keep-alive and close on shutdown (docs/live.md "Subscriptions").

strawberry speaks the protocol; this handler adds what it leaves to the application:

- **who**: `connection_init`'s payload `{"Authorization": "Bearer <key>"}` (the key's
  name in any case), else the upgrade request's Authorization header. A bad key, or no
  key where anonymous reads are off, closes the socket with 4403 Forbidden, the
  protocol's code for a refused `connection_init`.
- **limits**: sockets per key (per client address without one) close with 4429 after
  `connection_init`; subscriptions per connection, and per key over all its sockets
  (api/live/broker.py), are refused with an `error` message for that subscription.
- **keep-alive**: a `ping` message every KEEP_ALIVE_SECONDS (clients answer `pong`),
  on top of uvicorn's WebSocket pings, so proxies see traffic on an idle socket.
- **shutdown**: on SIGTERM or SIGINT every open socket is closed with 1001 Going Away
  before uvicorn's own handler runs: left to itself, uvicorn would close them with 1012
  (Service Restart) the moment it starts to drain (`close_on_shutdown_signals`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

import uvicorn
from graphql import GraphQLError
from sqlalchemy.exc import SQLAlchemyError
from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    SubscribeMessage,
)

from api.auth.authenticator import Authenticator
from api.auth.roles import AccessPolicy, Role
from api.settings import Settings
from api.web.guarded_requests import caller_key
from schema.context import Context
from schema.live.subscriptions import OWNER

logger = logging.getLogger(__name__)
KEEP_ALIVE_SECONDS = 15.0
FORBIDDEN, TOO_MANY, GOING_AWAY, UNAVAILABLE = 4403, 4429, 1001, 1011


class OpenSockets:
    """This process's open subscription sockets, and how many each owner holds."""

    def __init__(self) -> None:
        self.handlers: set[LiveSocketHandler] = set()
        self.owned: Counter[str] = Counter()

    async def going_away(self) -> None:
        """Close every open socket with 1001, as the server shuts down."""
        await asyncio.gather(
            *(h.close(GOING_AWAY, "the server is shutting down") for h in list(self.handlers))
        )


OPEN = OpenSockets()


async def going_away() -> None:
    await OPEN.going_away()


SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT)
GOING_AWAY_SECONDS = 2.0


def close_on_shutdown_signals() -> Callable[[], None]:
    """Put a handler in front of uvicorn's for SIGTERM and SIGINT: it closes every socket
    with 1001, then hands the signal on. Returns what restores uvicorn's handlers.

    Only in front of a uvicorn server's own handlers (installed before the lifespan
    starts); anywhere else (a test's in-process app) signals are left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    loop = asyncio.get_running_loop()
    previous = {sig: signal.getsignal(sig) for sig in SHUTDOWN_SIGNALS}
    handed_on: set[asyncio.Task[None]] = set()

    def handler(signum: int, frame: FrameType | None) -> None:
        uvicorn_handler = previous[signal.Signals(signum)]

        async def close_then_hand_on() -> None:
            try:
                await asyncio.wait_for(going_away(), GOING_AWAY_SECONDS)
            except TimeoutError:
                logger.warning("some sockets did not close in %s s", GOING_AWAY_SECONDS)
            finally:
                assert callable(uvicorn_handler)
                uvicorn_handler(signum, frame)

        def start() -> None:
            task = loop.create_task(close_then_hand_on())
            handed_on.add(task)
            task.add_done_callback(handed_on.discard)

        loop.call_soon_threadsafe(start)

    ours = [
        sig
        for sig, h in previous.items()
        if isinstance(getattr(h, "__self__", None), uvicorn.Server)
    ]
    for sig in ours:
        signal.signal(sig, handler)

    def restore() -> None:
        for sig in ours:
            signal.signal(sig, previous[sig])

    return restore


class TextSocketAdapter(ASGIWebSocketAdapter):
    """graphql-transport-ws messages are text frames; the view encodes JSON to bytes."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        encoded = self.view.encode_json(message)
        text = encoded.decode() if isinstance(encoded, bytes) else encoded
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc
        except RuntimeError as exc:  # closed meanwhile (by going_away, or the client)
            raise WebSocketDisconnected from exc


class LiveSocketHandler(BaseGraphQLTransportWSHandler[Context, None]):
    owner: str | None = None
    _keep_alive: asyncio.Task[None] | None = None

    @property
    def settings(self) -> Settings:
        settings: Settings = self.context.settings
        return settings

    async def handle(self) -> None:
        OPEN.handlers.add(self)
        try:
            await super().handle()
        finally:
            OPEN.handlers.discard(self)
            if self._keep_alive is not None:
                self._keep_alive.cancel()
            if self.owner is not None:
                OPEN.owned[self.owner] -= 1
                if OPEN.owned[self.owner] <= 0:
                    del OPEN.owned[self.owner]

    async def close(self, code: int, reason: str) -> None:
        socket: Any = self.websocket
        if socket.ws.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.websocket.close(code=code, reason=reason)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        payload = message.get("payload", {})
        fresh = not (self.connection_init_received or self.connection_timed_out)
        if fresh and isinstance(payload, dict):
            refused = await self._admit(payload)
            if refused is not None:
                self.connection_init_received = True
                if self.connection_init_timeout_task:
                    self.connection_init_timeout_task.cancel()
                await self.close(*refused)
                return
        await super().handle_connection_init(message)
        if self.connection_acknowledged and self._keep_alive is None:
            self._keep_alive = asyncio.create_task(self._ping())

    async def _admit(self, payload: dict[str, object]) -> tuple[int, str] | None:
        """Who is connecting, or why not: (close code, reason)."""
        scope = self.context.request.scope
        sent = {str(k).lower(): v for k, v in payload.items()}.get("authorization")
        header = sent if isinstance(sent, str) else _header(scope, b"authorization")
        authenticator: Authenticator = scope["app"].state.authenticator
        try:
            caller = await authenticator.caller(header)
        except (OSError, SQLAlchemyError):
            logger.exception("could not look up the caller's key")
            return UNAVAILABLE, "Service unavailable: the database cannot be reached."
        if refusal := AccessPolicy.of(self.settings).refusal(caller, Role.READER):
            return FORBIDDEN, f"Forbidden: {refusal.problems[0].message}"[:120]
        owner = caller_key(scope, caller)
        if OPEN.owned[owner] >= self.settings.max_connections_per_key:
            limit = self.settings.max_connections_per_key
            return TOO_MANY, f"Too many connections: at most {limit} per key"
        OPEN.owned[owner] += 1
        self.owner = owner
        self.context.caller = caller
        scope.setdefault("state", {})[OWNER] = owner
        return None

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        limit = self.settings.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and message["id"] not in self.operations
            and len(self.operations) >= limit
        ):
            error = GraphQLError(
                f"too many subscriptions on this connection: at most {limit}",
                extensions={"code": "RATE_LIMITED"},
            )
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        await super().handle_subscribe(message)

    async def _ping(self) -> None:
        with contextlib.suppress(WebSocketDisconnected):
            while True:
                await asyncio.sleep(KEEP_ALIVE_SECONDS)
                await self.send_message({"type": "ping"})


def _of_uvicorn(handler: object) -> bool:
    return isinstance(getattr(handler, "__self__", None), uvicorn.Server)


def _header(scope: Mapping[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None
