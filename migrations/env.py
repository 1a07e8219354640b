"""Alembic environment: async engine, NullPool, metadata from api.models."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

from api.models import Base
from api.settings import to_asyncpg_url

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    """The URL set by api.migrate, else DATABASE_URL (for plain `alembic` use)."""
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from api.settings import Settings

        url = Settings().database_url
    if not url:
        raise RuntimeError("set DATABASE_URL to run migrations")
    return to_asyncpg_url(url).render_as_string(hide_password=False)


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    connectable = async_engine_from_config(
        {"sqlalchemy.url": database_url()}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    async with connectable.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await connectable.dispose()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # Called from api.migrate inside a running event loop: reuse its connection.
        do_run_migrations(connection)
    else:
        asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
