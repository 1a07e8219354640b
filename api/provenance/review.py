"""An editor's verdict on an attribution: confirm it, or reject it."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import table_of
from api.enums import ReviewStatus
from api.errors import DomainError, ErrorCode
from api.provenance.models import Attribution

attribution = table_of(Attribution)


async def review_attribution(
    session: AsyncSession, *, attribution_id: int, status: ReviewStatus
) -> int:
    """Record the verdict; triggers then refresh the claim's comparison and search rows.

    Rejected attributions stay stored (nothing is lost) but count nowhere.
    """
    if status is ReviewStatus.SUGGESTED:
        raise DomainError.one(
            ErrorCode.INVALID,
            "a review confirms or rejects; status must be CONFIRMED or REJECTED",
            "input",
            "status",
        )
    result = await session.execute(
        update(attribution)
        .where(attribution.c.id == attribution_id)
        .values(review_status=status.value, reviewed_at=func.now())
        .returning(attribution.c.id)
    )
    if result.first() is None:
        raise DomainError.one(
            ErrorCode.NOT_FOUND, "attributionId names no attribution", "input", "attributionId"
        )
    return attribution_id
