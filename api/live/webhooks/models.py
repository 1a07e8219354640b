"""The `webhook`, `webhook_delivery` and `webhook_cursor` tables (migration 0015).

No secret is stored: a webhook's secret is derived from the master key, its id and
`secret_salt` (api/live/webhooks/master_key.py), and the master key lives outside the
database. `key_check` tells which master key a webhook was made under, so a server
started with another one never signs with a secret the receiver does not know.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base

STATES = ("pending", "delivered", "failed")


class Webhook(Base):
    __tablename__ = "webhook"
    __table_args__ = (
        CheckConstraint("url ~ '^https?://' AND char_length(url) <= 2048", name="url"),
        CheckConstraint("char_length(secret_salt) BETWEEN 16 AND 64", name="salt_length"),
        CheckConstraint("octet_length(key_check) = 8", name="key_check_length"),
        CheckConstraint("search IS NULL OR char_length(search) BETWEEN 1 AND 500", name="search"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    api_key_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("api_key.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    kinds: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    # Filters, not references: a claim or source may be merged or removed later.
    claim_id: Mapped[int | None] = mapped_column(BigInteger)
    source_id: Mapped[int | None] = mapped_column(BigInteger)
    search: Mapped[str | None] = mapped_column(Text)
    secret_salt: Mapped[str] = mapped_column(Text)
    key_check: Mapped[bytes] = mapped_column(LargeBinary)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    failing_since: Mapped[datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    # The last change committed before the webhook: only later ones are delivered.
    created_after_position: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now()
    )


class WebhookDelivery(Base):
    """One change for one webhook: pending until a 2xx, failed once retrying gave up."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "position"),
        CheckConstraint(f"state IN {STATES!r}", name="state"),
        # The head of each webhook's queue: its oldest pending delivery.
        Index(
            "ix_webhook_delivery_pending",
            "webhook_id",
            "position",
            postgresql_where=text("state = 'pending'"),
        ),
        # The deliverer's scan for what is due.
        Index(
            "ix_webhook_delivery_due",
            "next_attempt_at",
            postgresql_where=text("state = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    webhook_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("webhook.id", ondelete="CASCADE")
    )
    # The change's position: its public id.
    position: Mapped[int] = mapped_column(BigInteger)
    # The exact JSON sent (and signed), fixed when the change was matched.
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text, server_default=text("'pending'"))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now()
    )
    # While a process sends it; after a crash, another takes it once this has passed.
    lease_until: Mapped[datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        TIMESTAMP(timezone=True), server_default=func.now()
    )
    delivered_at: Mapped[datetime | None] = mapped_column(TIMESTAMP(timezone=True))


class WebhookCursor(Base):
    """One row: the last change position matched against the webhooks. Its row lock is
    what makes one process, never two, match each change."""

    __tablename__ = "webhook_cursor"
    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
