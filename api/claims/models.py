"""The `claim` table: propositions, each stated once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Identity, Index, Text, func, text
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.revisions.models import version_column

MAX_STATEMENT_LENGTH = 2_000


class Claim(Base):
    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint(
            f"char_length(btrim(statement)) BETWEEN 1 AND {MAX_STATEMENT_LENGTH}",
            name="statement_length",
        ),
        CheckConstraint("char_length(language) BETWEEN 2 AND 35", name="language_length"),
        Index("ix_claim_created_at_id", "created_at", "id"),
        # Ingest looks up claims by their folded statement (migration 0004).
        Index("ix_claim_folded_statement", text("cg_fold(statement)")),
        CheckConstraint("merged_into_id <> id", name="not_merged_into_itself"),
        Index(
            "ix_claim_merged_into_id",
            "merged_into_id",
            postgresql_where=text("merged_into_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    statement: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = version_column()
    # Set when this claim was merged into another (migration 0008): it then lists and
    # counts nowhere, and its id resolves to that claim.
    merged_into_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("claim.id", ondelete="RESTRICT")
    )
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now()
    )
