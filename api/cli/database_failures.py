"""A failure to reach the database, in one line a user can act on."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import asyncpg
from sqlalchemy.exc import ArgumentError

from api.settings import to_asyncpg_url


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
