"""The composition root: settings → engine → Starlette app serving the GraphQL schema.

The parts live in the HTTP face (api/web/): the GraphQL view and its fast path, the
health, shutdown and interchange routes, one middleware per module. This module wires
them to the domain: the lifespan (engines, pools, caches), the routes, the middleware
stack and the limits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute, Route, WebSocketRoute

from api.auth.authenticator import Authenticator
from api.auth.listener import KeyChangeListener
from api.auth.rate import RateLimiter
from api.auth.roles import AccessPolicy
from api.db import (
    create_engine,
    create_read_engine,
    create_replica_statement_pool,
    create_session_factory,
    create_statement_pool,
)
from api.live.broker import Broker
from api.live.webhooks.worker import WebhookWorker
from api.replicas.router import ReplicaRouter
from api.search import SearchProbe
from api.settings import Settings
from api.web import graphiql, health
from api.web.access_gate import AccessGate
from api.web.body_limit import BodySizeLimit
from api.web.explorer import explorer
from api.web.graphql_view import GraphQLApp
from api.web.guarded_requests import Guarded
from api.web.idempotency_gate import IdempotencyGate
from api.web.interchange_routes import routes as interchange_routes
from api.web.live_sockets import close_on_shutdown_signals
from api.web.read_your_writes import MIN_LSN, WRITE_LSN, ReadYourWrites
from api.web.shutdown import ShutdownCutoff
from schema import build_schema
from schema.compiled.fast import FastReads, Pools
from schema.compiled.plans import Plans
from schema.limits import Limits


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
        # Committed changes reach this process's subscribers by LISTEN (api/live/broker.py).
        # It reads on a small pool of its own: fan-out never waits for a request's connection.
        live_reads = create_engine(
            settings,
            serving=True,
            url=app.state.engine.url,
            application_name="claimgraph-changes",
            isolation_level="AUTOCOMMIT",
            pool_size=1,
            max_overflow=2,
        )
        broker = app.state.broker = Broker(
            app.state.engine.url, live_reads, max_per_owner=settings.max_subscriptions_per_key
        )
        await broker.start()
        # Committed changes reach webhooks from every serving process (api/live/webhooks).
        webhooks = app.state.webhooks = WebhookWorker(app.state.engine.url, settings)
        await webhooks.start()
        # On SIGTERM, sockets close with 1001 before uvicorn drains (api/web/live_sockets.py).
        restore_signals = close_on_shutdown_signals()
        try:
            yield
        finally:
            restore_signals()
            await webhooks.stop()
            await broker.stop()
            await live_reads.dispose()
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
    routes: list[BaseRoute] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),  # subscriptions (api/web/live_sockets.py)
        *health.routes,
        *interchange_routes,
    ]
    if settings.serve_graphiql:
        routes += graphiql.routes
    handlers: dict[Any, Any] = {}
    if settings.explorer:
        # After the interchange routes; /claims/{id} and /claims/{id}/prov.json never
        # shadow each other ({id} matches no slash), the order only keeps them readable.
        pages = explorer(schema, graphql.plans, settings.explorer_prefix)
        routes += pages.routes
        handlers[404] = pages.not_found
    stack = [*middleware(settings), Middleware(ShutdownCutoff)]
    return Starlette(
        routes=routes, lifespan=lifespan, middleware=stack, exception_handlers=handlers
    )


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
    guarded = Guarded(settings.explorer_prefix if settings.explorer else "")
    limiter = RateLimiter(per_minute) if per_minute else None
    stack.append(Middleware(AccessGate, limiter=limiter, guarded=guarded))
    # After the access gate (it names the caller), before the Idempotency-Key gate (it
    # commits before the response starts, when the write's WAL position is read).
    stack.append(Middleware(ReadYourWrites, guarded=guarded))
    # After the gate, which names the caller that owns the key.
    ttl = timedelta(hours=settings.idempotency_ttl_hours)
    stack.append(Middleware(IdempotencyGate, ttl=ttl))
    return stack
