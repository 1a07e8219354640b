"""ingest: indexes that find a stored claim with the same (or nearly the same) statement

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_claim_folded_statement ON claim (cg_fold(statement))")
    trigram = (
        op.get_bind()
        .execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"))
        .first()
    )
    if trigram is not None:
        op.execute(
            "CREATE INDEX ix_claim_folded_statement_trgm ON claim"
            " USING gin (cg_fold(statement) gin_trgm_ops)"
        )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_claim_folded_statement_trgm")
    op.execute("DROP INDEX ix_claim_folded_statement")
