"""An editor's verdict on an attribution: confirm it, reject it, or retract it later;
and an admin's hard retraction, which removes it from current data."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.db import table_of
from api.enums import Operation, ReviewStatus
from api.errors import DomainError, ErrorCode, Problems
from api.provenance.models import Attribution
from api.revisions.service import OPERATION_SETTING, update_versioned
from api.validation import text_field

attribution = table_of(Attribution)


async def review_attribution(
    session: AsyncSession, *, attribution_id: int, status: ReviewStatus
) -> int:
    """Record the verdict; triggers then refresh the claim's comparison and search rows.

    Rejected attributions stay stored (nothing is lost) but count nowhere.
    """
    if status not in (ReviewStatus.CONFIRMED, ReviewStatus.REJECTED):
        raise DomainError.one(
            ErrorCode.INVALID,
            "a review confirms or rejects; status must be CONFIRMED or REJECTED",
            "input",
            "status",
        )
    result = await session.execute(
        update(attribution)
        .where(attribution.c.id == attribution_id)
        # A retraction is final: reviewing cannot bring the attribution back.
        .where(attribution.c.review_status != ReviewStatus.RETRACTED.value)
        .values(review_status=status.value, reviewed_at=func.now())
        .returning(attribution.c.id)
    )
    if result.first() is None:
        raise DomainError.one(
            ErrorCode.NOT_FOUND,
            "attributionId names no attribution that can still be reviewed (none, or retracted)",
            "input",
            "attributionId",
        )
    return attribution_id


async def retract_attribution(
    session: AsyncSession, *, attribution_id: int, version: int, reason: str
) -> int:
    """Withdraw an attribution as of `version`, keeping it and saying why.

    Nothing is deleted: the attribution stays readable by id and in its history, but,
    like a rejected one, counts in no comparison, summary or search from now on.
    """
    problems = Problems()
    checked = text_field(problems, reason, "input", "reason", max_length=2_000)
    problems.raise_if_any()
    assert checked is not None
    values = {
        "review_status": ReviewStatus.RETRACTED.value,
        "retraction_reason": checked.strip(),
        "reviewed_at": func.now(),
    }
    return await update_versioned(
        session, attribution, pk=attribution_id, version=version, values=values
    )


async def hard_retract_attribution(
    session: AsyncSession, *, attribution_id: int, version: int, reason: str
) -> int:
    """An admin's retraction that also removes the attribution from current data.

    It is first retracted (so its last stored state carries the reason), then deleted
    with its chain links; the revision log keeps both steps, the second as
    HARD_RETRACT with the row as it was. Nothing reads it by id any more.
    """
    await retract_attribution(
        session, attribution_id=attribution_id, version=version, reason=reason
    )
    await session.execute(select(func.set_config(OPERATION_SETTING, Operation.HARD_RETRACT, True)))
    await session.execute(delete(attribution).where(attribution.c.id == attribution_id))
    await session.execute(select(func.set_config(OPERATION_SETTING, "", True)))
    return attribution_id
