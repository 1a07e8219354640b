"""The composition root: settings → engine → Starlette app serving the GraphQL schema."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api import migrate
from api.auth.authenticator import Authenticator
from api.auth.http import AccessGate
from api.auth.listener import KeyChangeListener
from api.auth.rate import RateLimiter
from api.auth.roles import AccessPolicy, Caller
from api.db import (
    create_engine,
    create_read_engine,
    create_replica_statement_pool,
    create_session_factory,
    create_statement_pool,
)
from api.http import (
    GRAPHQL_RESPONSE_JSON,
    BodySizeLimit,
    decode_request_json,
    is_request_error,
    response_media_type,
)
from api.idempotency.http import IdempotencyGate
from api.interchange.routes import routes as interchange_routes
from api.replicas.http import MIN_LSN, WRITE_LSN, ReadYourWrites
from api.replicas.router import ReplicaRouter
from api.search import SearchProbe
from api.settings import Settings
from schema import build_schema
from schema.compiled.fast import FastReads, Pools, is_json_post, response_headers
from schema.compiled.plans import Plans
from schema.context import Context
from schema.errors import mask_errors
from schema.limits import Limits

logger = logging.getLogger(__name__)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view, with a fresh Context (and fresh loaders) per request.

    In front of it, `FastReads` answers a read compiled before from its cached statement
    (schema/compiled/fast.py); everything else, and anything it declines, runs here."""

    fast: FastReads | None = None
    # The compiled statements and validated documents of this app (one schema, one set
    # of limits), shared by the compiled extension and the fast path.
    plans: Plans

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast is None or scope["type"] != "http" or not is_json_post(scope):
            await super().__call__(scope, receive, send)
            return
        messages, body = await _read_body(receive)
        if body is not None:
            answer = await self.fast.answer(scope, body, scope["app"].state.statements)
            if answer is not None:
                start = {"type": "http.response.start", "status": 200}
                await send({**start, "headers": response_headers(scope, len(answer))})
                await send({"type": "http.response.body", "body": answer})
                return
        await super().__call__(scope, _replay(messages, receive), send)

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
        state = request.app.state
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            engine=state.engine,
            read_engine=state.reads,
            session_factory=state.session_factory,
            search=state.search,
            settings=state.settings,
            caller=request.scope.get("state", {}).get("caller", Caller()),
            shared=request.scope.get("state", {}).get("shared_connection"),
            reads=request.scope.get("state", {}).get("reads"),
            plans=self.plans,
        )

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


async def _read_body(receive: Receive) -> tuple[list[Message], bytes | None]:
    """The request's messages as received, and its whole body (None if the client left)."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        if not message.get("more_body", False):
            return messages, b"".join(m.get("body", b"") for m in messages)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """`receive` for the full path: the messages already read, then the live ones."""
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


def _unauthenticated(result: ExecutionResult) -> bool:
    """A read refused for want of a valid key (schema/access.py)."""
    errors = result.errors or []
    return any((e.extensions or {}).get("code") == "UNAUTHENTICATED" for e in errors)


async def healthz(request: Request) -> Response:
    """The process is alive; `pid` tells the workers of `serve --workers N` apart."""
    return JSONResponse({"status": "ok", "pid": os.getpid()})


async def readyz(request: Request) -> Response:
    """The database answers and carries every migration this code needs."""
    engine: AsyncEngine = request.app.state.engine
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        at_head = await migrate.is_at_head(engine)
    except Exception:  # any failure to reach the database means "not ready"
        logger.exception("readiness check failed")
        return JSONResponse({"status": "database unreachable"}, status_code=503)
    if not at_head:
        return JSONResponse({"status": "migrations pending"}, status_code=503)
    router: ReplicaRouter = request.app.state.replicas
    if router.replica is None:
        return JSONResponse({"status": "ready"})
    # An unreachable replica leaves the service ready: reads fall back to the primary.
    return JSONResponse({"status": "ready", "replica": await router.state()})


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


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    """Build the ASGI app; the engine lives in lifespan state and is disposed on shutdown."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = engine is None
        app.state.engine = engine if engine is not None else create_engine(settings, serving=True)
        # Reads get a pool of their own in autocommit: no BEGIN and ROLLBACK around each
        # loader batch or compiled statement, and a one-round-trip ping (api/db.py).
        reads = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if engine is not None
            else create_engine(
                settings, serving=True, isolation_level="AUTOCOMMIT", custom_plans=True
            )
        )
        app.state.reads = reads
        app.state.session_factory = create_session_factory(app.state.engine)
        app.state.search = SearchProbe(app.state.engine)
        app.state.settings = settings
        app.state.authenticator = Authenticator(
            app.state.session_factory, ttl=settings.key_cache_seconds
        )
        # The fast path's statements (schema/compiled/fast.py) on bare asyncpg pools.
        read_engine = create_read_engine(settings)
        replica_statements = create_replica_statement_pool(settings)
        app.state.statements = Pools(
            await create_statement_pool(settings, url=None if engine is None else engine.url),
            None if replica_statements is None else await replica_statements,
        )
        app.state.replicas = ReplicaRouter(reads, read_engine)
        # Key changes reach this process's key cache by LISTEN (api/auth/listener.py).
        key_changes = app.state.key_changes = KeyChangeListener(
            app.state.engine.url, app.state.authenticator
        )
        await key_changes.start()
        try:
            yield
        finally:
            await key_changes.stop()
            await app.state.statements.close()
            if read_engine is not None:
                await read_engine.dispose()
            if owned:
                await reads.dispose()
                await app.state.engine.dispose()

    schema = build_schema(limits(settings))
    graphql: Any = GraphQLApp(schema, graphql_ide="graphiql" if settings.serve_graphiql else None)
    graphql.plans = Plans()
    if settings.compiled_reads:
        policy = AccessPolicy.of(settings)
        graphql.fast = FastReads(schema._schema, graphql.plans, policy, settings.max_query_cost)
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *interchange_routes,
    ]
    stack = [*middleware(settings), Middleware(ShutdownCutoff)]
    return Starlette(routes=routes, lifespan=lifespan, middleware=stack)


def limits(settings: Settings) -> Limits:
    return Limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_query_cost,
        introspection=settings.introspection,
    )


def middleware(settings: Settings) -> list[Middleware]:
    """CORS outermost, so that browsers can read even a 413 or 429; no origins, no CORS
    headers. The access gate (caller and rate limit) comes after the body limit."""
    stack = []
    if origins := settings.cors_origin_list:
        cors = Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Authorization", "Content-Type", "Idempotency-Key", MIN_LSN],
            expose_headers=["Idempotent-Replayed", "Retry-After", WRITE_LSN],
            max_age=600,
        )
        stack.append(cors)
    stack.append(Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes))
    per_minute = settings.rate_limit_per_minute
    stack.append(Middleware(AccessGate, limiter=RateLimiter(per_minute) if per_minute else None))
    # After the access gate (it names the caller), before the Idempotency-Key gate (it
    # commits before the response starts, when the write's WAL position is read).
    stack.append(Middleware(ReadYourWrites))
    # After the gate, which names the caller that owns the key.
    ttl = timedelta(hours=settings.idempotency_ttl_hours)
    stack.append(Middleware(IdempotencyGate, ttl=ttl))
    return stack
