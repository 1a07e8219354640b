"""The composition root: settings → engine → Starlette app serving the GraphQL schema."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api import migrate
from api.db import create_engine, create_session_factory
from api.search import SearchProbe
from api.settings import Settings
from schema import schema
from schema.context import Context

logger = logging.getLogger(__name__)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI view, with a fresh Context (and fresh loaders) per request."""

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        state = request.app.state
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            engine=state.engine,
            session_factory=state.session_factory,
            search=state.search,
        )


async def healthz(request: Request) -> Response:
    """The process is alive."""
    return JSONResponse({"status": "ok"})


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
    return JSONResponse({"status": "ready"})


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    """Build the ASGI app; the engine lives in lifespan state and is disposed on shutdown."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owned = engine is None
        app.state.engine = engine if engine is not None else create_engine(settings)
        app.state.session_factory = create_session_factory(app.state.engine)
        app.state.search = SearchProbe(app.state.engine)
        try:
            yield
        finally:
            if owned:
                await app.state.engine.dispose()

    graphql: Any = GraphQLApp(schema, graphql_ide="graphiql" if settings.graphiql else None)
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
    ]
    return Starlette(routes=routes, lifespan=lifespan)
