"""The `source` table: agents that report or assert claims."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    ForeignKey,
    Identity,
    Index,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.enums import SourceKind, SourceReliability, sql_in
from api.revisions.models import version_column


class Source(Base):
    __tablename__ = "source"
    __table_args__ = (
        CheckConstraint("char_length(btrim(name)) BETWEEN 1 AND 500", name="name_length"),
        CheckConstraint(f"kind IN ({sql_in(SourceKind)})", name="kind"),
        CheckConstraint(f"reliability IN ({sql_in(SourceReliability)})", name="reliability"),
        CheckConstraint("affiliation_id <> id", name="not_own_affiliation"),
        Index("ix_source_affiliation_id", "affiliation_id"),
        Index("ix_source_created_at_id", "created_at", "id"),
        Index("ix_source_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    affiliation_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("source.id", ondelete="RESTRICT")
    )
    reliability: Mapped[str | None] = mapped_column(Text)
    state_affiliated: Mapped[bool] = mapped_column(server_default=text("false"))
    version: Mapped[int] = version_column()
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now()
    )
    # Maintained by PostgreSQL from name and aliases (functions of migration 0002).
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed("to_tsvector('simple', name || ' ' || cg_join(aliases))")
    )
    search_folded: Mapped[str] = mapped_column(
        Text, Computed("cg_fold(name || ' ' || cg_join(aliases))")
    )
