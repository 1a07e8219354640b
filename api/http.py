"""HTTP concerns around the GraphQL view: body size, media types, request errors.

GraphQL-over-HTTP defines two response media types. `application/json` is the legacy one:
every GraphQL response is a 200, errors in the body. `application/graphql-response+json`
lets the status code tell a request that never ran (unparsable, invalid, bad variables:
400, no `data` entry) from one that ran. Clients choose with `Accept`.
"""

from __future__ import annotations

import json
import math

from cross_web import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def _accept_entries(accept: str) -> dict[str, float]:
    """Media range -> quality, from an Accept header; malformed q values count as 0."""
    entries: dict[str, float] = {}
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            entries[media.lower()] = max(quality, entries.get(media.lower(), 0.0))
    return entries


def response_media_type(accept: str | None) -> str:
    """The media type to answer with: graphql-response+json only when the client asks
    for it by name at least as strongly as for application/json (or a wildcard that
    covers it); a missing Accept or `*/*` keeps application/json, as the spec advises."""
    if not accept:
        return JSON
    entries = _accept_entries(accept)
    wanted = entries.get(GRAPHQL_RESPONSE_JSON, 0.0)
    legacy = entries.get(JSON, entries.get("application/*", entries.get("*/*", 0.0)))
    return GRAPHQL_RESPONSE_JSON if wanted > 0 and wanted >= legacy else JSON


class NotJSON(ValueError):
    """A body or parameter that Python's decoder reads but that is not JSON; the message
    is for the client."""


def _no_constant(name: str) -> float:
    raise NotJSON(f"The JSON holds {name}, which is not a JSON number.")


def _finite(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise NotJSON("The JSON holds a number beyond the range of a double (like 1e999).")
    return number


def loads_json(data: str | bytes) -> object:
    """`json.loads` of exactly JSON, the one decoder of both paths to the schema (this
    view's and schema/compiled/fast.py's).

    Python's decoder also reads NaN, Infinity and -Infinity and turns 1e999 into inf;
    orjson writes all of them as null, so a cache keyed by re-encoded values would take
    `{"n": NaN}` for `{"n": null}`. They are refused here (NotJSON), as are digits
    beyond what Python converts to an int, arrays nested deeper than the decoder
    recurses, and bytes that are not UTF-8. Malformed text raises JSONDecodeError.
    """
    try:
        return json.loads(data, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:
        raise NotJSON("The JSON is nested too deeply.") from None
    except (NotJSON, json.JSONDecodeError):
        raise
    except UnicodeDecodeError:
        raise NotJSON("The request body is not valid UTF-8.") from None
    except ValueError:  # int(): over sys.get_int_max_str_digits() digits
        raise NotJSON("The JSON holds a number with too many digits.") from None


def decode_request_json(data: str | bytes) -> object:
    """`loads_json` for the GraphQL view, with every client mistake a 400, never a 500.

    Strawberry answers a JSONDecodeError with 400 but lets everything else through: what
    `loads_json` refuses, and a body that is valid JSON but no object (`null`, `1`,
    `"x"`), on which it calls `.get`. A request body arrives as bytes; GET parameters
    (`variables`, `extensions`) as str, and those may be `null`.
    """
    try:
        value = loads_json(data)
    except NotJSON as refused:
        raise HTTPException(400, str(refused)) from None
    if isinstance(data, bytes) and not isinstance(value, (dict, list)):
        raise HTTPException(400, "The request body must be a JSON object.")
    return value


def is_request_error(result: ExecutionResult) -> bool:
    """True when execution never started: a parse or validation error, an abuse limit,
    or variables that could not be coerced. Field errors always carry a path."""
    if isinstance(result, PreExecutionError):
        return True
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


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
