"""The fuzzed app: a real editor key and a few real rows (the count of inputs tried is
tests/support/fuzz_report.py's)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from tests import factories
from tests.fuzz.harness import WRITE_TABLES_SQL, Fuzz
from tests.fuzz.values import REAL_PKS
from tests.support.app import GraphQLClient, new_key, serving


@pytest.fixture
async def fuzz(db: AsyncEngine) -> AsyncIterator[Fuzz]:
    """An editor's client of a fresh app over a database holding sources, documents,
    claims and attributions with primary keys 1, 2, 3: the ids the generators forge."""
    key = await new_key(db, Role.EDITOR, "fuzz-editor")
    async with serving(db, key=key) as http:
        gql = GraphQLClient(http)
        for n in REAL_PKS:
            source = await factories.source(gql, name=f"Quelle {n}")
            document = await factories.document(gql, title=f"Artikel {n}", publisherId=source)
            claim = await factories.claim(gql, statement=f"Aussage Nummer {n}")
            await factories.attribution(
                gql, claimId=claim, documentId=document, sourceId=source,
                quote="Putin hat die Einladung angenommen", confidence=0.5,
            )
        async with db.connect() as connection:
            tables = list((await connection.execute(text(WRITE_TABLES_SQL))).scalars())
        yield Fuzz(http=http, engine=db, tables=tables)
