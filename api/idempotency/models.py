"""The `idempotency_key` table (migration 0008): what a retried write answered the first time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, LargeBinary, Text, func
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base


class IdempotencyKey(Base):
    """One key a caller sent with a write, the request it came with and the answer given.

    Keys are scoped to their owner (the API key's id, or "anonymous"), so two clients
    cannot see each other's answers by guessing keys.
    """

    __tablename__ = "idempotency_key"
    __table_args__ = (
        CheckConstraint("char_length(key) BETWEEN 1 AND 300", name="key_length"),
        CheckConstraint("octet_length(request_hash) = 32", name="request_hash_length"),
        Index("ix_idempotency_key_created_at", "created_at"),
    )

    owner: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    request_hash: Mapped[bytes] = mapped_column(LargeBinary)
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[Any | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now()
    )
