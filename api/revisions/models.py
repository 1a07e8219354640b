"""The `revision` table: every version of every node, appended by triggers (migration 0007)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Identity, Index, Integer, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.enums import Operation, sql_in


def version_column() -> Mapped[int]:
    """The optimistic-concurrency counter every node carries; a trigger bumps it on UPDATE."""
    return mapped_column(Integer, server_default=text("1"))


class Revision(Base):
    """One INSERT or UPDATE of a node, with the row before and after, never changed later."""

    __tablename__ = "revision"
    __table_args__ = (
        CheckConstraint(f"operation IN ({sql_in(Operation)})", name="operation"),
        Index("ix_revision_node", "node_type", "node_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    node_type: Mapped[str] = mapped_column(Text)
    node_id: Mapped[int] = mapped_column(BigInteger)
    operation: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(TIMESTAMP(timezone=True), server_default=func.now())
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
