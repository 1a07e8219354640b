"""Idempotency: a write retried with the key it was first sent with writes nothing new.

Two ways in, one table. An `Idempotency-Key` header covers a whole HTTP request: its
response is stored, in the same transaction as everything the request wrote, and a
retry gets that response back (api/web/idempotency_gate.py). A mutation's
`clientMutationId` covers that one mutation: the id of what it wrote is stored in its
own transaction, and a retry answers with that object instead of writing again.

Keys belong to their owner (the API key, or every anonymous caller together) and are
kept for `ttl`; a key sent again with a different request is refused rather than
answered with another request's result.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from api.auth.roles import Caller
from api.db import table_of
from api.errors import DomainError, ErrorCode
from api.idempotency.models import IdempotencyKey

table = table_of(IdempotencyKey)
MAX_KEY_LENGTH = 300
CLIENT_MUTATION_PREFIX = "clientMutationId:"
# Expired records that each lookup drops besides its own: enough to keep up with the
# writes that add them, few enough to cost one short index scan.
PURGE_BATCH = 100


def owner_of(caller: Caller) -> str:
    return f"key:{caller.key.id}" if caller.key is not None else "anonymous"


def valid_key(key: str) -> bool:
    """Printable ASCII, 1 to 300 characters: UUIDs, ULIDs and the like."""
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def fingerprint(value: Any) -> bytes:
    """A stable hash of a request: the same JSON in another key order is the same request."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).digest()


@dataclass(frozen=True)
class Stored:
    request_hash: bytes
    status_code: int | None
    response: Any


async def lock(db: AsyncConnection | AsyncSession, owner: str, key: str, *, wait: bool) -> bool:
    """Serialise the users of one key until the transaction ends; False if busy and not waiting.

    An advisory lock rather than the row's own: the row does not exist yet when two
    first attempts race.
    """
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    locked = await db.scalar(
        text(f"SELECT {function}(hashtextextended(:owner || chr(31) || :key, 0))"),
        {"owner": owner, "key": key},
    )
    return wait or bool(locked)


async def find(
    db: AsyncConnection | AsyncSession, owner: str, key: str, ttl: timedelta
) -> Stored | None:
    """The live record of `key`, after dropping an expired one (it may be reused).

    A few other expired records go too, so that an answer is kept for `ttl` and not
    until its key happens to be sent again; records another transaction holds are
    skipped rather than waited for.
    """
    expired = table.c.created_at < func.now() - ttl
    await db.execute(delete(table).where(table.c.owner == owner, table.c.key == key, expired))
    stale = (
        select(table.c.owner, table.c.key)
        .where(expired)
        .order_by(table.c.created_at)
        .limit(PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    await db.execute(delete(table).where(tuple_(table.c.owner, table.c.key).in_(stale)))
    row = (
        await db.execute(
            select(table.c.request_hash, table.c.status_code, table.c.response).where(
                table.c.owner == owner, table.c.key == key
            )
        )
    ).first()
    return None if row is None else Stored(bytes(row[0]), row[1], row[2])


async def remember(
    db: AsyncConnection | AsyncSession,
    owner: str,
    key: str,
    request_hash: bytes,
    response: Any,
    status_code: int | None = None,
) -> None:
    await db.execute(
        insert(table).values(
            owner=owner,
            key=key,
            request_hash=request_hash,
            status_code=status_code,
            response=response,
        )
    )


def reused(field: tuple[str, ...] | None = None) -> DomainError:
    return DomainError.one(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        "this key was first used with a different request; use a new key for a new request",
        *(field or ()),
    )


async def replayed_write(
    session: AsyncSession,
    caller: Caller,
    client_mutation_id: str,
    request: Any,
    ttl: timedelta,
) -> tuple[int | None, bytes]:
    """Inside a mutation's transaction: the id a first attempt with this clientMutationId
    wrote (None if this is the first), and the request's fingerprint to remember.

    Raises IDEMPOTENCY_KEY_REUSED when the id came with a different mutation or input.
    """
    field = ("input", "clientMutationId")
    if not valid_key(client_mutation_id):
        raise DomainError.one(
            ErrorCode.INVALID, f"use 1 to {MAX_KEY_LENGTH} printable ASCII characters", *field
        )
    owner, key = owner_of(caller), CLIENT_MUTATION_PREFIX + client_mutation_id
    request_hash = fingerprint(request)
    await lock(session, owner, key, wait=True)
    stored = await find(session, owner, key, ttl)
    if stored is None:
        return None, request_hash
    if stored.request_hash != request_hash:
        raise reused(field)
    return int(stored.response["id"]), request_hash
