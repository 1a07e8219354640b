"""The `claimgraph` command: serve, migrate, load the demo, manage the embedded database."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import asyncpg
from pydantic import ValidationError
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine

from api import migrate
from api.db import create_engine, create_session_factory
from api.settings import Settings, to_asyncpg_url

logger = logging.getLogger("claimgraph")
T = TypeVar("T")


def _embedded(settings: Settings) -> object:
    from api.embedded import EmbeddedPostgres, default_data_dir

    data_dir = Path(settings.data_dir) if settings.data_dir else default_data_dir()
    return EmbeddedPostgres(data_dir)


@contextmanager
def database(settings: Settings, *, keep_running: bool = False) -> Iterator[Settings]:
    """Settings pointing at DATABASE_URL, or at an embedded PostgreSQL started for the command.

    An embedded server this command started is stopped when it ends, unless `keep_running`.
    """
    urls = {"DATABASE_URL": settings.database_url, "DATABASE_READ_URL": settings.database_read_url}
    for name, url in urls.items():
        if url:
            _check_url(name, url)
    if settings.database_url:
        yield settings
        return
    from api.embedded import EmbeddedPostgres

    embedded = _embedded(settings)
    assert isinstance(embedded, EmbeddedPostgres)
    was_running = embedded.is_running()
    url = embedded.start()
    logger.info("embedded PostgreSQL in %s at %s", embedded.data_dir, url)
    try:
        yield settings.model_copy(update={"database_url": url})
    finally:
        if not was_running and not keep_running:
            embedded.stop()


def _check_url(name: str, url: str) -> None:
    """A URL that cannot be parsed fails here, in one line that does not repeat it (it
    holds the password)."""
    try:
        to_asyncpg_url(url)
    except ArgumentError:
        raise RuntimeError(f"{name} is not a URL like postgresql://user@host:5432/db") from None
    except ValueError as exc:
        raise RuntimeError(f"{name} is malformed: {exc}") from None


def _with_engine(settings: Settings, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(settings, pool_size=2, max_overflow=0)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    return asyncio.run(run())


async def _load_demo(engine: AsyncEngine) -> str:
    from api.demo.loader import load_demo

    async with create_session_factory(engine).begin() as session:
        report = await load_demo(session)
    return (
        f"demo loaded: {report.sources} sources, {report.documents} documents,"
        f" {report.claims} claims, {report.attributions} attributions created"
        " (existing ones reused)"
    )


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as resolved:
        _with_engine(resolved, lambda engine: migrate.upgrade(engine, args.revision))
    print(f"database migrated to {args.revision}")
    return 0


def cmd_load_demo(args: argparse.Namespace, settings: Settings) -> int:
    with database(settings) as resolved:
        _with_engine(resolved, migrate.upgrade)
        print(_with_engine(resolved, _load_demo))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from api.app import create_app

    if args.workers < 1:
        print("claimgraph: --workers must be at least 1", file=sys.stderr)
        return 2
    proxies = trusted_proxies(settings.trusted_proxies)
    with database(settings) as resolved:
        # Either way the database is reached here, before uvicorn: a wrong DATABASE_URL
        # is then one line from main(), not a traceback from the app's lifespan.
        _with_engine(resolved, _connect if args.no_migrate else migrate.upgrade)
        if args.demo:
            print(_with_engine(resolved, _load_demo))
        print(f"claimgraph: GraphQL at http://{args.host}:{args.port}/graphql", flush=True)
        # Worker processes build their app from the environment (api.app:create_app
        # reads Settings()); the database this process resolved (perhaps the embedded
        # one it started) reaches them there. Migrations ran once, above.
        app: Any = "api.app:create_app"
        if args.workers > 1:
            assert resolved.database_url is not None
            os.environ["DATABASE_URL"] = resolved.database_url
        else:
            app = create_app(resolved)
        with _stop_signals_return():
            uvicorn.run(
                app,
                factory=args.workers > 1,
                workers=args.workers,
                host=args.host,
                port=args.port,
                log_level=resolved.log_level.lower(),
                # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise, and
                # the rate limit's bucket is the client's address: any local caller could
                # name a new one per request. Only the proxies configured are believed.
                proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies or None,
                # On SIGTERM: stop accepting, let requests in flight finish (this long at
                # most), then the app's lifespan disposes of the engine. With workers, the
                # parent passes SIGTERM on to each and waits for them.
                timeout_graceful_shutdown=resolved.shutdown_grace_seconds,
            )
    return 0


def trusted_proxies(setting: str) -> list[str]:
    """CLAIMGRAPH_TRUSTED_PROXIES as uvicorn takes it. uvicorn compares an entry that is
    not an address or network as plain text, so a typo would trust nobody, silently."""
    entries = [entry.strip() for entry in setting.split(",") if entry.strip()]
    if "*" in entries:
        return ["*"]
    for entry in entries:
        try:
            ipaddress.ip_network(entry)
        except ValueError:
            raise RuntimeError(
                f"CLAIMGRAPH_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from None
    return entries


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


def cmd_generate(args: argparse.Namespace, settings: Settings) -> int:
    """Fill the database with seeded synthetic data, for benchmarks and demos."""
    from api.generate import GenerateOptions, generate

    if args.claims < 1 or args.batch < 1:
        print("claimgraph: --claims and --batch must be positive", file=sys.stderr)
        return 2
    options = GenerateOptions(claims=args.claims, seed=args.seed, batch=args.batch)
    with database(settings) as resolved:
        _with_engine(resolved, migrate.upgrade)
        report = _with_engine(
            resolved,
            lambda engine: generate(engine, options, lambda line: print(line, file=sys.stderr)),
        )
    print(report.summary())
    return 0


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    """Start, stop or locate the embedded PostgreSQL (not used when DATABASE_URL is set)."""
    from api.embedded import EmbeddedPostgres

    embedded = _embedded(settings)
    assert isinstance(embedded, EmbeddedPostgres)
    if args.action == "start":
        print(embedded.start())
    elif args.action == "stop":
        embedded.stop()
        print(f"stopped embedded PostgreSQL in {embedded.data_dir}")
    elif args.action == "status":
        running = embedded.is_running()
        state = f"running at {embedded.url()}" if running else "not running"
        print(f"embedded PostgreSQL in {embedded.data_dir}: {state}")
        return 0 if running else 3
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="claimgraph",
        description="Claim-provenance GraphQL API. Without DATABASE_URL, commands use an"
        " embedded PostgreSQL in CLAIMGRAPH_DATA_DIR.",
    )
    commands = root.add_subparsers(dest="command", required=True)
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
    migrate_cmd = commands.add_parser("migrate", help="apply database migrations")
    migrate_cmd.add_argument("--revision", default="head")
    migrate_cmd.set_defaults(run=cmd_migrate)
    demo = commands.add_parser("load-demo", help="load the curated seed article (idempotent)")
    demo.set_defaults(run=cmd_load_demo)
    generate = commands.add_parser("generate", help="add seeded synthetic data for benchmarks")
    generate.add_argument("--claims", type=int, required=True, help="how many claims to add")
    generate.add_argument("--seed", type=int, default=0, help="same seed, same data")
    generate.add_argument("--batch", type=int, default=5000, help="claims per transaction")
    generate.set_defaults(run=cmd_generate)
    from api.ingest.cli import add_parser as add_ingest

    add_ingest(commands)
    from api.auth.cli import add_parser as add_keys

    add_keys(commands)
    from api.interchange.cli import add_parser as add_interchange

    add_interchange(commands)
    db = commands.add_parser("db", help="manage the embedded PostgreSQL")
    db.add_argument("action", choices=["start", "stop", "status"])
    db.set_defaults(run=cmd_db)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. A failure the user can fix (a setting, an unreachable database)
    ends it with one line on standard error and exit status 1; anything else is a bug
    and keeps its traceback."""
    args = parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        return _fail(_bad_setting(exc))
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        result: int = args.run(args, settings)
    except RuntimeError as exc:
        return _fail(str(exc))
    except Exception as exc:
        reason = database_failure(exc, settings.database_url)
        if reason is None:
            raise
        return _fail(reason)
    return result


