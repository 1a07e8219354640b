"""A time out of range in an import is that line's or that review's error, not a crash.

The importers read times with the check the API applies to time inputs
(api.validation.utc_time): a zone, and strictly inside what Python and asyncpg hold
once in UTC.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db import create_session_factory
from api.interchange.claimreview_import import ClaimReviewReport, import_claim_reviews
from api.interchange.ids import encode_id
from api.interchange.jsonl_import import ImportReport, import_jsonl
from tests.api.interchange.data import counts, raw
from tests.api.interchange.test_jsonl_import import ATTRIBUTION, CLAIM, DOCUMENT, SOURCE, lines, run

BEYOND = [
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00+00:00",
]


@pytest.mark.parametrize("moment", BEYOND)
@pytest.mark.parametrize("restore", [True, False])
async def test_a_jsonl_line_with_a_time_out_of_range_is_named_and_skipped(
    db: AsyncEngine, moment: str, restore: bool
) -> None:
    # given: into an empty database (the restore path) or one that holds a record
    if not restore:
        await run(db, lines({**SOURCE, "id": encode_id("Source", 9), "name": "Kyodo"}))
    data = lines(
        SOURCE,
        {**DOCUMENT, "publishedAt": moment},
        {**DOCUMENT, "id": encode_id("Document", 2), "url": None},
        CLAIM,
        {**ATTRIBUTION, "document": encode_id("Document", 2), "reportedAt": moment},
        {**CLAIM, "id": encode_id("Claim", 2), "createdAt": moment},
    )
    # when
    report = await _import_jsonl(db, data, restore)
    # then
    assert report.restored is restore
    assert [e.line for e in report.errors] == [2, 5, 6]
    assert all("once converted to UTC" in e.message for e in report.errors)
    assert [e.message.split()[0] for e in report.errors] == [
        "publishedAt",
        "reportedAt",
        "createdAt",
    ]
    assert report.changed["Document"] == 1 and report.changed["Claim"] == 1


async def _import_jsonl(db: AsyncEngine, data: bytes, restore: bool) -> ImportReport:
    async with db.connect() as connection:
        report = await import_jsonl(await raw(connection), io.BytesIO(data), restore=restore)
        await connection.commit()
    return report


def _feed(claim_date: str, review_date: str) -> dict[str, object]:
    review = {
        "publisher": {"name": "Faktencheck Nord", "site": "faktencheck-nord.example"},
        "url": "https://faktencheck-nord.example/1",
        "textualRating": "Falsch",
        "languageCode": "de",
        "reviewDate": review_date,
    }
    return {
        "claims": [
            {"text": "Kim reist nach Russland", "claimDate": claim_date,
             "claimReview": [review]},
            {"text": "Putin reist nach Korea", "claimDate": "2023-09-14",
             "claimReview": [{**review, "url": "https://faktencheck-nord.example/2",
                              "reviewDate": "2023-09-16"}]},
        ]
    }  # fmt: skip


async def _import(db: AsyncEngine, data: object) -> ClaimReviewReport:
    async with create_session_factory(db).begin() as session:
        return await import_claim_reviews(session, data)


@pytest.mark.parametrize(
    ("claim_date", "review_date"),
    [
        ("9999-12-31T23:59:59-23:59", "2023-09-16"),
        ("2023-09-14", "0001-01-01T00:00:00+14:00"),
        # without a zone a time is read as UTC, and the first instant is out
        ("0001-01-01T00:00:00", "2023-09-16"),
    ],
)
async def test_a_claimreview_with_a_date_out_of_range_is_named_and_skipped(
    db: AsyncEngine, claim_date: str, review_date: str
) -> None:
    # when
    report = await _import(db, _feed(claim_date, review_date))
    # then
    assert [where for where, _ in report.errors] == ["claims[0].claimReview[0]"]
    assert "once converted to UTC" in report.errors[0][1]
    assert report.created["attributions"] >= 1
    assert (await counts(db))[2] == 1  # one claim: the readable one
