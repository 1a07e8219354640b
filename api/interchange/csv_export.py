"""A claim's comparison as CSV: who reported it, when, how, how firmly; for spreadsheets.

One row per current report, earliest first (the order of Claim.attributions). RFC
4180 quoting by the csv module (every field with a comma, quote or line break is
quoted), CRLF line ends, UTF-8, optionally with a byte-order mark so that Excel
reads it as UTF-8. A text cell that a spreadsheet would run as a formula (starting
with =, +, -, @, tab or carriage return) is prefixed with an apostrophe, the
usual defence against CSV injection; numbers and times are written as they are.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from api.interchange.current import ClaimProvenance, claim_provenance, iso
from api.interchange.ids import encode_id
from api.repository import Executor

BOM = "\ufeff"
HEADER = (
    "claim_id", "claim", "attribution_id", "reported_at", "source", "source_kind",
    "chain", "origin", "stance", "confidence", "hedges", "quote", "quantity_value",
    "quantity_unit", "quantity_bound", "document", "document_url", "publisher",
    "review_status",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHAIN_SEPARATOR = " > "


def cell(value: str | None) -> str:
    """A text cell that no spreadsheet will evaluate."""
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def rows(found: ClaimProvenance) -> list[list[str]]:
    claim = found.claim
    names = {pk: source["name"] for pk, source in found.sources.items()}
    table = []
    for report in found.reports:
        row: Any = report.row
        document = found.documents[row["document_id"]]
        source = found.sources[row["source_id"]]
        table.append(
            [
                encode_id("Claim", claim["id"]),
                cell(claim["statement"]),
                encode_id("Attribution", row["id"]),
                iso(row["reported_at"]) or "",
                cell(source["name"]),
                source["kind"],
                cell(CHAIN_SEPARATOR.join(names[s] for _, s in report.chain)),
                cell(names[report.origin_id]),
                row["stance"],
                _number(row["confidence"]),
                cell("; ".join(row["hedges"])),
                cell(row["quote"]),
                _number(row["quantity_value"]),
                cell(row["quantity_unit"]),
                row["quantity_bound"] or "",
                cell(document["title"]),
                cell(document["url"]),
                cell(names.get(document["publisher_id"])),
                row["review_status"],
            ]
        )
    return table


def to_csv(found: ClaimProvenance, *, bom: bool = False) -> str:
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows(found))
    return out.getvalue()


async def export_comparison_csv(
    db: Executor, claim_id: int, *, include_suggested: bool = True, bom: bool = False
) -> str | None:
    """The CSV of a claim's current reports, or None when there is no such claim."""
    found = await claim_provenance(db, claim_id, include_suggested=include_suggested)
    return to_csv(found, bom=bom) if found is not None else None
