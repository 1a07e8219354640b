"""api keys: who may write

Keys are stored as SHA-256 hashes with a short non-secret prefix for listing; the
keys themselves are shown once, when created, and never stored.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_key",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("prefix", sa.Text(), nullable=False),
        sa.Column("key_hash", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at",
            postgresql.TIMESTAMP(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("last_used_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.Column("revoked_at", postgresql.TIMESTAMP(timezone=True), nullable=True),
        sa.CheckConstraint("role IN ('reader', 'editor', 'admin')", name=op.f("ck_api_key_role")),
        sa.CheckConstraint(
            "char_length(btrim(name)) BETWEEN 1 AND 200", name=op.f("ck_api_key_name_length")
        ),
        sa.CheckConstraint("octet_length(key_hash) = 32", name=op.f("ck_api_key_key_hash_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("name", name=op.f("uq_api_key_name")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_key_key_hash")),
    )


def downgrade() -> None:
    op.drop_table("api_key")
