"""Merging a claim stated twice into one: the attributions move, the merged claim stays.

The merged claim keeps its row and history and gets a pointer to the kept claim
(`merged_into_id`); reads resolve its id to the kept claim, lists and counts skip it.
Every row the merge changes is recorded as a MERGE revision by the triggers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.claims.models import Claim
from api.claims.provenance_tables import attribution, chain
from api.db import table_of
from api.enums import Operation
from api.errors import DomainError, ErrorCode, Problem
from api.revisions.service import OPERATION_SETTING

claim = table_of(Claim)


async def merge_claims(
    session: AsyncSession, *, keep_id: int, keep_version: int, merge_id: int, merge_version: int
) -> int:
    """Merge claim `merge_id` into `keep_id`, both as of the versions their editor read.

    Returns the kept claim's id. Raises DomainError (nothing written) when either is
    missing, already merged, the same claim, or at another version (CONFLICT).
    """
    if keep_id == merge_id:
        raise DomainError.one(ErrorCode.INVALID, "a claim cannot be merged into itself", "input")
    rows = await _lock(session, keep_id, merge_id)
    problems = [
        *_check(rows.get(keep_id), keep_id, keep_version, "keep"),
        *_check(rows.get(merge_id), merge_id, merge_version, "merge"),
    ]
    if problems:
        raise DomainError(problems)
    await session.execute(select(func.set_config(OPERATION_SETTING, Operation.MERGE, True)))
    # Chains first: the attribution UPDATE's trigger rebuilds both claims' summaries
    # from the chains, which must already name the kept claim.
    await session.execute(
        update(chain).where(chain.c.claim_id == merge_id).values(claim_id=keep_id)
    )
    await session.execute(
        update(attribution).where(attribution.c.claim_id == merge_id).values(claim_id=keep_id)
    )
    # Claims merged earlier into the merged one now point at the kept one: one hop.
    await session.execute(
        update(claim)
        .where((claim.c.merged_into_id == merge_id) | (claim.c.id == merge_id))
        .values(merged_into_id=keep_id)
    )
    # The kept claim gains a version (and a MERGE revision) so its readers can tell.
    await session.execute(
        update(claim).where(claim.c.id == keep_id).values(version=claim.c.version)
    )
    await session.execute(select(func.set_config(OPERATION_SETTING, "", True)))
    return keep_id


async def _lock(session: AsyncSession, *ids: int) -> dict[int, Any]:
    """Both claims, locked in id order so that two crossing merges cannot deadlock."""
    query = (
        select(claim.c.id, claim.c.version, claim.c.merged_into_id)
        .where(claim.c.id.in_(ids))
        .order_by(claim.c.id)
        .with_for_update()
    )
    return {row.id: row for row in (await session.execute(query)).all()}


def _check(row: Any, pk: int, version: int, field: str) -> list[Problem]:
    if row is None:
        return [Problem(ErrorCode.NOT_FOUND, "id names no stored claim", ("input", field))]
    if row.merged_into_id is not None:
        return [
            Problem(
                ErrorCode.INVALID,
                "this claim was already merged into another; use that one",
                ("input", field),
            )
        ]
    if row.version != version:
        return [
            Problem(
                ErrorCode.CONFLICT,
                f"version {version} is stale: the current version is {row.version};"
                " read it and retry",
                ("input", f"{field}Version"),
            )
        ]
    return []
