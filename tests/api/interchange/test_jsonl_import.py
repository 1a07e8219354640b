"""Every record is checked: bad lines are named by number; --strict writes nothing."""

from __future__ import annotations

import io

import orjson
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.interchange.ids import encode_id
from api.interchange.jsonl_import import ImportAborted, ImportReport, import_jsonl
from tests.api.interchange.data import counts, raw

AT = "2026-11-27T10:00:00+00:00"
SOURCE: dict[str, object] = {
    "type": "Source",
    "id": encode_id("Source", 1),
    "name": "KCNA",
    "kind": "NEWS_AGENCY",
    "aliases": [],
    "affiliation": None,
    "reliability": None,
    "stateAffiliated": True,
    "createdAt": AT,
}
DOCUMENT: dict[str, object] = {
    "type": "Document",
    "id": encode_id("Document", 1),
    "url": "https://kcna.kp/1",
    "title": "Bericht",
    "language": "de",
    "publishedAt": AT,
    "publisher": None,
    "text": "KCNA meldet: Kim reist nach Russland.",
    "createdAt": AT,
}
CLAIM: dict[str, object] = {
    "type": "Claim",
    "id": encode_id("Claim", 1),
    "statement": "Kim reist nach Russland",
    "language": "de",
    "mergedInto": None,
    "createdAt": AT,
}
ATTRIBUTION: dict[str, object] = {
    "type": "Attribution",
    "id": encode_id("Attribution", 1),
    "claim": encode_id("Claim", 1),
    "document": encode_id("Document", 1),
    "source": encode_id("Source", 1),
    "chain": [{"role": "SOURCE", "source": encode_id("Source", 1)}],
    "stance": "AFFIRMS",
    "confidence": 1.0,
    "hedges": [],
    "quote": "Kim reist nach Russland",
    "quoteStart": 13,
    "quoteEnd": 36,
    "quantity": None,
    "reportedAt": AT,
    "method": "CURATED",
    "extractorVersion": None,
    "reviewStatus": "CONFIRMED",
    "reviewedAt": None,
    "retractionReason": None,
    "createdAt": AT,
}


def lines(*records: object) -> bytes:
    return b"".join((r if isinstance(r, bytes) else orjson.dumps(r)) + b"\n" for r in records)


async def run(db: AsyncEngine, data: bytes, strict: bool = False) -> ImportReport:
    async with db.connect() as connection:
        report = await import_jsonl(await raw(connection), io.BytesIO(data), strict=strict)
        await connection.commit()
    return report


BAD = lines(
    SOURCE,
    b"{not json",
    {**CLAIM, "id": encode_id("Claim", 2), "language": "not a language!"},
    {**ATTRIBUTION, "id": encode_id("Attribution", 2), "confidence": 1.5},
    {**ATTRIBUTION, "id": encode_id("Attribution", 3), "claim": encode_id("Claim", 99)},
    DOCUMENT,
    CLAIM,
    {**ATTRIBUTION, "id": encode_id("Attribution", 4), "quote": "Kim reist nach Russlan!"},
    ATTRIBUTION,
)


async def test_bad_lines_are_skipped_and_reported_with_their_numbers(db: AsyncEngine) -> None:
    # when
    report = await run(db, BAD)
    # then
    assert [e.line for e in report.errors] == [2, 3, 4, 5, 8]
    messages = {e.line: e.message for e in report.errors}
    assert "not JSON" in messages[2]
    assert "language" in messages[3]
    assert "confidence" in messages[4]
    assert messages[5] == "claim names no claim"
    assert "quote" in messages[8]
    assert report.changed == {"Source": 1, "Document": 1, "Claim": 1, "Attribution": 1}
    assert (await counts(db))[:5] == (1, 1, 1, 1, 1)


async def test_strict_aborts_at_the_first_bad_line_and_writes_nothing(db: AsyncEngine) -> None:
    # given
    before = await counts(db)
    # when
    with pytest.raises(ImportAborted) as aborted:
        await run(db, BAD, strict=True)
    # then
    assert aborted.value.error.line == 2
    assert await counts(db) == before


async def test_strict_aborts_on_what_only_the_database_refuses(db: AsyncEngine) -> None:
    # given
    data = lines(SOURCE, DOCUMENT, CLAIM, {**ATTRIBUTION, "quoteStart": 12, "quoteEnd": 35})
    # when
    with pytest.raises(ImportAborted) as aborted:
        await run(db, data, strict=True)
    # then
    assert "quote" in str(aborted.value)
    assert (await counts(db))[:4] == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"chain": [{"role": "VIA", "source": encode_id("Source", 1)}]}, "chain"),
        ({"method": "EXTRACTED"}, "extractorVersion"),
        ({"reviewStatus": "RETRACTED"}, "retractionReason"),
        ({"reportedAt": "2026-11-27T10:00:00"}, "zone"),
        ({"id": encode_id("Claim", 1)}, "Attribution id"),
        ({"quantity": {"value": 3, "bound": "ROUGHLY"}}, "bound"),
    ],
)
async def test_each_rule_of_an_attribution_is_checked(
    db: AsyncEngine, change: dict[str, object], complaint: str
) -> None:
    # when
    report = await run(db, lines(SOURCE, DOCUMENT, CLAIM, {**ATTRIBUTION, **change}))
    # then
    assert [e.line for e in report.errors] == [4]
    assert complaint in report.errors[0].message


async def test_an_affiliation_cycle_is_refused(db: AsyncEngine) -> None:
    # given: 1 -> 2 -> 3 -> 1, and 4 -> 1 (fine once the cycle is gone)
    def source(pk: int, affiliation: int) -> dict[str, object]:
        return {**SOURCE, "id": encode_id("Source", pk), "name": f"S{pk}",
                "affiliation": encode_id("Source", affiliation)}  # fmt: skip

    data = lines(source(1, 2), source(2, 3), source(3, 1), {**SOURCE, "id": encode_id("Source", 5)})
    # when
    report = await run(db, data)
    # then
    assert [e.line for e in report.errors] == [1, 2, 3]
    assert all("cycle" in e.message for e in report.errors)
    assert (await counts(db))[0] == 1
