"""Runtime configuration, read once from the environment (and a `.env` file)."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url


class Settings(BaseSettings):
    """Every knob of the service; see README "Configuration"."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="postgresql://user:password@host:port/dbname; unset: embedded PostgreSQL.",
    )
    data_dir: str | None = Field(
        default=None,
        validation_alias="CLAIMGRAPH_DATA_DIR",
        description="Where the embedded PostgreSQL keeps its cluster.",
    )
    db_pool_size: int = Field(default=10, ge=1, le=200, validation_alias="CLAIMGRAPH_DB_POOL_SIZE")
    db_max_overflow: int = Field(
        default=5, ge=0, le=200, validation_alias="CLAIMGRAPH_DB_MAX_OVERFLOW"
    )
    statement_timeout_ms: int = Field(
        default=15_000, ge=0, validation_alias="CLAIMGRAPH_STATEMENT_TIMEOUT_MS"
    )
    log_level: str = Field(default="INFO", validation_alias="CLAIMGRAPH_LOG_LEVEL")
    graphiql: bool = Field(default=True, validation_alias="CLAIMGRAPH_GRAPHIQL")

    @cached_property
    def async_url(self) -> URL:
        """The configured URL with the asyncpg driver, whatever driver the user wrote."""
        if self.database_url is None:
            raise RuntimeError("DATABASE_URL is not set and no embedded database was started")
        return to_asyncpg_url(self.database_url)


def to_asyncpg_url(url: str) -> URL:
    """Accept the usual postgres:// and postgresql:// forms; the driver is our business."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, got {parsed.drivername!r}")
    return parsed.set(drivername="postgresql+asyncpg")
