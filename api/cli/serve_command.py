"""`claimgraph serve`: migrate the database, then serve /graphql with uvicorn."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.cli.common import database, with_engine
from api.cli.demo_command import load_demo
from api.settings import Settings


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from api.app import create_app
    from api.web.server import serve, trusted_proxies

    if args.workers < 1:
        print("claimgraph: --workers must be at least 1", file=sys.stderr)
        return 2
    trusted_proxies(settings.trusted_proxies)  # a typo stops here, before any database
    with database(settings) as resolved:
        # Either way the database is reached here, before uvicorn: a wrong DATABASE_URL
        # is then one line from main(), not a traceback from the app's lifespan.
        with_engine(resolved, _connect if args.no_migrate else migrate.upgrade)
        if args.demo:
            print(with_engine(resolved, load_demo))
        print(f"claimgraph: GraphQL at http://{args.host}:{args.port}/graphql", flush=True)
        # Migrations ran once, above, whatever the number of workers.
        with _stop_signals_return():
            app = create_app(resolved) if args.workers == 1 else None
            serve(resolved, app, host=args.host, port=args.port, workers=args.workers)
    return 0


async def _connect(engine: AsyncEngine) -> None:
    async with engine.connect():
        pass


@contextmanager
def _stop_signals_return() -> Iterator[None]:
    """Let SIGTERM and SIGINT end `serve` normally, with exit status 0.

    uvicorn drains on either signal, then raises it again for the handler it found; with
    the default handlers the process would die there (SIGTERM) or print a traceback
    (SIGINT), before an embedded PostgreSQL could be stopped. These handlers let it return.
    """
    previous = {sig: signal.signal(sig, _ignore) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _ignore(signum: int, frame: FrameType | None) -> None:
    """The signal already did its work: uvicorn has shut down."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser("serve", help="migrate the database and serve /graphql")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--demo", action="store_true", help="load the demo article first")
    serve.add_argument("--no-migrate", action="store_true", help="do not migrate on start")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes sharing the port (docs/scaling.md); default 1",
    )
    serve.set_defaults(run=cmd_serve)