def _fail(reason: str) -> int:
    print(f"claimgraph: {reason}", file=sys.stderr)
    return 1


def _bad_setting(exc: ValidationError) -> str:
    """The first bad setting by its variable's name, without its value (it may be secret)."""
    error = exc.errors()[0]
    name = ".".join(map(str, error["loc"])).upper()
    return f"{name}: {error['msg']}"


def database_failure(exc: BaseException, url: str | None) -> str | None:
    """What failed, in words, when `exc` comes from reaching the database; else None.

    Looks through SQLAlchemy's wrappers (`orig`), explicit causes and exception groups
    (anyio's task groups), not through implicit contexts: a bug raised while handling a
    refused connection is still a bug."""
    where = _address(url)
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return f"cannot resolve the database host {where.rsplit(':', 1)[0]}: {cause.strerror}"
        if isinstance(cause, ConnectionRefusedError):
            return f"cannot connect to {where}: connection refused"
        if isinstance(cause, TimeoutError):
            return f"cannot connect to {where}: timed out"
        if isinstance(cause, (ConnectionError, *_DROPPED)):
            return f"lost the connection to {where}: {cause}"
        if isinstance(cause, OSError):
            if cause.filename is not None:
                return f"{cause.filename}: {cause.strerror}"
            return f"cannot connect to {where}: {cause.strerror or cause}"
        if isinstance(cause, _REFUSED):
            return f"cannot connect to {where}: {cause}"
        if isinstance(cause, TypeError) and _UNKNOWN_OPTION in str(cause):
            option = str(cause).rsplit(" ", 1)[-1]
            return f"DATABASE_URL has an option the asyncpg driver does not take: {option}"
    return None


# What PostgreSQL answers a connection it refuses: a missing database or role, a wrong
# password, too many clients, a server starting up; or what asyncpg makes of the URL.
_REFUSED = (
    asyncpg.InvalidCatalogNameError,
    asyncpg.InvalidAuthorizationSpecificationError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.ClientConfigurationError,
)
# A server that went away in the middle of the command.
_DROPPED = (
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.ConnectionDoesNotExistError,
)
# How SQLAlchemy's asyncpg dialect fails on a URL query option such as libpq's sslmode.
_UNKNOWN_OPTION = "connect() got an unexpected keyword argument"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    pending, seen = [exc], set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (getattr(current, "orig", None), current.__cause__) if e)


def _address(url: str | None) -> str:
    if url is None:
        return "the embedded PostgreSQL"
    try:
        parsed = to_asyncpg_url(url)
    except (ArgumentError, ValueError):
        return "DATABASE_URL"
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}"


if __name__ == "__main__":
    sys.exit(main())
