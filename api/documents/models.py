"""The `document` table: published texts that carry claims."""

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
)
from sqlalchemy.dialects.postgresql import TIMESTAMP, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.revisions.models import version_column

MAX_TEXT_LENGTH = 2_000_000


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint("char_length(btrim(title)) BETWEEN 1 AND 1000", name="title_length"),
        CheckConstraint("char_length(language) BETWEEN 2 AND 35", name="language_length"),
        CheckConstraint("char_length(url) BETWEEN 1 AND 2048", name="url_length"),
        CheckConstraint(f"char_length(text) <= {MAX_TEXT_LENGTH}", name="text_length"),
        # The hash is of the text itself: present exactly when the text is.
        CheckConstraint("(text IS NULL) = (text_sha256 IS NULL)", name="text_hash_present"),
        CheckConstraint("text_sha256 ~ '^[0-9a-f]{64}$'", name="text_hash_format"),
        Index("ix_document_publisher_id", "publisher_id"),
        Index("ix_document_created_at_id", "created_at", "id"),
        Index("ix_document_text_sha256", "text_sha256"),
        Index("ix_document_search_vector", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    url: Mapped[str | None] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    publisher_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("source.id", ondelete="RESTRICT")
    )
    text: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = version_column()
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now()
    )
    # Maintained by PostgreSQL (functions of migration 0002); search reads only these.
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed(
            "setweight(to_tsvector(cg_ts_config(language), title), 'A')"
            " || setweight(to_tsvector(cg_ts_config(language),"
            " left(coalesce(text, ''), 100000)), 'B')"
        ),
    )
    search_folded: Mapped[str] = mapped_column(
        Text, Computed("cg_fold(title || ' ' || coalesce(url, ''))")
    )
