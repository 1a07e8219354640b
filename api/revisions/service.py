"""Who writes, and edits that only land on the version their author read.

Revisions themselves are appended by triggers (migration 0007) in the writer's
transaction; Python only tells the database who the actor is, once per transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.errors import DomainError, ErrorCode

ACTOR_SETTING = "claimgraph.actor"
# Names the operation of the revisions a write records when the row changes alone
# cannot tell it (a merge); empty means "infer it" (migration 0008).
OPERATION_SETTING = "claimgraph.operation"


async def act_as(session: AsyncSession, actor: str) -> None:
    """Name the actor of this transaction's revisions (reset at its end, like SET LOCAL)."""
    await session.execute(select(func.set_config(ACTOR_SETTING, actor, True)))


async def update_versioned(
    session: AsyncSession, table: Table, *, pk: int, version: int, values: dict[str, Any]
) -> int:
    """Apply `values` only if the row is still at `version`; the trigger bumps it.

    The version check sits in the UPDATE's WHERE, so a concurrent edit that committed
    first makes this one match no row (PostgreSQL rechecks the WHERE after the lock
    wait): exactly one of two edits of one version wins, and the loser writes nothing.
    """
    result = await session.execute(
        update(table)
        .where(table.c.id == pk, table.c.version == version)
        .values(**values)
        .returning(table.c.id)
    )
    if result.first() is not None:
        return pk
    raise await _missed(session, table, pk, version)


async def _missed(session: AsyncSession, table: Table, pk: int, version: int) -> DomainError:
    """Why a versioned UPDATE matched nothing: no such row, or a newer version."""
    current = await session.scalar(select(table.c.version).where(table.c.id == pk))
    if current is None:
        return DomainError.one(ErrorCode.NOT_FOUND, "id names nothing stored", "input", "id")
    return DomainError.one(
        ErrorCode.CONFLICT,
        f"version {version} is stale: the current version is {current}; read it and retry",
        "input",
        "version",
    )
