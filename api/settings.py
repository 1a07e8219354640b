"""Runtime configuration, read once from the environment (and a `.env` file)."""

from __future__ import annotations

from functools import cached_property

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url


class Settings(BaseSettings):
    """Every knob of the service; see README "Configuration"."""

    # validate_by_name: code and tests may write Settings(max_tokens=...) as well.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", validate_by_name=True, validate_by_alias=True
    )

    database_url: str | None = Field(
        default=None,
        description="postgresql://user:password@host:port/dbname; unset: embedded PostgreSQL.",
    )
    database_read_url: str | None = Field(
        default=None,
        description=(
            "A streaming replica of DATABASE_URL for reads; unset: reads go to the primary"
            " (docs/scaling.md)."
        ),
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
    graphiql: bool | None = Field(
        default=None,
        validation_alias="CLAIMGRAPH_GRAPHIQL",
        description="Serve GraphiQL to browsers; unset: on, except in production.",
    )
    production: bool = Field(
        default=False,
        validation_alias="CLAIMGRAPH_PRODUCTION",
        description="Production defaults: no GraphiQL unless CLAIMGRAPH_GRAPHIQL says so.",
    )
    introspection: bool = Field(default=True, validation_alias="CLAIMGRAPH_INTROSPECTION")
    cors_origins: str = Field(
        default="",
        validation_alias="CLAIMGRAPH_CORS_ORIGINS",
        description="Comma-separated origins browsers may call from; empty: no CORS headers.",
    )
    # Abuse limits (schema/limits/, api/web/body_limit.py; docs/security.md).
    max_query_depth: int = Field(default=12, ge=1, validation_alias="CLAIMGRAPH_MAX_QUERY_DEPTH")
    max_aliases: int = Field(default=30, ge=0, validation_alias="CLAIMGRAPH_MAX_ALIASES")
    max_tokens: int = Field(default=2_000, ge=1, validation_alias="CLAIMGRAPH_MAX_TOKENS")
    max_query_cost: int = Field(default=200_000, ge=1, validation_alias="CLAIMGRAPH_MAX_QUERY_COST")
    # ingestDocument takes up to 2,000,000 characters: up to 8 MB of UTF-8, plus JSON.
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1, validation_alias="CLAIMGRAPH_MAX_BODY_BYTES"
    )

    # Access (api/auth; docs/security.md "Access").
    anonymous_read: bool = Field(
        default=True,
        validation_alias="CLAIMGRAPH_ANONYMOUS_READ",
        description="Let callers without a key read.",
    )
    anonymous_write: bool = Field(
        default=False,
        validation_alias="CLAIMGRAPH_ANONYMOUS_WRITE",
        description="Let callers without a key run the editors' mutations.",
    )
    rate_limit_per_minute: int = Field(
        default=600,
        ge=0,
        validation_alias="CLAIMGRAPH_RATE_LIMIT_PER_MINUTE",
        description="Requests per minute per key (or per address without one); 0: no limit.",
    )
    trusted_proxies: str = Field(
        default="",
        validation_alias="CLAIMGRAPH_TRUSTED_PROXIES",
        description=(
            "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For"
            " names the client (the rate limit's address); empty: the header is ignored."
        ),
    )
    idempotency_ttl_hours: float = Field(
        default=24,
        gt=0,
        validation_alias="CLAIMGRAPH_IDEMPOTENCY_TTL_HOURS",
        description="How long an Idempotency-Key or clientMutationId replays its first answer.",
    )
    key_cache_seconds: float = Field(
        default=10,
        ge=0,
        validation_alias="CLAIMGRAPH_KEY_CACHE_SECONDS",
        description="How long a process keeps a key it looked up; revocations and role"
        " changes reach it within a second regardless (api/auth/listener.py).",
    )
    shutdown_grace_seconds: int = Field(
        default=30,
        ge=0,
        validation_alias="CLAIMGRAPH_SHUTDOWN_GRACE_SECONDS",
        description="On SIGTERM, how long in-flight requests may run on before being cancelled.",
    )
    compiled_reads: bool = Field(
        default=True,
        validation_alias="CLAIMGRAPH_COMPILED_READS",
        description=(
            "Answer read queries whose fields all map to data with one SQL statement"
            " (docs/compiled.md); false: every query runs its resolvers."
        ),
    )

    # Subscriptions (api/live/broker.py, api/web/live_sockets.py; docs/live.md).
    max_subscriptions_per_connection: int = Field(
        default=20, ge=1, validation_alias="CLAIMGRAPH_MAX_SUBSCRIPTIONS_PER_CONNECTION"
    )
    max_subscriptions_per_key: int = Field(
        default=200,
        ge=1,
        validation_alias="CLAIMGRAPH_MAX_SUBSCRIPTIONS_PER_KEY",
        description="Open subscriptions per API key (per client address without one).",
    )
    max_connections_per_key: int = Field(
        default=20,
        ge=1,
        validation_alias="CLAIMGRAPH_MAX_CONNECTIONS_PER_KEY",
        description="Open WebSockets per API key (per client address without one).",
    )

    @property
    def serve_graphiql(self) -> bool:
        """GraphiQL is a developer's tool: off in production unless asked for."""
        return self.graphiql if self.graphiql is not None else not self.production

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    explorer: bool = Field(
        default=True,
        validation_alias="CLAIMGRAPH_EXPLORER",
        description="Serve the explorer's HTML pages (api/web/explorer/).",
    )
    explorer_prefix: str = Field(
        default="",
        pattern=r"^(/[A-Za-z0-9._~-]+)*/?$",
        validation_alias="CLAIMGRAPH_EXPLORER_PREFIX",
        description="Where the explorer is mounted: empty for /, or a path such as /explore.",
    )
    session_hours: float = Field(
        default=12,
        gt=0,
        le=24 * 30,
        validation_alias="CLAIMGRAPH_SESSION_HOURS",
        description="How long an explorer sign-in lasts before the API key must be entered"
        " again; revoking the key ends it at once.",
    )

    cross_language_matching: bool = Field(
        default=False,
        validation_alias="CLAIMGRAPH_CROSS_LANGUAGE_MATCHING",
        description=(
            "Let ingest attribute a claim to a stored translation of it (needs the 'encoders'"
            " extra; see docs/extraction.md)."
        ),
    )

    # Webhooks (api/live/webhooks; docs/live.md "Webhooks").
    webhook_key: SecretStr | None = Field(
        default=None,
        min_length=16,
        validation_alias="CLAIMGRAPH_WEBHOOK_KEY",
        description=(
            "The master key webhook secrets are derived from; every server of a database must"
            " share it. Unset: a random key kept in the file webhook-key beside the data"
            " directory (api/live/webhooks/master_key.py)."
        ),
    )
    webhook_networks: str = Field(
        default="",
        validation_alias="CLAIMGRAPH_WEBHOOK_NETWORKS",
        description=(
            "Comma-separated networks (CIDR) webhook deliveries may reach; empty: any public"
            " address. In production loopback, link-local and private networks are refused"
            " unless listed."
        ),
    )
    webhook_first_retry_seconds: float = Field(
        default=10, gt=0, validation_alias="CLAIMGRAPH_WEBHOOK_FIRST_RETRY_SECONDS"
    )
    webhook_max_retry_seconds: float = Field(
        default=3600, gt=0, validation_alias="CLAIMGRAPH_WEBHOOK_MAX_RETRY_SECONDS"
    )
    webhook_retry_for_seconds: float = Field(
        default=24 * 3600,
        ge=0,
        validation_alias="CLAIMGRAPH_WEBHOOK_RETRY_FOR_SECONDS",
        description="How long a delivery is retried before its webhook is marked failing.",
    )

    @cached_property
    def async_url(self) -> URL:
        """The configured URL with the asyncpg driver, whatever driver the user wrote."""
        if self.database_url is None:
            raise RuntimeError("DATABASE_URL is not set and no embedded database was started")
        return to_asyncpg_url(self.database_url)


    @cached_property
    def async_read_url(self) -> URL | None:
        """DATABASE_READ_URL with the asyncpg driver, or None when reads use the primary."""
        return to_asyncpg_url(self.database_read_url) if self.database_read_url else None


def to_asyncpg_url(url: str) -> URL:
    """Accept the usual postgres:// and postgresql:// forms; the driver is our business."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"DATABASE_URL must be a PostgreSQL URL, got {parsed.drivername!r}")
    return parsed.set(drivername="postgresql+asyncpg")
