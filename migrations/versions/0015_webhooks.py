"""webhooks: registered urls, their delivery queue and the dispatcher's cursor

A webhook keeps no secret: the secret is derived from a master key kept outside the
database, the webhook's id and `secret_salt`; `key_check` names the master key (8 bytes
of an HMAC, which gives nothing back). Each change matched to a webhook becomes one
`webhook_delivery` row, pending until the receiver answers 2xx; the partial indexes
serve the deliverer's two questions (what is due, what heads each webhook's queue).
The cursor starts at the newest change: no webhook exists yet to want older ones.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-08 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "webhook",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("api_key_id", sa.BigInteger(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kinds", ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("claim_id", sa.BigInteger(), nullable=True),
        sa.Column("source_id", sa.BigInteger(), nullable=True),
        sa.Column("search", sa.Text(), nullable=True),
        sa.Column("secret_salt", sa.Text(), nullable=False),
        sa.Column("key_check", sa.LargeBinary(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("failing_since", TIMESTAMP(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_after_position", sa.BigInteger(), nullable=False),
        sa.Column(
            "created_at", TIMESTAMP(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("url ~ '^https?://' AND char_length(url) <= 2048", name="url"),
        sa.CheckConstraint("char_length(secret_salt) BETWEEN 16 AND 64", name="salt_length"),
        sa.CheckConstraint("octet_length(key_check) = 8", name="key_check_length"),
        sa.CheckConstraint(
            "search IS NULL OR char_length(search) BETWEEN 1 AND 500", name="search"
        ),
        sa.ForeignKeyConstraint(["api_key_id"], ["api_key.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_webhook_api_key_id", "webhook", ["api_key_id"])
    op.create_table(
        "webhook_delivery",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("webhook_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), server_default=sa.text("'pending'"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column(
            "next_attempt_at",
            TIMESTAMP(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("lease_until", TIMESTAMP(timezone=True), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column(
            "created_at", TIMESTAMP(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("delivered_at", TIMESTAMP(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'delivered', 'failed')", name="state"),
        sa.ForeignKeyConstraint(["webhook_id"], ["webhook.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("webhook_id", "position"),
    )
    op.create_index(
        "ix_webhook_delivery_pending",
        "webhook_delivery",
        ["webhook_id", "position"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_index(
        "ix_webhook_delivery_due",
        "webhook_delivery",
        ["next_attempt_at"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "webhook_cursor",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name="one_row"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        "INSERT INTO webhook_cursor (id, position)"
        " SELECT 1, coalesce(max(position), 0) FROM change WHERE position IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_table("webhook_cursor")
    op.drop_table("webhook_delivery")
    op.drop_table("webhook")
