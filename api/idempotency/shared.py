"""The one connection and transaction of a request under an Idempotency-Key.

The gate (api/web/idempotency_gate.py) opens it; the GraphQL layer (schema/context.py)
runs every read and write of the request on it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from api.db import SessionFactory, WriteSession


class SharedConnection:
    """The one connection of a request under an Idempotency-Key, used in turns.

    Strawberry resolves sibling fields concurrently and a connection runs one statement
    at a time, so reads take a lock; writes get savepoint sessions on it.
    """

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._turn = asyncio.Lock()
        # Fields that would answer a secret, which the gate refuses to store.
        self.secret_answers: list[str] = []
        self.session_factory: SessionFactory = async_sessionmaker(
            bind=connection,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
            sync_session_class=WriteSession,
        )

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        async with self._turn:
            yield self.connection

    def refuse_secret_answer(self, field: str) -> None:
        """A field that answers a secret was reached: the gate answers 400, writes nothing.

        The gate refuses such requests before they run; this is the net under that check,
        for a request shape its walk over the document might not see.
        """
        self.secret_answers.append(field)
