"""Key management (create, list, revoke) and the lookup of a presented key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.keys import key_hash, new_key, shown_prefix
from api.auth.models import ApiKey
from api.auth.roles import KeyIdentity, Role
from api.db import table_of
from api.errors import DomainError, ErrorCode, Problems

# last_used_at is a hint for humans ("is this key still in use?"), not an audit log:
# writing it on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class CreatedKey:
    """A new key: `key` is the secret, shown once and never stored."""

    id: int
    name: str
    role: Role
    prefix: str
    key: str


@dataclass(frozen=True)
class KeyListing:
    id: int
    name: str
    role: Role
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


async def create_key(session: AsyncSession, *, name: str, role: Role) -> CreatedKey:
    """Store a new key's hash under a unique name and return the key itself, once."""
    problems = Problems()
    name = name.strip()
    if not 1 <= len(name) <= 200:
        problems.invalid("a key's name must have 1 to 200 characters", "name")
    elif await session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        problems.add(ErrorCode.DUPLICATE, f"a key named {name!r} exists", "name")
    problems.raise_if_any()
    key = new_key()
    row = ApiKey(name=name, role=role.value, prefix=shown_prefix(key), key_hash=key_hash(key))
    session.add(row)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent create with the same name
        raise DomainError.one(ErrorCode.DUPLICATE, f"a key named {name!r} exists", "name") from exc
    return CreatedKey(id=row.id, name=name, role=role, prefix=row.prefix, key=key)


async def list_keys(
    session: AsyncSession, *, key_id: int | None = None, name: str | None = None
) -> list[KeyListing]:
    """Every key, revoked ones included, oldest first; or the one with this id or name."""
    query = select(ApiKey).order_by(ApiKey.id)
    if key_id is not None:
        query = query.where(ApiKey.id == key_id)
    if name is not None:
        query = query.where(ApiKey.name == name)
    rows = (await session.execute(query)).scalars()
    return [
        KeyListing(
            id=r.id,
            name=r.name,
            role=Role(r.role),
            prefix=r.prefix,
            created_at=r.created_at,
            last_used_at=r.last_used_at,
            revoked_at=r.revoked_at,
        )
        for r in rows
    ]


async def revoke_key(session: AsyncSession, *, name_or_prefix: str) -> str:
    """Revoke the one unrevoked key with this name or prefix; its name is returned."""
    found = (
        await session.execute(
            select(ApiKey.id, ApiKey.name).where(
                or_(ApiKey.name == name_or_prefix, ApiKey.prefix == name_or_prefix),
                ApiKey.revoked_at.is_(None),
            )
        )
    ).all()
    if not found:
        raise DomainError.one(
            ErrorCode.NOT_FOUND, f"no unrevoked key is named or starts with {name_or_prefix!r}"
        )
    if len(found) > 1:
        raise DomainError.one(
            ErrorCode.AMBIGUOUS, f"{len(found)} keys match {name_or_prefix!r}: use the name"
        )
    await session.execute(
        update(ApiKey).where(ApiKey.id == found[0].id).values(revoked_at=func.now())
    )
    return str(found[0].name)


async def identify(session: AsyncSession, key: str) -> KeyIdentity | None:
    """The unrevoked key with this secret, or None; notes its use at most once a minute."""
    table = table_of(ApiKey)
    row = (
        await session.execute(
            select(table.c.id, table.c.name, table.c.role, table.c.last_used_at).where(
                table.c.key_hash == key_hash(key), table.c.revoked_at.is_(None)
            )
        )
    ).one_or_none()
    if row is None:
        return None
    stale_before = func.now() - LAST_USED_RESOLUTION
    if row.last_used_at is None or row.last_used_at < datetime.now(row.last_used_at.tzinfo) - (
        LAST_USED_RESOLUTION
    ):
        await session.execute(
            update(table)
            .where(
                table.c.id == row.id,
                or_(table.c.last_used_at.is_(None), table.c.last_used_at < stale_before),
            )
            .values(last_used_at=func.now())
        )
    return KeyIdentity(id=row.id, name=row.name, role=Role(row.role))
