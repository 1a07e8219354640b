"""Web sessions: an API key entered once in a browser, then a session token in a cookie.

The token is 256 random bits; only its SHA-256 is stored (web_session), as for keys
(api/auth/keys.py says why a fast hash is right for such secrets). A session signs its
holder in as the key it was opened with, as long as that key is not revoked and the
session has not expired: revoking the key ends every session opened with it at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.models import ApiKey, WebSession
from api.auth.roles import KeyIdentity, Role
from api.auth.service import identify
from api.db import table_of
from api.errors import DomainError, ErrorCode

# Tokens are token_urlsafe(32): 43 characters; anything else is no token of ours.
TOKEN_LENGTH = 43


@dataclass(frozen=True)
class OpenedSession:
    """`token` goes to the browser, once; the database keeps only its hash."""

    token: str
    identity: KeyIdentity
    expires_at: datetime


def token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def _plausible(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and token.isascii()


async def open_session(session: AsyncSession, *, key: str, lifetime: timedelta) -> OpenedSession:
    """A new session for this key; UNAUTHENTICATED when the key is unknown or revoked.

    Expired sessions are deleted here, as sign-ins arrive, so the table stays small."""
    identity = await identify(session, key.strip()) if key.strip() else None
    if identity is None:
        raise DomainError.one(ErrorCode.UNAUTHENTICATED, "the API key is unknown or revoked", "key")
    sessions = table_of(WebSession)
    await session.execute(delete(sessions).where(sessions.c.expires_at <= func.now()))
    token = secrets.token_urlsafe(32)
    expires_at = await session.scalar(
        insert(sessions)
        .values(
            token_hash=token_hash(token),
            api_key_id=identity.id,
            expires_at=func.now() + lifetime,
        )
        .returning(sessions.c.expires_at)
    )
    assert expires_at is not None
    return OpenedSession(token=token, identity=identity, expires_at=expires_at)


async def session_identity(session: AsyncSession, token: str) -> KeyIdentity | None:
    """The key a live session stands for; None for an unknown, expired or revoked one."""
    if not _plausible(token):
        return None
    sessions, keys = table_of(WebSession), table_of(ApiKey)
    row = (
        await session.execute(
            select(keys.c.id, keys.c.name, keys.c.role)
            .join(sessions, sessions.c.api_key_id == keys.c.id)
            .where(
                sessions.c.token_hash == token_hash(token),
                sessions.c.expires_at > func.now(),
                keys.c.revoked_at.is_(None),
            )
        )
    ).one_or_none()
    return None if row is None else KeyIdentity(id=row.id, name=row.name, role=Role(row.role))


async def close_session(session: AsyncSession, token: str) -> None:
    """Sign out: the session's row goes; an unknown token is no error."""
    if _plausible(token):
        sessions = table_of(WebSession)
        await session.execute(delete(sessions).where(sessions.c.token_hash == token_hash(token)))
