"""The GraphQL view: strawberry's ASGI app, with the fast path in front of it, and
subscriptions over graphql-transport-ws on the same path (api/web/live_sockets.py)."""

from __future__ import annotations

import asyncio
import json
from contextvars import ContextVar
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from api.auth.roles import Caller
from api.web.body import read_body
from api.web.fast_path import fast_answer, is_json_post, send_answer
from api.web.graphiql import PAGE as GRAPHIQL_PAGE
from api.web.live_sockets import LiveSocketHandler, TextSocketAdapter
from api.web.media import GRAPHQL_RESPONSE_JSON, is_request_error, response_media_type
from api.web.request_context import graphql_context
from api.web.request_json import OFF_LOOP_BYTES, decode_request_json
from schema.compiled.fast import FastReads
from schema.compiled.plans import Plans
from schema.context import Context
from schema.errors import mask_errors

# The body parse_http_body decoded in a thread, and its value, for parse_json to hand
# back when strawberry asks it to decode that very body.
_DECODED: ContextVar[tuple[bytes, object] | None] = ContextVar("decoded_body", default=None)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view, with a fresh Context (and fresh loaders) per request.

    In front of it, `FastReads` answers a read compiled before from its cached statement
    (schema/compiled/fast.py, through api/web/fast_path.py); everything else, and
    anything it declines, runs here."""

    fast: FastReads | None = None
    # The compiled statements and validated documents of this app (one schema, one set
    # of limits), shared by the compiled extension and the fast path.
    plans: Plans
    graphql_transport_ws_handler_class = LiveSocketHandler
    websocket_adapter_class = TextSocketAdapter

    def __init__(self, schema: Any, graphql_ide: Any = "graphiql") -> None:
        # Only graphql-transport-ws (the legacy graphql-ws has no way to refuse a key);
        # the per-connection limit is the handler's, from the settings.
        super().__init__(
            schema,
            graphql_ide=graphql_ide,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            max_subscriptions_per_connection=None,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast is None or scope["type"] != "http" or not is_json_post(scope):
            await super().__call__(scope, receive, send)
            return
        buffered = await read_body(receive)
        if buffered.body is not None:
            answer = await fast_answer(self.fast, scope, buffered.body)
            if answer is not None:
                await send_answer(scope, send, answer)
                return
        await super().__call__(scope, buffered.replay(receive), send)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """strawberry's own, with a long JSON body decoded in a worker thread first."""
        if request.method != "POST":
            return await super().parse_http_body(request)
        body = await request.get_body()
        if len(body) <= OFF_LOOP_BYTES:
            return await super().parse_http_body(request)
        decoded = await asyncio.to_thread(self.parse_json, body)
        token = _DECODED.set((body, decoded))
        try:
            return await super().parse_http_body(request)
        finally:
            _DECODED.reset(token)

    @property
    def graphql_ide_html(self) -> str:
        """Our GraphiQL page, whose files this server serves (api/web/graphiql.py)."""
        return GRAPHIQL_PAGE

    def parse_json(self, data: str | bytes) -> Any:
        decoded = _DECODED.get()
        if decoded is not None and decoded[0] is data:
            return decoded[1]
        return super().parse_json(data)

    def decode_json(self, data: str | bytes) -> object:
        return decode_request_json(data)

    def encode_json(self, data: object) -> bytes:
        """orjson: a page of 50 claims with their attributions encodes in a tenth of the
        time json.dumps takes (docs/performance.md). An answer that echoes a lone
        surrogate of its input (in an error message) is not UTF-8, which orjson refuses;
        json escapes it as \\udXXX."""
        try:
            return orjson.dumps(data)
        except TypeError:
            return json.dumps(data).encode()

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        # /graphql is guarded: the access gate has named the caller.
        caller = request.scope.get("state", {}).get("caller", Caller())
        answer = response if isinstance(response, Response) else None
        return graphql_context(request, caller=caller, plans=self.plans, response=answer)

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        """Remember, per request, which media type the client asked for."""
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        request.state.graphql_sub_response = sub_response
        return sub_response

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        """With graphql-response+json, a request that never ran is a 400 without `data`."""
        # The schema masks what resolvers raise; this catches what extension hooks raise.
        mask_errors().mask(result)
        body = await super().process_result(request, result)
        sub_response: Response = request.state.graphql_sub_response
        if sub_response.media_type == GRAPHQL_RESPONSE_JSON and is_request_error(result):
            body.pop("data", None)
            sub_response.status_code = 400
            if _unauthenticated(result):
                sub_response.status_code = 401
                sub_response.headers["WWW-Authenticate"] = 'Bearer realm="claimgraph"'
        return body

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE_JSON:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE_JSON}; charset=utf-8"
        response.headers.add_vary_header("Accept")
        return response


def _unauthenticated(result: ExecutionResult) -> bool:
    """A read refused for want of a valid key (schema/access.py)."""
    errors = result.errors or []
    return any((e.extensions or {}).get("code") == "UNAUTHENTICATED" for e in errors)
