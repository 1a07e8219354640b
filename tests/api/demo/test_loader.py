"""The demo article loads completely, correctly, and only once."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.demo import curated
from api.demo.loader import load_demo

COUNTS = """
SELECT (SELECT count(*) FROM source), (SELECT count(*) FROM document),
       (SELECT count(*) FROM claim), (SELECT count(*) FROM attribution),
       (SELECT count(*) FROM attribution_chain)
"""


async def _counts(db: AsyncEngine) -> tuple[int, ...]:
    async with db.connect() as connection:
        return tuple((await connection.execute(text(COUNTS))).one())


async def test_loads_every_curated_record_and_nothing_twice(db: AsyncEngine) -> None:
    # when
    async with create_session_factory(db).begin() as session:
        first = await load_demo(session)
    after_first = await _counts(db)
    async with create_session_factory(db).begin() as session:
        second = await load_demo(session)
    # then
    expected_attributions = sum(len(c.attributions) for c in curated.CLAIMS)
    assert (first.sources, first.documents, first.claims, first.attributions) == (
        len(curated.SOURCES),
        1,
        len(curated.CLAIMS),
        expected_attributions,
    )
    assert (second.sources, second.documents, second.claims, second.attributions) == (0, 0, 0, 0)
    assert await _counts(db) == after_first


async def test_shell_estimates_carry_their_quantities_and_chain(db: AsyncEngine) -> None:
    # given
    async with create_session_factory(db).begin() as session:
        await load_demo(session)
    # when
    query = text("""
        SELECT a.quantity_value, a.quantity_bound, s.name,
               (SELECT array_agg(cs.name ORDER BY c.position) FROM attribution_chain c
                JOIN source cs ON cs.id = c.source_id WHERE c.attribution_id = a.id) AS chain
        FROM attribution a JOIN source s ON s.id = a.source_id
        WHERE a.quantity_unit = 'shells' ORDER BY a.quantity_value
    """)
    async with db.connect() as connection:
        rows = (await connection.execute(query)).all()
    # then
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (7_000_000, "EXACT", "Jack Watling"),
        (11_000_000, "AT_MOST", "Jack Watling"),
    ]
    assert all(r[3][1] == "Jack Watling" for r in rows)


def test_cli_load_demo_is_idempotent(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    for expected in ("claims", "0 sources, 0 documents, 0 claims, 0 attributions"):
        result = subprocess.run(
            [sys.executable, "-m", "api.cli", "load-demo"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        assert expected in result.stdout
