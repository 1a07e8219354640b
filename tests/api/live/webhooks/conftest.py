"""Webhook tests' fixtures: a database whose dispatch cursor follows its emptied change
table, settings with a master key and quick retries, an editor's client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from tests.support.app import TEST_SETTINGS, GraphQLClient, new_key, serving

MASTER_KEY = "test-master-key-0123456789"
QUICK = TEST_SETTINGS.model_copy(
    update={
        "webhook_key": SecretStr(MASTER_KEY),
        "webhook_first_retry_seconds": 0.3,
        "webhook_max_retry_seconds": 1.0,
    }
)


@pytest.fixture
async def hooked(db: AsyncEngine) -> AsyncEngine:
    """The emptied database; its change positions start again at 1, so the cursor does."""
    async with db.begin() as connection:
        await connection.execute(text("UPDATE webhook_cursor SET position = 0"))
    return db


@pytest.fixture
async def editor(hooked: AsyncEngine) -> AsyncIterator[GraphQLClient]:
    key = await new_key(hooked, Role.EDITOR, "newsroom")
    async with serving(hooked, QUICK, key=key) as http:
        yield GraphQLClient(http)
