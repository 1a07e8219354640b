"""key change notify: a revoked key is refused by every server process at once

Each serving process caches the keys it has looked up (CLAIMGRAPH_KEY_CACHE_SECONDS)
and LISTENs on `claimgraph_keys` (api/auth/listener.py). This trigger sends the key's
id there when a key is revoked, deleted, renamed or changes role, and `*` when the
table is truncated, whoever writes it: the CLI, the revokeApiKey mutation or SQL by
hand. NOTIFY is delivered at commit, so a rolled-back change drops nothing.
Noting a key's use (last_used_at) changes nothing a cache holds, and sends nothing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 00:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CACHED_COLUMNS = "id, name, role, key_hash, revoked_at"


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION cg_notify_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'TRUNCATE' THEN
                PERFORM pg_notify('claimgraph_keys', '*');
            ELSE
                PERFORM pg_notify('claimgraph_keys', OLD.id::text);
            END IF;
            RETURN NULL;
        END $$
        """
    )
    old = ", ".join(f"OLD.{c}" for c in CACHED_COLUMNS.split(", "))
    new = ", ".join(f"NEW.{c}" for c in CACHED_COLUMNS.split(", "))
    op.execute(
        "CREATE TRIGGER trg_api_key_changed AFTER UPDATE ON api_key FOR EACH ROW"
        f" WHEN (({old}) IS DISTINCT FROM ({new}))"
        " EXECUTE FUNCTION cg_notify_key_change()"
    )
    op.execute(
        "CREATE TRIGGER trg_api_key_deleted AFTER DELETE ON api_key FOR EACH ROW"
        " EXECUTE FUNCTION cg_notify_key_change()"
    )
    op.execute(
        "CREATE TRIGGER trg_api_key_truncated AFTER TRUNCATE ON api_key FOR EACH STATEMENT"
        " EXECUTE FUNCTION cg_notify_key_change()"
    )


def downgrade() -> None:
    for trigger in ("trg_api_key_changed", "trg_api_key_deleted", "trg_api_key_truncated"):
        op.execute(f"DROP TRIGGER {trigger} ON api_key")
    op.execute("DROP FUNCTION cg_notify_key_change()")
