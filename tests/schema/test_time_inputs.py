"""Times a client sends that no timestamptz Python reads can hold are the client's error.

`9999-12-31T23:59:59-23:59` is a valid ISO 8601 string whose UTC falls in the year
10000; `0001-01-01T00:00:00+14:00` falls in the year 0. Both are refused as INVALID
with the field's path, before any SQL; a cursor holding one is not a cursor.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient

# The first and last instants Python holds are out too: asyncpg stores them as ±infinity.
BEYOND = [
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59.999999+00:00",
    "0001-01-01T00:00:00+00:00",
]
EDGES = ["9999-12-31T23:59:59.999998+00:00", "0001-01-01T00:00:00.000001+00:00"]

ERRORS = "errors { message field code }"
CREATE_DOCUMENT = f"""
mutation($input: CreateDocumentInput!) {{
  createDocument(input: $input) {{ document {{ id publishedAt }} {ERRORS} }}
}}"""
UPDATE_DOCUMENT = f"""
mutation($input: UpdateDocumentInput!) {{
  updateDocument(input: $input) {{ document {{ id publishedAt }} {ERRORS} }}
}}"""
ADD_ATTRIBUTION = f"""
mutation($input: AddAttributionInput!) {{
  addAttribution(input: $input) {{ attribution {{ id reportedAt }} {ERRORS} }}
}}"""
UPDATE_ATTRIBUTION = f"""
mutation($input: UpdateAttributionInput!) {{
  updateAttribution(input: $input) {{ attribution {{ id reportedAt }} {ERRORS} }}
}}"""
INGEST = f"""
mutation($input: IngestDocumentInput!) {{
  ingestDocument(input: $input) {{ document {{ id }} {ERRORS} }}
}}"""
CLAIMS_AFTER = "query($after: String) { claims(first: 1, after: $after) { totalCount } }"
SEARCH_AFTER = """
query($after: String) { claims(first: 1, after: $after, search: "Putin") { totalCount } }"""


def _refused(payload: dict[str, Any], field: str) -> bool:
    return [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", ["input", field])]


async def _story(gql: GraphQLClient) -> dict[str, str]:
    source, document = await factories.source(gql), await factories.document(gql)
    claim = await factories.claim(gql)
    report = await factories.attribution(gql, claimId=claim, documentId=document, sourceId=source)
    return {"source": source, "document": document, "claim": claim, "report": report["id"]}


@pytest.mark.parametrize("moment", BEYOND)
async def test_a_time_out_of_range_in_utc_is_invalid_in_every_input(
    gql: GraphQLClient, moment: str
) -> None:
    # given
    story = await _story(gql)
    before = await factories.totals(gql)
    # when
    created = await factories.mutate(
        gql, CREATE_DOCUMENT, "createDocument", title="T", language="de", publishedAt=moment
    )
    updated = await factories.mutate(
        gql,
        UPDATE_DOCUMENT,
        "updateDocument",
        id=story["document"],
        version=1,
        publishedAt=moment,
    )
    added = await factories.mutate(
        gql,
        ADD_ATTRIBUTION,
        "addAttribution",
        claimId=story["claim"],
        documentId=story["document"],
        sourceId=story["source"],
        reportedAt=moment,
    )
    edited = await factories.mutate(
        gql,
        UPDATE_ATTRIBUTION,
        "updateAttribution",
        id=story["report"],
        version=1,
        reportedAt=moment,
    )
    # a text already stored must not hide the bad date
    ingested = await factories.mutate(
        gql, INGEST, "ingestDocument", text=factories.TEXT, language="de", publishedAt=moment
    )
    # then
    assert _refused(created, "publishedAt") and created["document"] is None
    assert _refused(updated, "publishedAt") and updated["document"] is None
    assert _refused(added, "reportedAt") and added["attribution"] is None
    assert _refused(edited, "reportedAt") and edited["attribution"] is None
    assert _refused(ingested, "publishedAt") and ingested["document"] is None
    assert "once converted to UTC" in created["errors"][0]["message"]
    assert await factories.totals(gql) == before


@pytest.mark.parametrize("moment", EDGES)
async def test_the_first_and_last_moments_in_range_are_stored_and_read_back(
    gql: GraphQLClient, moment: str
) -> None:
    # when
    created = await factories.mutate(
        gql, CREATE_DOCUMENT, "createDocument", title="T", language="de", publishedAt=moment
    )
    # then
    assert created["errors"] == []
    assert created["document"]["publishedAt"] == moment


async def test_a_time_without_a_zone_is_invalid(gql: GraphQLClient) -> None:
    # when
    created = await factories.mutate(
        gql,
        CREATE_DOCUMENT,
        "createDocument",
        title="T",
        language="de",
        publishedAt="2023-09-14T06:00:00",
    )
    # then
    assert _refused(created, "publishedAt")
    assert "time zone" in created["errors"][0]["message"]


def _cursor(name: str, key: object, pk: int = 1) -> str:
    raw = json.dumps([name, key, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    ("query", "cursor"),
    [
        *((CLAIMS_AFTER, _cursor("claims", moment)) for moment in BEYOND),
        (CLAIMS_AFTER, _cursor("claims", "2023-09-14T06:00:00")),
        *((SEARCH_AFTER, _cursor("claim-search", [0.5, moment])) for moment in BEYOND),
    ],
)
async def test_a_cursor_holding_a_time_out_of_range_or_without_zone_is_a_bad_cursor(
    gql: GraphQLClient, query: str, cursor: str
) -> None:
    # given
    await factories.claim(gql)
    # when
    body = await gql.raw(query, {"after": cursor})
    # then
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"].startswith("after is not a cursor of this list")


async def test_a_cursor_at_the_edge_of_the_range_pages_on(gql: GraphQLClient) -> None:
    # given
    await factories.claim(gql)
    # when
    body = await gql(CLAIMS_AFTER, {"after": _cursor("claims", "9999-12-31T23:59:59+00:00")})
    # then
    assert body["claims"]["totalCount"] == 1
