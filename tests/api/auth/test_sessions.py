"""Web sessions: a key entered once opens one; only the token's hash is stored; expiry,
revocation and sign-out each end it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.models import ApiKey
from api.auth.roles import Role
from api.auth.sessions import close_session, open_session, session_identity, token_hash
from api.db import create_session_factory, table_of
from api.errors import DomainError, ErrorCode
from tests.support.app import new_key

HOUR = timedelta(hours=1)


async def test_a_session_stands_for_its_key_and_stores_only_a_hash(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.EDITOR, "editor-anna")
    sessions = create_session_factory(db)
    # when
    async with sessions.begin() as session:
        opened = await open_session(session, key=key, lifetime=HOUR)
    # then
    async with sessions() as session:
        identity = await session_identity(session, opened.token)
        stored = (await session.execute(text("SELECT token_hash FROM web_session"))).scalars()
        stored_hashes = list(stored)
    assert identity is not None and identity.name == "editor-anna" and identity.role is Role.EDITOR
    assert stored_hashes == [token_hash(opened.token)]
    dump = repr(stored_hashes).encode()
    assert opened.token.encode() not in dump and key.encode() not in dump


async def test_an_unknown_key_opens_nothing(db: AsyncEngine) -> None:
    # given
    sessions = create_session_factory(db)
    # when
    with pytest.raises(DomainError) as refused:
        async with sessions.begin() as session:
            await open_session(session, key="cg_" + "x" * 43, lifetime=HOUR)
    # then
    assert refused.value.problems[0].code is ErrorCode.UNAUTHENTICATED
    async with sessions() as session:
        assert await session.scalar(text("SELECT count(*) FROM web_session")) == 0


async def test_revoking_the_key_ends_its_sessions_at_once(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.EDITOR)
    sessions = create_session_factory(db)
    async with sessions.begin() as session:
        opened = await open_session(session, key=key, lifetime=HOUR)
    # when
    async with sessions.begin() as session:
        await session.execute(update(table_of(ApiKey)).values(revoked_at=text("now()")))
    # then
    async with sessions() as session:
        assert await session_identity(session, opened.token) is None


async def test_an_expired_session_signs_nobody_in_and_goes_at_the_next_sign_in(
    db: AsyncEngine,
) -> None:
    # given: a session that expired
    key = await new_key(db, Role.READER)
    sessions = create_session_factory(db)
    async with sessions.begin() as session:
        old = await open_session(session, key=key, lifetime=HOUR)
        await session.execute(
            text(
                "UPDATE web_session SET created_at = now() - interval '2 hours',"
                " expires_at = now() - interval '1 hour'"
            )
        )
    async with sessions() as session:
        assert await session_identity(session, old.token) is None
    # when: someone signs in again
    async with sessions.begin() as session:
        await open_session(session, key=key, lifetime=HOUR)
    # then: the expired row is gone
    async with sessions() as session:
        assert await session.scalar(text("SELECT count(*) FROM web_session")) == 1


async def test_signing_out_ends_the_session(db: AsyncEngine) -> None:
    # given
    key = await new_key(db, Role.READER)
    sessions = create_session_factory(db)
    async with sessions.begin() as session:
        opened = await open_session(session, key=key, lifetime=HOUR)
    # when
    async with sessions.begin() as session:
        await close_session(session, opened.token)
        await close_session(session, "not a token")
    # then
    async with sessions() as session:
        assert await session_identity(session, opened.token) is None
        assert await session_identity(session, "") is None
