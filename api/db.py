"""Metadata with a naming convention, and the async engine / session factory."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy import MetaData, Table
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Session

from api.settings import Settings

# Stable constraint names let Alembic autogenerate and drop them reliably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


SessionFactory = async_sessionmaker[AsyncSession]


def table_of(model: type[Base]) -> Table:
    """A mapped class's Core table, typed as one (`__table__` is typed as a FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


# A server that neither answers nor refuses (frozen, or behind a dead link) must not hold a
# request forever: connecting gives up after this long...
CONNECT_TIMEOUT_SECONDS = 10
# ...and, when serving, a statement gets this long past the statement timeout, which such
# a server cannot enforce itself (tests/faults, docs/load.md).
CLIENT_TIMEOUT_MARGIN_SECONDS = 5
# A replica that does not answer is skipped for reads (api/replicas); the request that
# finds out waits this long at most before reading from the primary.
REPLICA_CONNECT_TIMEOUT_SECONDS = 2


def create_engine(
    settings: Settings,
    *,
    serving: bool = False,
    url: URL | None = None,
    application_name: str = "claimgraph",
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    custom_plans: bool = False,
    **overrides: Any,
) -> AsyncEngine:
    """An asyncpg engine whose connections carry the statement timeout.

    Connections are pinged before use (`pool_pre_ping`): after a PostgreSQL restart with
    no traffic the pool would otherwise hand out dead connections and fail the first
    request. `serving` adds the client-side statement limit; the CLI's migrations and
    bulk loads, which lift the statement timeout, go without it. `url` points the engine
    elsewhere than DATABASE_URL (a replica).

    `custom_plans` plans every execution for its parameters, for the reads pools: the
    data is skewed (a news agency stands behind 40,000 claims, most sources behind a
    handful), and a generic plan costed for the average source made "claims both
    sources reported" 7x slower from the sixth run on (docs/performance.md). Writes keep
    PostgreSQL's default: re-planning every foreign-key check and trigger statement
    made a bulk import 50% slower (docs/interchange.md).
    """
    connect_args = _connect_args(
        settings,
        serving=serving,
        application_name=application_name,
        connect_timeout=connect_timeout,
        custom_plans=custom_plans,
    )
    options: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_pre_ping": True,
        "connect_args": connect_args,
    }
    options.update(overrides)
    return create_async_engine(url or settings.async_url, **options)


def _connect_args(
    settings: Settings,
    *,
    serving: bool,
    application_name: str,
    connect_timeout: float,
    custom_plans: bool,
) -> dict[str, Any]:
    """asyncpg's connect() arguments: what every session of ours carries."""
    server_settings = {"application_name": application_name}
    if custom_plans:
        server_settings["plan_cache_mode"] = "force_custom_plan"
    connect_args: dict[str, Any] = {
        "server_settings": server_settings,
        "timeout": connect_timeout,
    }
    if settings.statement_timeout_ms:
        server_settings["statement_timeout"] = str(settings.statement_timeout_ms)
        if serving:
            limit = settings.statement_timeout_ms / 1000 + CLIENT_TIMEOUT_MARGIN_SECONDS
            connect_args["command_timeout"] = limit
    return connect_args


async def _no_reset(connection: asyncpg.Connection) -> None:
    """A statement pool's sessions never change state (no SET, LISTEN, lock or cursor):
    nothing to reset, so no round trip when a connection goes back to the pool."""


def create_statement_pool(
    settings: Settings,
    *,
    url: URL | None = None,
    application_name: str = "claimgraph-statements",
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
) -> asyncpg.Pool:
    """A bare asyncpg pool for compiled reads (schema/compiled/fast.py), not yet opened.

    One read statement per checkout, in autocommit, with custom plans, as the reads
    engine runs them, for less: measured per statement on this machine, the engine's
    checkout with its pre-ping, the SQLAlchemy result and the release cost about three
    times the CPU of `Pool.acquire` + `fetchrow` with no reset (docs/performance.md).
    There is no ping: a connection that died with its server fails its statement, which
    the caller may retry once on a fresh connection (a read is safe to repeat).
    Connections open on first use, up to CLAIMGRAPH_DB_POOL_SIZE, and close after five
    idle minutes; pg_stat_activity names them `claimgraph-statements`.
    """
    target = (url or settings.async_url).set(drivername="postgresql")
    return asyncpg.create_pool(
        target.render_as_string(hide_password=False),
        min_size=0,
        max_size=settings.db_pool_size,
        max_inactive_connection_lifetime=300,
        reset=_no_reset,
        **_connect_args(
            settings,
            serving=True,
            application_name=application_name,
            connect_timeout=connect_timeout,
            custom_plans=True,
        ),
    )


def create_replica_statement_pool(settings: Settings) -> asyncpg.Pool | None:
    """The statement pool of DATABASE_READ_URL (`claimgraph-read-statements`), or None."""
    url = settings.async_read_url
    if url is None:
        return None
    return create_statement_pool(
        settings,
        url=url,
        application_name="claimgraph-read-statements",
        connect_timeout=REPLICA_CONNECT_TIMEOUT_SECONDS,
    )


def create_read_engine(settings: Settings) -> AsyncEngine | None:
    """The engine of DATABASE_READ_URL, or None when reads share the primary's.

    Its sessions say `claimgraph-read` in pg_stat_activity, so an operator (and the
    tests) can tell replica reads from the primary's traffic.
    """
    url = settings.async_read_url
    if url is None:
        return None
    return create_engine(
        settings,
        serving=True,
        url=url,
        application_name="claimgraph-read",
        connect_timeout=REPLICA_CONNECT_TIMEOUT_SECONDS,
        # Reads only, one statement at a time: no BEGIN and ROLLBACK round trips.
        isolation_level="AUTOCOMMIT",
        custom_plans=True,
    )


class WriteSession(Session):
    """The sync session under every AsyncSession of ours.

    Its own class so that work to do before each commit (api/live/recording.py records
    the claims a transaction made contested) listens to our sessions and no others.
    """


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=WriteSession)
