"""A comparison as CSV that spreadsheets read as it is meant: quoted, UTF-8, no formulas."""

from __future__ import annotations

import csv
import io

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange.csv_export import HEADER, cell, export_comparison_csv
from tests.api.interchange.data import load_story

BUSIEST = """
SELECT claim_id FROM attribution WHERE review_status NOT IN ('REJECTED', 'RETRACTED')
GROUP BY claim_id ORDER BY count(*) DESC, claim_id LIMIT 1
"""


async def test_one_row_per_current_report_earliest_first(db: AsyncEngine) -> None:
    # given
    await load_story(db)
    async with db.connect() as connection:
        claim_id = (await connection.execute(text(BUSIEST))).scalar_one()
        expected = (
            await connection.execute(
                text(
                    "SELECT count(*) FROM attribution WHERE claim_id = :c"
                    " AND review_status NOT IN ('REJECTED', 'RETRACTED')"
                ),
                {"c": claim_id},
            )
        ).scalar_one()
        # when
        found = await export_comparison_csv(connection, claim_id, bom=True)
    # then
    assert found is not None and found.startswith("\ufeff")
    assert "\r\n" in found
    table = list(csv.reader(io.StringIO(found.removeprefix("\ufeff"))))
    assert tuple(table[0]) == HEADER
    assert len(table) - 1 == expected
    dates = [row[HEADER.index("reported_at")] for row in table[1:]]
    assert dates == sorted(dates)
    assert all(0 <= float(row[HEADER.index("confidence")]) <= 1 for row in table[1:])
    assert all(row[HEADER.index("stance")] in ("AFFIRMS", "DENIES") for row in table[1:])


async def test_commas_quotes_and_line_breaks_survive_the_round_trip(db: AsyncEngine) -> None:
    # given
    statement = 'Er sagte: "Wir kommen", und ging.\nZweite Zeile; =SUMME(A1)'
    async with db.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO source (id, name, kind) OVERRIDING SYSTEM VALUE"
                " VALUES (1, '=HYPERLINK(\"http://evil\")', 'PERSON')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO document (id, title, language, text, text_sha256)"
                " OVERRIDING SYSTEM VALUE"
                " VALUES (1, 'Titel, mit Komma', 'de', 'x', repeat('0', 64))"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO claim (id, statement, language) OVERRIDING SYSTEM VALUE"
                " VALUES (1, :s, 'de')"
            ),
            {"s": statement},
        )
        await connection.execute(
            text(
                "INSERT INTO attribution (id, claim_id, document_id, source_id, hedges)"
                " OVERRIDING SYSTEM VALUE VALUES (1, 1, 1, 1, '{angeblich, \"bis zu\"}')"
            )
        )
        await connection.execute(
            text("INSERT INTO attribution_chain VALUES (1, 0, 'SOURCE', 1, 1)")
        )
    # when
    async with db.connect() as connection:
        found = await export_comparison_csv(connection, 1)
    # then
    assert found is not None
    [row] = list(csv.DictReader(io.StringIO(found)))
    assert row["claim"] == statement
    assert row["source"] == '\'=HYPERLINK("http://evil")'
    assert row["document"] == "Titel, mit Komma"
    assert row["hedges"] == "angeblich; bis zu"


def test_only_formula_like_cells_are_defused() -> None:
    assert cell("-5 Grad") == "'-5 Grad"
    assert cell("@KCNA") == "'@KCNA"
    assert cell("KCNA") == "KCNA"
    assert cell(None) == ""
