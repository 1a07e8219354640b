"""The fuzzed app (a real editor key, a few real rows) and the count of inputs tried."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from tests import factories
from tests.conftest import GraphQLClient, new_key, serving
from tests.fuzz.harness import EXAMPLES, TRIED, WRITE_TABLES_SQL, Fuzz
from tests.fuzz.values import REAL_PKS


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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many inputs were tried; CLAIMGRAPH_FUZZ_REPORT also gets them as JSON."""
    if not TRIED:
        return
    terminalreporter.section("claimgraph fuzz")
    for name, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{name}: {count}")
    requests = sum(c for n, c in TRIED.items() if n.endswith(".requests"))
    terminalreporter.write_line(
        f"total: {requests} requests ({EXAMPLES} examples per property test; "
        "set CLAIMGRAPH_FUZZ_EXAMPLES for more)"
    )
    if path := os.environ.get("CLAIMGRAPH_FUZZ_REPORT"):
        with open(path, "w") as report:
            json.dump({"examples_per_test": EXAMPLES, "requests": requests, **TRIED}, report)
