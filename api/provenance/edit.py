"""Editing attributions, and keeping their chains right when a document's publisher changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.enums import AttributionField, ChainRole, Stance
from api.errors import Problems
from api.provenance.service import (
    NewQuantity,
    attribution_table,
    chain_rows,
    chain_table,
    quantity_values,
)
from api.revisions.service import update_versioned
from api.validation import aware_time, cleared, string_list, unit_interval

QUANTITY_COLUMNS = ["quantity_value", "quantity_unit", "quantity_bound"]


@dataclass(frozen=True)
class AttributionEdit:
    """The fields to change; None leaves a field as it is."""

    stance: Stance | None = None
    confidence: float | None = None
    hedges: list[str] | None = None
    reported_at: datetime | None = None
    quantity: NewQuantity | None = None
    clear: frozenset[AttributionField] = frozenset()


async def update_attribution(
    session: AsyncSession, *, attribution_id: int, version: int, edit: AttributionEdit
) -> int:
    """Edit an attribution as of `version` with the rules of addAttribution; CONFLICT if stale."""
    problems = Problems()
    values: dict[str, Any] = {}
    if edit.stance is not None:
        values["stance"] = edit.stance.value
    if edit.confidence is not None:
        values["confidence"] = unit_interval(problems, edit.confidence, "input", "confidence")
    if edit.hedges is not None:
        values["hedges"] = string_list(problems, edit.hedges, "input", "hedges")
    if edit.reported_at is not None:
        values["reported_at"] = aware_time(problems, edit.reported_at, "input", "reportedAt")
    values.update(quantity_values(problems, edit.quantity))
    given = {"reportedAt": edit.reported_at, "quantity": edit.quantity}
    for name in cleared(problems, edit.clear, given):
        columns = ["reported_at"] if name == "reportedAt" else QUANTITY_COLUMNS
        values.update(dict.fromkeys(columns, None))
    if not values and not problems:
        problems.invalid("give at least one field to change", "input")
    problems.raise_if_any()
    return await update_versioned(
        session, attribution_table, pk=attribution_id, version=version, values=values
    )


async def rebuild_publisher_links(
    session: AsyncSession, *, document_id: int, publisher_id: int | None
) -> None:
    """Rewrite the chains of a document's attributions for its new publisher."""
    attributions = (
        await session.execute(
            select(
                attribution_table.c.id, attribution_table.c.claim_id, attribution_table.c.source_id
            )
            .where(attribution_table.c.document_id == document_id)
            .order_by(attribution_table.c.id)
        )
    ).all()
    if not attributions:
        return
    ids = [row.id for row in attributions]
    via: dict[int, list[int]] = {pk: [] for pk in ids}
    cited = await session.execute(
        select(chain_table.c.attribution_id, chain_table.c.source_id)
        .where(chain_table.c.attribution_id.in_(ids), chain_table.c.role == ChainRole.VIA.value)
        .order_by(chain_table.c.attribution_id, chain_table.c.position)
    )
    for attribution_id, source_id in cited:
        via[attribution_id].append(source_id)
    await session.execute(delete(chain_table).where(chain_table.c.attribution_id.in_(ids)))
    rows = [
        link
        for row in attributions
        for link in chain_rows(row.id, row.claim_id, publisher_id, row.source_id, via[row.id])
    ]
    await session.execute(insert(chain_table), rows)
