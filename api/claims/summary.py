"""Tables the database keeps up to date itself, for fast comparison and search.

`source_claim` answers "which claims does this source report, with which stance"
in one index lookup; `claim_search` holds each claim's searchable text (statement,
quotes, and the names of the sources behind it). Triggers in migration 0002
refresh both whenever attributions, chains, claims or sources change, so no
write path (API, importer, SQL console) can leave them stale.

Both are read models of claims (claim lists filter and search through them), so they
live with claims, below api/provenance, whose source comparison reads `source_claim`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Table, Text, text
from sqlalchemy.dialects.postgresql import TIMESTAMP, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base


class SourceClaim(Base):
    """One row per (source, claim) where the source stands in an attribution's chain."""

    __tablename__ = "source_claim"
    __table_args__ = (
        Index(
            "ix_source_claim_newest",
            "source_id",
            text("claim_created_at DESC"),
            text("claim_id DESC"),
        ),
        Index("ix_source_claim_claim_id", "claim_id"),
    )

    source_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("source.id", ondelete="CASCADE"), primary_key=True
    )
    claim_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True
    )
    # The stance of the latest attribution whose chain contains the source, counting
    # suggestions; and counting only confirmed attributions (null: none confirmed).
    stance: Mapped[str] = mapped_column(Text)
    confirmed_stance: Mapped[str | None] = mapped_column(Text)
    latest_attribution_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("attribution.id", ondelete="CASCADE")
    )
    claim_created_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True))


class ClaimSearch(Base):
    __tablename__ = "claim_search"
    __table_args__ = (
        Index("ix_claim_search_vector", "vector", postgresql_using="gin"),
        Index("ix_claim_search_statement_vector", "statement_vector", postgresql_using="gin"),
        Index("ix_claim_search_newest", text("created_at DESC"), text("claim_id DESC")),
    )

    claim_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True
    )
    vector: Mapped[str] = mapped_column(TSVECTOR)
    # Lower-cased, accent- and transliteration-folded text for fuzzy matching (cg_fold).
    folded: Mapped[str] = mapped_column(Text)
    # The statement alone: a match here puts a claim in the first tier of results.
    statement_vector: Mapped[str] = mapped_column(TSVECTOR)
    statement_folded: Mapped[str] = mapped_column(Text)
    # The claim's creation time, so each tier walks newest first down one index.
    created_at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True))


# Every folded word of every claim's searchable text, to correct misspelt terms. No key:
# concurrent writers must not wait on each other's words (see migration 0005).
search_word = Table(
    "search_word",
    Base.metadata,
    Column("word", Text, nullable=False),
    Index("ix_search_word_word", "word"),
)
