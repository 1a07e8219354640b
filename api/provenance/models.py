"""Attributions (one report of a claim) and their materialised source chains."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Double,
    ForeignKey,
    Identity,
    Index,
    Integer,
    SmallInteger,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.enums import ChainRole, Method, QuantityBound, ReviewStatus, Stance, sql_in
from api.revisions.models import version_column


class Attribution(Base):
    __tablename__ = "attribution"
    __table_args__ = (
        CheckConstraint(f"stance IN ({sql_in(Stance)})", name="stance"),
        # `>= 0 AND <= 1` also rejects NaN, which PostgreSQL sorts above every number.
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
        CheckConstraint("num_nulls(quote, quote_start, quote_end) IN (0, 3)", name="quote_whole"),
        CheckConstraint("quote_start >= 0 AND quote_end >= quote_start", name="quote_offsets"),
        CheckConstraint(
            "num_nulls(quantity_value, quantity_bound) IN (0, 2)"
            " AND (quantity_unit IS NULL OR quantity_value IS NOT NULL)",
            name="quantity_whole",
        ),
        CheckConstraint(f"quantity_bound IN ({sql_in(QuantityBound)})", name="quantity_bound"),
        CheckConstraint(
            "quantity_value <> 'NaN'::float8 AND quantity_value > '-Infinity'::float8"
            " AND quantity_value < 'Infinity'::float8",
            name="quantity_finite",
        ),
        CheckConstraint(f"method IN ({sql_in(Method)})", name="method"),
        CheckConstraint(f"review_status IN ({sql_in(ReviewStatus)})", name="review_status"),
        CheckConstraint(
            "(method = 'EXTRACTED') = (extractor_version IS NOT NULL)", name="extractor_version"
        ),
        CheckConstraint(
            "(review_status = 'RETRACTED') = (retraction_reason IS NOT NULL)",
            name="retraction_reason",
        ),
        Index("ix_attribution_claim_order", "claim_id", "reported_at", "id"),
        Index(
            "ix_attribution_suggested",
            "document_id",
            postgresql_where=text("review_status = 'SUGGESTED'"),
        ),
        Index("ix_attribution_document_order", "document_id", "quote_start", "id"),
        Index("ix_attribution_source_id", "source_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    claim_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("claim.id", ondelete="RESTRICT"))
    document_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("document.id", ondelete="RESTRICT")
    )
    source_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("source.id", ondelete="RESTRICT"))
    stance: Mapped[str] = mapped_column(Text, server_default=text("'AFFIRMS'"))
    confidence: Mapped[float] = mapped_column(Double, server_default=text("1.0"))
    hedges: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    quote: Mapped[str | None] = mapped_column(Text)
    quote_start: Mapped[int | None] = mapped_column(Integer)
    quote_end: Mapped[int | None] = mapped_column(Integer)
    quantity_value: Mapped[float | None] = mapped_column(Double)
    quantity_unit: Mapped[str | None] = mapped_column(Text)
    quantity_bound: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    # Curated by an editor (confirmed as made) or extracted by a machine (a suggestion
    # until an editor confirms or rejects it); rejected ones count nowhere.
    method: Mapped[str] = mapped_column(Text, server_default=text("'CURATED'"))
    extractor_version: Mapped[str | None] = mapped_column(Text)
    review_status: Mapped[str] = mapped_column(Text, server_default=text("'CONFIRMED'"))
    reviewed_at: Mapped[datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    retraction_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = version_column()
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now()
    )


class ChainLink(Base):
    """One source of an attribution's chain, outermost first.

    The chain is materialised at write time (publisher when it is not the source,
    then the source, then `via`) so that "which claims does this source stand
    behind" is one index lookup on (source_id, claim_id) instead of a union.
    """

    __tablename__ = "attribution_chain"
    __table_args__ = (
        CheckConstraint(f"role IN ({sql_in(ChainRole)})", name="role"),
        CheckConstraint("position >= 0", name="position"),
        Index("ix_attribution_chain_source_claim", "source_id", "claim_id"),
        Index("ix_attribution_chain_source_attribution", "source_id", "attribution_id"),
        Index("ix_attribution_chain_claim_id", "claim_id"),
        # A source stands once among the attributed source and its citations.
        Index(
            "uq_attribution_chain_cited_once",
            "attribution_id",
            "source_id",
            unique=True,
            postgresql_where=text("role <> 'PUBLISHER'"),
        ),
    )

    attribution_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("attribution.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    role: Mapped[str] = mapped_column(Text)
    source_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("source.id", ondelete="RESTRICT"))
    claim_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("claim.id", ondelete="RESTRICT"))
