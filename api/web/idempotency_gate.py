"""The Idempotency-Key header: a retried request gets the first response, writes nothing.

For a POST to /graphql that carries the header, the gate opens one connection and one
transaction for the whole request. The GraphQL layer runs every read and write of the
request on that connection (each mutation in a savepoint of its own, so a failing one
still undoes only itself); the response is stored with the key in the same
transaction, and only after COMMIT is it sent. So a request either wrote everything
and is remembered, or wrote nothing and is not: a client that never got an answer can
always retry with the same key.

A second request with a key whose first is still running gets 409 at once, with
Retry-After; with a key first used for a different request, 422. A request that selects
a mutation whose answer is a secret (createApiKey) gets 400 and never runs: its answer
would be stored (api/web/secret_answers.py).

A replay is the first answer in the media type the first request negotiated; it says
`Vary: Accept` as a fresh answer does, and a retry that asks for the other GraphQL media
type gets 406 rather than an answer in a type it did not ask for.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth.roles import Caller
from api.idempotency import service
from api.idempotency.shared import SharedConnection
from api.settings import Settings
from api.web import secret_answers
from api.web.body import BufferedBody, read_body
from api.web.error_response import send_error
from api.web.media import GRAPHQL_RESPONSE_JSON, JSON, response_media_type
from api.web.request_json import loads_json_off_loop

logger = logging.getLogger(__name__)
HEADER = "idempotency-key"
REPLAYED = b"idempotent-replayed"
BUSY = "A request with this Idempotency-Key is still running; retry later."
NOT_ALLOWED_CODE = "IDEMPOTENCY_KEY_NOT_ALLOWED"
NOT_ALLOWED = (
    "{fields} cannot be sent with an Idempotency-Key: its answer holds a secret, and the"
    " header would store the answer to replay it. Send it without the header (a"
    " clientMutationId still keeps a retry from writing twice, without the secret)."
)
# Headers of the first answer that its replay carries too, besides its media type.
KEPT_HEADERS = ("www-authenticate",)
VARY = (b"vary", b"Accept")


@dataclass
class CapturedResponse:
    """A response held back until the transaction that made it has committed."""

    messages: list[Message] = field(default_factory=list)

    async def send(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def status(self) -> int:
        starts = [m for m in self.messages if m["type"] == "http.response.start"]
        return int(starts[0]["status"]) if starts else 500

    @property
    def headers(self) -> Headers:
        starts = [m for m in self.messages if m["type"] == "http.response.start"]
        return Headers(raw=starts[0]["headers"]) if starts else Headers()

    @property
    def body(self) -> bytes:
        bodies = (m for m in self.messages if m["type"] == "http.response.body")
        return b"".join(m.get("body", b"") for m in bodies)

    def stored(self) -> dict[str, Any]:
        headers = self.headers
        return {
            "content_type": headers.get("content-type", "application/json"),
            "body": self.body.decode("utf-8", errors="replace"),
            "headers": [[name, headers[name]] for name in KEPT_HEADERS if name in headers],
        }

    async def replay_to(self, send: Send) -> None:
        for message in self.messages:
            await send(message)


class IdempotencyGate:
    def __init__(self, app: ASGIApp, ttl: timedelta) -> None:
        self.app = app
        self.ttl = ttl

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = Headers(scope=scope).get(HEADER) if scope["type"] == "http" else None
        if key is None or scope["path"] != "/graphql" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        if not service.valid_key(key):
            message = f"Idempotency-Key must be 1 to {service.MAX_KEY_LENGTH} printable ASCII"
            await send_error(send, 400, message + " characters.", "INVALID", [])
            return
        buffered = await read_body(receive)
        if not buffered.complete:
            return  # the client left before its body ended: no one to answer, nothing run
        body = buffered.received
        request = await _request_of(body)
        if fields := await _secret_fields(scope, request):
            await send_error(send, 400, _not_allowed(fields), NOT_ALLOWED_CODE, [])
            return
        caller: Caller = scope.get("state", {}).get("caller", Caller())
        owner = service.owner_of(caller)
        engine: AsyncEngine = scope["app"].state.engine
        try:
            captured = await self._once(scope, receive, buffered, request, owner, key, engine)
        except (OSError, SQLAlchemyError):
            logger.exception("idempotent request failed in the database")
            await send_error(
                send,
                503,
                "Service unavailable: nothing was written; retry with the same Idempotency-Key.",
                "UNAVAILABLE",
                [(b"retry-after", b"1")],
            )
            return
        await captured.replay_to(send)

    async def _once(
        self,
        scope: Scope,
        receive: Receive,
        buffered: BufferedBody,
        request: Any,
        owner: str,
        key: str,
        engine: AsyncEngine,
    ) -> CapturedResponse:
        request_hash = service.fingerprint(request)
        async with engine.connect() as connection, connection.begin() as transaction:
            if not await service.lock(connection, owner, key, wait=False):
                return _error(409, BUSY, "IDEMPOTENCY_KEY_IN_USE", [(b"retry-after", b"1")])
            stored = await service.find(connection, owner, key, self.ttl)
            if stored is not None:
                if stored.request_hash != request_hash:
                    error = service.reused().problems[0]
                    return _error(422, error.message, error.code.value)
                return _replay(stored, Headers(scope=scope).get("accept"))
            shared = SharedConnection(connection)
            scope.setdefault("state", {})["shared_connection"] = shared
            captured = CapturedResponse()
            await self.app(scope, buffered.replay(receive), captured.send)
            if shared.secret_answers:
                await transaction.rollback()
                return _error(400, _not_allowed(shared.secret_answers), NOT_ALLOWED_CODE)
            if captured.status >= 500:
                await transaction.rollback()
                return captured
            await service.remember(
                connection, owner, key, request_hash, captured.stored(), captured.status
            )
        return captured


async def _secret_fields(scope: Scope, request: Any) -> list[str]:
    """The mutations of `request` whose answer must not be stored; parsed off the event loop."""
    if not secret_answers.mentioned(request):
        return []
    settings: Settings = scope["app"].state.settings
    return await asyncio.to_thread(secret_answers.secret_fields, request, settings.max_tokens)


async def _request_of(body: bytes) -> Any:
    """What identifies the request: its JSON, in any key order; else its bytes."""
    try:
        return await loads_json_off_loop(body)
    except ValueError:  # not UTF-8, not JSON (NaN included), nested past the decoder
        return body.hex()


def _response(
    status: int, content_type: str, body: bytes, extra: list[tuple[bytes, bytes]]
) -> CapturedResponse:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    captured = CapturedResponse()
    captured.messages = [
        {"type": "http.response.start", "status": status, "headers": headers},
        {"type": "http.response.body", "body": body},
    ]
    return captured


def _replay(stored: service.Stored, accept: str | None) -> CapturedResponse:
    """The first answer again, if it is in the media type this retry asks for."""
    response = stored.response
    content_type: str = response["content_type"]
    media = content_type.split(";", 1)[0].strip().lower()
    wanted = response_media_type(accept)
    if media in (JSON, GRAPHQL_RESPONSE_JSON) and media != wanted:
        message = (
            f"The answer stored for this Idempotency-Key is {media}, but this retry asks for"
            f" {wanted}: send it with the Accept header of the first request."
        )
        return _error(406, message, "NOT_ACCEPTABLE", [VARY])
    kept = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in response.get("headers", [])]
    body = response["body"].encode()
    extra = [*kept, VARY, (REPLAYED, b"true")]
    return _response(stored.status_code or 200, content_type, body, extra)


def _error(
    status: int, message: str, code: str, extra: list[tuple[bytes, bytes]] | None = None
) -> CapturedResponse:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    return _response(status, "application/json", body.encode(), extra or [])


def _not_allowed(fields: list[str]) -> str:
    return NOT_ALLOWED.format(fields=" and ".join(fields))
