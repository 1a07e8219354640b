"""Edits and history: versions, optimistic concurrency, retraction and the revision log."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graphql import GraphQLObjectType
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from schema import schema
from schema.ids import decode_id
from tests import factories
from tests.support.app import GraphQLClient

UPDATE_CLAIM = """
mutation($input: UpdateClaimInput!) {
  updateClaim(input: $input) {
    claim { id statement language version }
    errors { message field code }
  }
}"""

RETRACT = """
mutation($input: RetractAttributionInput!) {
  retractAttribution(input: $input) {
    attribution { id version reviewStatus retractionReason }
    errors { message field code }
  }
}"""

HISTORY = """
query($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Claim { version history(first: $first, after: $after) { ...page } }
    ... on Attribution { version history(first: $first, after: $after) { ...page } }
    ... on Source { version history(first: $first, after: $after) { ...page } }
    ... on Document { version history(first: $first, after: $after) { ...page } }
  }
}
fragment page on RevisionConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  edges { node { id operation actor at before after } }
}"""

COMPARE = """
query($a: ID!, $b: ID!) {
  compareSources(a: $a, b: $b) { shared { totalCount } onlyA { totalCount } }
}"""

COMPARISON = """
query($id: ID!) {
  node(id: $id) { ... on Claim { comparison { reportCount sourceCount leftOutCount } } }
}"""

SEARCH = "query($s: String!) { claims(search: $s) { totalCount } }"


async def _history(gql: GraphQLClient, node: str, **page: Any) -> dict[str, Any]:
    found: dict[str, Any] = (await gql(HISTORY, {"id": node, **page}))["node"]
    return found


async def _counts(gql: GraphQLClient, claim: str) -> dict[str, int]:
    counts: dict[str, int] = (await gql(COMPARISON, {"id": claim}))["node"]["comparison"]
    return counts


async def _story(gql: GraphQLClient) -> dict[str, Any]:
    """A claim reported by KCNA and by Kyodo (whose report quotes 'Fabrik'), in one document."""
    kcna, kyodo = await factories.source(gql, "KCNA"), await factories.source(gql, "Kyodo")
    document = await factories.document(gql)
    claim = await factories.claim(gql)
    await factories.attribution(gql, claimId=claim, documentId=document, sourceId=kcna)
    kyodo_report = await factories.attribution(
        gql, claimId=claim, documentId=document, sourceId=kyodo, quote="Fabrik"
    )
    return {"kcna": kcna, "kyodo": kyodo, "claim": claim, "report": kyodo_report["id"]}


async def _update(gql: GraphQLClient, claim: str, version: int, **values: Any) -> dict[str, Any]:
    return await factories.mutate(
        gql, UPDATE_CLAIM, "updateClaim", id=claim, version=version, **values
    )


async def _retract(gql: GraphQLClient, attribution: str, version: int) -> dict[str, Any]:
    return await factories.mutate(
        gql, RETRACT, "retractAttribution", id=attribution, version=version, reason="misquoted"
    )


async def test_create_update_retract_are_each_in_history(gql: GraphQLClient) -> None:
    # given
    story = await _story(gql)
    # when
    updated = await _update(gql, story["claim"], 1, statement="Putin sagte zu")
    retracted = await _retract(gql, story["report"], 1)
    # then
    assert updated["errors"] == [] and updated["claim"]["version"] == 2
    assert retracted["errors"] == []
    assert retracted["attribution"] == {
        "id": story["report"],
        "version": 2,
        "reviewStatus": "RETRACTED",
        "retractionReason": "misquoted",
    }
    claim = await _history(gql, story["claim"])
    revisions = [edge["node"] for edge in claim["history"]["edges"]]
    assert [(r["operation"], r["actor"]) for r in revisions] == [
        ("CREATE", "test-editor"),
        ("UPDATE", "test-editor"),
    ]
    assert revisions[0]["before"] is None
    assert revisions[0]["after"]["statement"] == "Putin nahm die Einladung an"
    assert revisions[1]["before"]["statement"] == "Putin nahm die Einladung an"
    assert revisions[1]["after"]["statement"] == "Putin sagte zu"
    assert (revisions[1]["before"]["version"], revisions[1]["after"]["version"]) == (1, 2)
    report = await _history(gql, story["report"])
    operations = [edge["node"]["operation"] for edge in report["history"]["edges"]]
    assert operations == ["CREATE", "RETRACT"]
    last = report["history"]["edges"][-1]["node"]
    assert last["before"]["reviewStatus"] == "CONFIRMED"
    assert last["after"]["retractionReason"] == "misquoted"


async def test_history_pages_oldest_first(gql: GraphQLClient) -> None:
    # given: a claim with three versions
    claim = await factories.claim(gql)
    for version, statement in ((1, "zweite Fassung"), (2, "dritte Fassung")):
        assert (await _update(gql, claim, version, statement=statement))["errors"] == []
    # when
    first = await _history(gql, claim, first=2)
    rest = await _history(gql, claim, first=2, after=first["history"]["pageInfo"]["endCursor"])
    # then
    assert first["version"] == 3 and first["history"]["totalCount"] == 3
    assert first["history"]["pageInfo"]["hasNextPage"] is True
    pages = first["history"]["edges"] + rest["history"]["edges"]
    assert [e["node"]["after"]["version"] for e in pages] == [1, 2, 3]


async def test_every_node_type_starts_at_version_one_with_a_create(gql: GraphQLClient) -> None:
    story = await _story(gql)
    document = (await gql("{ documents(first: 1) { edges { node { id } } } }"))["documents"]
    for node in (story["kcna"], story["claim"], document["edges"][0]["node"]["id"]):
        found = await _history(gql, node)
        assert found["version"] == 1
        assert [e["node"]["operation"] for e in found["history"]["edges"]] == ["CREATE"]


async def test_a_stale_version_is_a_conflict_and_writes_nothing(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given: the claim was edited since version 1 was read
    story = await _story(gql)
    assert (await _update(gql, story["claim"], 1, statement="neu"))["errors"] == []
    before = await _revision_count(db)
    # when
    stale_update = await _update(gql, story["claim"], 1, statement="veraltet")
    stale_retraction = await _retract(gql, story["report"], 7)
    # then
    for payload in (stale_update, stale_retraction):
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [
            ("CONFLICT", ["input", "version"])
        ]
    assert stale_update["claim"] is None and stale_retraction["attribution"] is None
    assert await _revision_count(db) == before
    claim = await _history(gql, story["claim"])
    assert claim["version"] == 2


async def test_unknown_ids_are_not_found(gql: GraphQLClient) -> None:
    missing = await _update(gql, factories.global_id("Claim", 999), 1, statement="x")
    wrong_type = await _retract(gql, await factories.claim(gql), 1)
    for payload in (missing, wrong_type):
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [
            ("NOT_FOUND", ["input", "id"])
        ]


async def test_two_concurrent_edits_of_one_version_exactly_one_wins(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given
    claim = await factories.claim(gql)
    # when: both edits were based on version 1
    results = await asyncio.gather(
        _update(gql, claim, 1, statement="Fassung A"),
        _update(gql, claim, 1, statement="Fassung B"),
    )
    # then
    codes = sorted(tuple(e["code"] for e in r["errors"]) for r in results)
    assert codes == [(), ("CONFLICT",)]
    winner = next(r["claim"] for r in results if not r["errors"])
    found = await _history(gql, claim)
    assert found["version"] == 2
    assert found["history"]["edges"][-1]["node"]["after"]["statement"] == winner["statement"]
    assert found["history"]["totalCount"] == 2


async def test_editors_racing_on_one_claim_lose_no_edit(gql: GraphQLClient) -> None:
    """Eight editors each read the version and retry on CONFLICT until their edit lands."""
    # given
    claim = await factories.claim(gql)
    all_have_read = asyncio.Barrier(8)

    async def editor(n: int) -> int:
        conflicts = 0
        while True:
            version = (await _history(gql, claim, first=1))["version"]
            if conflicts == 0:
                await all_have_read.wait()  # every first attempt is based on version 1
            payload = await _update(gql, claim, version, statement=f"Fassung {n}")
            if not payload["errors"]:
                return conflicts
            assert [e["code"] for e in payload["errors"]] == ["CONFLICT"]
            conflicts += 1

    # when
    conflicts = await asyncio.gather(*(editor(n) for n in range(8)))
    # then: every edit is one version and one revision, none lost, none doubled
    found = await _history(gql, claim, first=100)
    assert found["version"] == 9
    statements = [e["node"]["after"]["statement"] for e in found["history"]["edges"][1:]]
    assert sorted(statements) == sorted(f"Fassung {n}" for n in range(8))
    versions = [e["node"]["after"]["version"] for e in found["history"]["edges"]]
    assert versions == list(range(1, 10))
    assert sum(conflicts) >= 7  # seven of the eight first attempts lost the race


async def test_a_retracted_attribution_counts_nowhere_but_stays_readable(
    gql: GraphQLClient,
) -> None:
    # given: Kyodo's report is counted, compared and searchable
    story = await _story(gql)
    assert (await _counts(gql, story["claim"]))["reportCount"] == 2
    assert (await gql(SEARCH, {"s": "Fabrik"}))["claims"]["totalCount"] == 1
    # when
    assert (await _retract(gql, story["report"], 1))["errors"] == []
    # then
    counts = await _counts(gql, story["claim"])
    assert (counts["reportCount"], counts["sourceCount"], counts["leftOutCount"]) == (1, 1, 1)
    compared = await gql(COMPARE, {"a": story["kcna"], "b": story["kyodo"]})
    assert compared["compareSources"]["shared"]["totalCount"] == 0
    assert (await gql(SEARCH, {"s": "Fabrik"}))["claims"]["totalCount"] == 0
    refetched = await _history(gql, story["report"])
    assert refetched["version"] == 2


async def test_a_retraction_is_final(gql: GraphQLClient) -> None:
    story = await _story(gql)
    assert (await _retract(gql, story["report"], 1))["errors"] == []
    review = """
    mutation($input: ReviewAttributionInput!) {
      reviewAttribution(input: $input) { errors { code } }
    }"""
    payload = await factories.mutate(
        gql, review, "reviewAttribution", attributionId=story["report"], status="CONFIRMED"
    )
    assert [e["code"] for e in payload["errors"]] == ["NOT_FOUND"]


async def test_revisions_cannot_be_changed_or_deleted(db: AsyncEngine, gql: GraphQLClient) -> None:
    await factories.claim(gql)
    for statement in ("UPDATE revision SET actor = 'mallory'", "DELETE FROM revision"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with db.begin() as connection:
                await connection.execute(text(statement))
    assert await _revision_count(db) == 1


async def _revision_count(db: AsyncEngine) -> int:
    async with db.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM revision"))).scalar_one())


# What a snapshot shows of each type: its stored fields under their API names, each
# reference as a global id under the field's name; nothing internal.
SNAPSHOT_KEYS = {
    "Source": {
        "id", "name", "kind", "aliases", "reliability", "stateAffiliated", "version",
        "affiliation",
    },
    "Document": {
        "id", "url", "title", "language", "publishedAt", "text", "version", "publisher",
    },
    "Claim": {"id", "statement", "language", "createdAt", "version", "mergedInto"},
    "Attribution": {
        "id", "stance", "confidence", "hedges", "quote", "quoteStart", "quoteEnd", "quantity",
        "reportedAt", "method", "extractorVersion", "reviewStatus", "reviewedAt",
        "retractionReason", "version", "claim", "document", "source",
    },
}  # fmt: skip
REFERENCES = {
    "id": None,  # the node's own type
    "affiliation": "Source",
    "publisher": "Source",
    "mergedInto": "Claim",
    "claim": "Claim",
    "document": "Document",
    "source": "Source",
}
UPDATE_SOURCE = """
mutation($input: UpdateSourceInput!) {
  updateSource(input: $input) { source { id } errors { message field code } }
}"""
UPDATE_DOCUMENT = """
mutation($input: UpdateDocumentInput!) {
  updateDocument(input: $input) { document { id } errors { message field code } }
}"""


def test_snapshot_keys_are_fields_of_the_api_types() -> None:
    # mergedInto is no field of Claim; it is the JSON Lines export's name for the link.
    for type_name, keys in SNAPSHOT_KEYS.items():
        graphql_type = schema._schema.get_type(type_name)
        assert isinstance(graphql_type, GraphQLObjectType)
        assert keys - {"mergedInto"} <= set(graphql_type.fields), type_name


async def _every_type_edited(gql: GraphQLClient) -> dict[str, str]:
    """One node of each type, each created and then edited, with every reference set."""
    parent = await factories.source(gql, "Rodong Sinmun", kind="NEWS_OUTLET")
    kcna = await factories.source(gql, "KCNA", affiliationId=parent)
    document = await factories.document(
        gql, publisherId=parent, url="https://kcna.kp/1", publishedAt="2023-09-14T08:00:00+02:00"
    )
    story = await _story_on(gql, kcna, document)
    edits = [
        (UPDATE_SOURCE, "updateSource", {"id": kcna, "version": 1, "name": "KCNA Watch"}),
        (UPDATE_DOCUMENT, "updateDocument", {"id": document, "version": 1, "title": "Neu"}),
    ]
    for mutation, field, values in edits:
        assert (await factories.mutate(gql, mutation, field, **values))["errors"] == []
    assert (await _update(gql, story["claim"], 1, statement="Putin sagte zu"))["errors"] == []
    assert (await _retract(gql, story["report"], 1))["errors"] == []
    return {"Source": kcna, "Document": document, **story}


async def _story_on(gql: GraphQLClient, source: str, document: str) -> dict[str, str]:
    claim = await factories.claim(gql)
    report = await factories.attribution(
        gql, claimId=claim, documentId=document, sourceId=source, quote="Fabrik",
        quantity={"value": 3, "unit": "Fabriken", "bound": "EXACT"},
        reportedAt="2023-09-14T09:00:00+09:00",
    )  # fmt: skip
    return {"Claim": claim, "Attribution": report["id"], "claim": claim, "report": report["id"]}


async def test_every_snapshot_shows_api_fields_and_global_ids_only(gql: GraphQLClient) -> None:
    # given
    nodes = await _every_type_edited(gql)
    for type_name, keys in SNAPSHOT_KEYS.items():
        # when
        revisions = [e["node"] for e in (await _history(gql, nodes[type_name]))["history"]["edges"]]
        snapshots = [r[side] for r in revisions for side in ("before", "after") if r[side]]
        # then: a create and an edit, each shown with exactly the API's fields
        assert len(revisions) == 2 and len(snapshots) == 3, type_name
        for shown in snapshots:
            assert set(shown) == keys, type_name
            for key, target in REFERENCES.items():
                if shown.get(key) is not None:
                    assert decode_id(shown[key])[0] == (target or type_name), (type_name, key)
            assert shown["id"] == nodes[type_name]


async def test_snapshot_values_read_as_the_api_answers_them(gql: GraphQLClient) -> None:
    # given
    nodes = await _every_type_edited(gql)
    read = """
    query($id: ID!) { node(id: $id) { ... on Attribution {
      confidence quantity { value unit bound } reportedAt claim { id } document { id }
      source { id } document { publisher { id } publishedAt }
    } } }"""
    current = (await gql(read, {"id": nodes["Attribution"]}))["node"]
    # when
    report = (await _history(gql, nodes["Attribution"]))["history"]["edges"][0]["node"]["after"]
    document = (await _history(gql, nodes["Document"]))["history"]["edges"][0]["node"]["after"]
    # then: times in UTC as the DateTime scalar prints them, floats as floats, global ids
    assert report["reportedAt"] == current["reportedAt"] == "2023-09-14T00:00:00+00:00"
    assert report["confidence"] == current["confidence"] == 1.0
    assert report["quantity"] == current["quantity"] == {
        "value": 3.0, "unit": "Fabriken", "bound": "EXACT"
    }  # fmt: skip
    assert (report["claim"], report["document"], report["source"]) == (
        current["claim"]["id"], current["document"]["id"], current["source"]["id"]
    )  # fmt: skip
    assert document["publisher"] == current["document"]["publisher"]["id"]
    assert document["publishedAt"] == current["document"]["publishedAt"]
    assert "search_vector" not in str(document) and "text_sha256" not in str(document)


async def test_a_merge_shows_the_claim_merged_into_as_a_global_id(gql: GraphQLClient) -> None:
    # given
    keep, merge = await factories.claim(gql), await factories.claim(gql, statement="Putin kommt")
    merged = """
    mutation($input: MergeClaimsInput!) { mergeClaims(input: $input) { errors { code } } }"""
    # when
    payload = await factories.mutate(
        gql, merged, "mergeClaims", keep=keep, keepVersion=1, merge=merge, mergeVersion=1
    )
    # then
    assert payload["errors"] == []
    found = await gql(
        "query($id: ID!) { history(id: $id) { edges { node { operation before after } } } }",
        {"id": merge},
    )
    last = found["history"]["edges"][-1]["node"]
    assert last["operation"] == "MERGE"
    assert (last["before"]["mergedInto"], last["after"]["mergedInto"]) == (None, keep)
