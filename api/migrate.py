"""Run Alembic migrations from code: the CLI, the server start-up and the tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config() -> Config:
    """Alembic config that finds the migrations wherever the package is installed."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to `revision`, in one transaction (PostgreSQL has transactional DDL)."""
    async with engine.begin() as connection:
        await connection.run_sync(_run, "upgrade", revision)


async def downgrade(engine: AsyncEngine, revision: str = "base") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, "downgrade", revision)


def _run(connection: Connection, direction: str, revision: str) -> None:
    # A migration may rebuild large tables: the service's statement timeout is for requests.
    connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, direction)(config, revision)


async def is_at_head(engine: AsyncEngine) -> bool:
    """True when the database carries every migration this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    async with engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    return current == head
