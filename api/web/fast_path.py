"""The fast path's HTTP half: which requests may take it, their body, the response.

schema/compiled/fast.py answers a read compiled before from its cached statement; this
module hands it a plain GraphQL POST and sends what it answers with the headers the
full path would send. Anything else runs the full path (api/web/graphql_view.py): a
request that is not a JSON POST, an Idempotency-Key request (its reads belong to its
shared transaction), a body that is not a plain GraphQL request.
"""

from __future__ import annotations

from typing import Any

from starlette.types import Scope, Send

from api.auth.roles import Caller
from api.web.media import GRAPHQL_RESPONSE_JSON, response_media_type
from api.web.request_json import OFF_LOOP_BYTES, loads_json
from schema.compiled.fast import HANDED_OVER, FastReads, HandOver

# Request body keys a plain GraphQL POST may carry.
REQUEST_KEYS = frozenset({"query", "variables", "operationName", "extensions"})


def is_json_post(scope: Scope) -> bool:
    """A POST whose body is declared as JSON (any charset parameter)."""
    if scope["method"] != "POST":
        return False
    for name, value in scope["headers"]:
        if name == b"content-type":
            return bool(value.split(b";", 1)[0].strip().lower() == b"application/json")
    return False


async def fast_answer(fast: FastReads, scope: Scope, body: bytes) -> bytes | None:
    """The response body from the fast path, or None: run the full path."""
    state = scope.get("state", {})
    if state.get("shared_connection") is not None:
        return None
    # A long body is decoded off the loop by the full path; a compiled read is short.
    request = None if len(body) > OFF_LOOP_BYTES else _plain_request(body)
    if request is None:
        return None
    query, variables, name = request
    try:
        return await fast.answer(
            query,
            variables,
            name,
            caller=state.get("caller", Caller()),
            reads=state.get("reads"),
            pools=scope["app"].state.statements,
        )
    except HandOver as handed:
        scope.setdefault("state", {})[HANDED_OVER] = handed.failure
        return None


async def send_answer(scope: Scope, send: Send, answer: bytes) -> None:
    """A 200 with the fast path's body, as the full path would send it."""
    start = {"type": "http.response.start", "status": 200}
    await send({**start, "headers": response_headers(scope, len(answer))})
    await send({"type": "http.response.body", "body": answer})


def _plain_request(body: bytes) -> tuple[str, dict[str, Any] | None, str | None] | None:
    """(query, variables, operationName) of a plain GraphQL request body, else None."""
    # The full path's decoder (api/web/request_json.py), not orjson: a body it refuses
    # (NaN, nested too deeply, not UTF-8) goes there, to be answered 400 before any cache
    # is read.
    try:
        request = loads_json(body)
    except ValueError:  # NotJSON and JSONDecodeError
        return None
    if not isinstance(request, dict) or not REQUEST_KEYS.issuperset(request):
        return None
    query = request.get("query")
    variables = request.get("variables")
    name = request.get("operationName")
    if (
        not isinstance(query, str)
        or not (variables is None or isinstance(variables, dict))
        or not (name is None or isinstance(name, str))
        or request.get("extensions")
    ):
        return None
    return query, variables, name


def response_headers(scope: Scope, length: int) -> list[tuple[bytes, bytes]]:
    """The headers the full path sends with a 200 answer, for the Accept of the request."""
    accept = None
    for name, value in scope["headers"]:
        if name == b"accept":  # the first, as starlette's Headers.get reads it
            accept = value.decode("latin-1")
            break
    if response_media_type(accept) == GRAPHQL_RESPONSE_JSON:
        media = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8".encode()
    else:
        media = b"application/json"
    return [
        (b"content-length", str(length).encode()),
        (b"content-type", media),
        (b"vary", b"Accept"),
    ]
