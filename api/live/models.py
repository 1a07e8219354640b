"""The outbox of changes (`change`) and the contested memo (`claim_contested`).

Migration 0014 creates both, with the triggers that fill `change` in the writing
transaction and the deferred one that numbers its rows at commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Identity, Text, text
from sqlalchemy.dialects.postgresql import ARRAY, TIMESTAMP
from sqlalchemy.orm import Mapped, mapped_column

from api.db import Base
from api.enums import sql_in
from api.live.kinds import ChangeKind


class Change(Base):
    """One committed change; `position` (its public id) and `at` are set at commit."""

    __tablename__ = "change"
    __table_args__ = (CheckConstraint(f"kind IN ({sql_in(ChangeKind)})", name="kind"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime | None] = mapped_column(TIMESTAMP(timezone=True))
    # No foreign keys: the object a change names may be gone later.
    claim_id: Mapped[int | None] = mapped_column(BigInteger)
    attribution_id: Mapped[int | None] = mapped_column(BigInteger)
    source_id: Mapped[int | None] = mapped_column(BigInteger)
    source_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default=text("'{}'"))


class ClaimContested(Base):
    """Whether a claim was contested when its last change committed (api/live/recording.py).

    A claim without a row was not contested (as far as any recorded write knows); NULL:
    unknown, after a bulk load, which decides no CLAIM_CONTESTED.
    """

    __tablename__ = "claim_contested"

    claim_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    contested: Mapped[bool | None]
