"""/healthz (the process is alive) and /readyz (it can serve: database, migrations)."""

from __future__ import annotations

import logging
import os

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api import migrate
from api.replicas.router import ReplicaRouter

logger = logging.getLogger(__name__)


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


routes = [Route("/healthz", healthz), Route("/readyz", readyz)]
