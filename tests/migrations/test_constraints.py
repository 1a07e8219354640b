"""The database itself refuses bad data, whatever code path writes it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

SETUP = """
INSERT INTO source (id, name, kind) OVERRIDING SYSTEM VALUE VALUES (1, 'KCNA', 'NEWS_AGENCY');
INSERT INTO claim (id, statement, language) OVERRIDING SYSTEM VALUE VALUES (1, 'Eine These', 'de');
INSERT INTO document (id, title, language, text, text_sha256) OVERRIDING SYSTEM VALUE
  VALUES (1, 'T', 'de', 'Grüße 👋 aus Pjöngjang', repeat('0', 64));
"""

ATTRIBUTION = (
    "INSERT INTO attribution (claim_id, document_id, source_id, confidence, quote, quote_start,"
    " quote_end) VALUES (1, 1, 1, :confidence, :quote, :start, :end)"
)


async def _setup(db: AsyncEngine) -> None:
    async with db.begin() as connection:
        for statement in SETUP.strip().split(";\n"):
            await connection.execute(text(statement))


async def _insert(db: AsyncEngine, **values: object) -> None:
    params = {"confidence": 1.0, "quote": None, "start": None, "end": None, **values}
    async with db.begin() as connection:
        await connection.execute(text(ATTRIBUTION), params)


STORED_QUOTE = """
SELECT a.quote, a.quote_start, a.quote_end,
       substr(d.text, a.quote_start + 1, a.quote_end - a.quote_start) AS in_text
FROM attribution a JOIN document d ON d.id = a.document_id
"""


async def test_a_quote_with_code_point_offsets_is_accepted(db: AsyncEngine) -> None:
    # given "Grüße 👋 aus Pjöngjang": the emoji is one code point, so "aus" starts at 8
    await _setup(db)
    # when a quote is stored with code point offsets
    await _insert(db, quote="aus", start=8, end=11)
    # then it is stored as given, and the offsets slice the quote out of the text
    async with db.connect() as connection:
        stored = (await connection.execute(text(STORED_QUOTE))).one()
    assert tuple(stored) == ("aus", 8, 11, "aus")


@pytest.mark.parametrize(
    "values",
    [
        {"confidence": 1.5},
        {"confidence": -0.01},
        {"confidence": float("nan")},
        {"quote": "aus", "start": 9, "end": 12},
        {"quote": "aus", "start": 8, "end": 99},
        {"quote": "aus", "start": None, "end": None},
        {"quote": None, "start": 8, "end": 11},
    ],
)
async def test_bad_attributions_are_refused(db: AsyncEngine, values: dict[str, object]) -> None:
    await _setup(db)
    with pytest.raises(DBAPIError):
        await _insert(db, **values)


async def test_a_text_change_that_breaks_a_quote_is_refused(db: AsyncEngine) -> None:
    # given
    await _setup(db)
    await _insert(db, quote="aus", start=8, end=11)
    # when / then
    with pytest.raises(DBAPIError, match="break the quotes"):
        async with db.begin() as connection:
            await connection.execute(text("UPDATE document SET text = 'anders' WHERE id = 1"))
