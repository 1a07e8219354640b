"""mergeClaims: one proposition stated twice becomes one claim, and nothing is lost."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests import factories
from tests.support.app import GraphQLClient, serving

MERGE = """
mutation($input: MergeClaimsInput!) {
  mergeClaims(input: $input) {
    claim { id version attributions { totalCount edges { node { id version claim { id } } } } }
    errors { message field code }
  }
}"""

CLAIM = """
query($id: ID!) { claim: node(id: $id) { id ... on Claim { statement } } }"""

HISTORY = """
query($id: ID!) {
  claim: node(id: $id) {
    ... on Claim { history { totalCount edges { node { operation actor after } } } }
  }
}"""

LISTS = """
query($source: ID!, $document: ID!) {
  claims { totalCount edges { node { id } } }
  bySource: claims(sourceId: $source) { totalCount }
  byDocument: claims(documentId: $document) { totalCount }
  search: claims(search: "Sukhoi") { totalCount edges { node { id } } }
}"""

COMPARISON = """
query($id: ID!) {
  claim: node(id: $id) { ... on Claim { comparison { reportCount sourceCount } } }
}"""


async def _merge(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    return await factories.mutate(gql, MERGE, "mergeClaims", **values)


async def _two_statements_of_one_claim(gql: GraphQLClient) -> dict[str, str]:
    """KCNA and Kyodo each report the Sukhoi visit, stored as two claims."""
    kcna, kyodo = await factories.source(gql, "KCNA"), await factories.source(gql, "Kyodo")
    document = await factories.document(gql)
    keep = await factories.claim(gql, "Kim besucht eine Sukhoi-Fabrik")
    merge = await factories.claim(gql, "Kim wird ein Sukhoi-Werk besuchen")
    kept_report = await factories.attribution(
        gql, claimId=keep, documentId=document, sourceId=kcna
    )
    moved_report = await factories.attribution(
        gql, claimId=merge, documentId=document, sourceId=kyodo
    )
    return {
        "keep": keep,
        "merge": merge,
        "kcna": kcna,
        "kyodo": kyodo,
        "document": document,
        "kept_report": kept_report["id"],
        "moved_report": moved_report["id"],
    }


async def test_merge_moves_attributions_and_the_merged_id_resolves_to_the_kept_claim(
    gql: GraphQLClient,
) -> None:
    # given
    story = await _two_statements_of_one_claim(gql)
    # when
    payload = await _merge(gql, keep=story["keep"], keepVersion=1, merge=story["merge"],
                           mergeVersion=1)
    # then: the kept claim carries both reports and a new version
    assert payload["errors"] == []
    kept = payload["claim"]
    assert (kept["id"], kept["version"]) == (story["keep"], 2)
    reports = {e["node"]["id"]: e["node"] for e in kept["attributions"]["edges"]}
    assert set(reports) == {story["kept_report"], story["moved_report"]}
    assert reports[story["moved_report"]]["claim"]["id"] == story["keep"]
    assert reports[story["moved_report"]]["version"] == 2
    # and the merged claim's id now names the kept claim
    resolved = await gql(CLAIM, {"id": story["merge"]})
    assert resolved["claim"] == {"id": story["keep"], "statement": "Kim besucht eine Sukhoi-Fabrik"}
    compared = await gql(COMPARISON, {"id": story["keep"]})
    assert compared["claim"]["comparison"] == {"reportCount": 2, "sourceCount": 2}


async def test_merged_claims_list_count_and_search_nowhere(gql: GraphQLClient) -> None:
    # given
    story = await _two_statements_of_one_claim(gql)
    variables = {"source": story["kyodo"], "document": story["document"]}
    before = await gql(LISTS, variables)
    assert (before["claims"]["totalCount"], before["search"]["totalCount"]) == (2, 2)
    # when
    await _merge(gql, keep=story["keep"], keepVersion=1, merge=story["merge"], mergeVersion=1)
    # then
    after = await gql(LISTS, variables)
    assert after["claims"] == {"totalCount": 1, "edges": [{"node": {"id": story["keep"]}}]}
    assert after["bySource"]["totalCount"] == 1
    assert after["byDocument"]["totalCount"] == 1
    assert after["search"] == {"totalCount": 1, "edges": [{"node": {"id": story["keep"]}}]}


async def test_history_of_the_kept_claim_shows_the_merge_and_the_merged_claim(
    gql: GraphQLClient,
) -> None:
    # given
    story = await _two_statements_of_one_claim(gql)
    # when
    await _merge(gql, keep=story["keep"], keepVersion=1, merge=story["merge"], mergeVersion=1)
    # then: both claims' creations, and the merge on each, by the editor
    history = (await gql(HISTORY, {"id": story["keep"]}))["claim"]["history"]
    entries = [
        (e["node"]["operation"], e["node"]["after"]["id"])
        for e in history["edges"]
    ]
    assert entries == [
        ("CREATE", story["keep"]),
        ("CREATE", story["merge"]),
        ("MERGE", story["merge"]),
        ("MERGE", story["keep"]),
    ]
    merged_after = history["edges"][2]["node"]["after"]
    assert merged_after["mergedInto"] == story["keep"]
    assert {e["node"]["actor"] for e in history["edges"][2:]} == {"test-editor"}
    moved = await gql(
        "query($id: ID!) { node(id: $id) { ... on Attribution { history { edges { node {"
        " operation before after } } } } } }",
        {"id": story["moved_report"]},
    )
    last = moved["node"]["history"]["edges"][-1]["node"]
    assert last["operation"] == "MERGE"
    assert (last["before"]["claim"], last["after"]["claim"]) == (story["merge"], story["keep"])


async def test_a_claim_merged_into_one_that_is_merged_later_follows_it(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given: A merged into B
    a, b, c = [await factories.claim(gql, s) for s in ("A", "B", "C")]
    assert (await _merge(gql, keep=b, keepVersion=1, merge=a, mergeVersion=1))["errors"] == []
    # when: B is merged into C
    assert (await _merge(gql, keep=c, keepVersion=1, merge=b, mergeVersion=2))["errors"] == []
    # then: A resolves to C in one hop
    assert (await gql(CLAIM, {"id": a}))["claim"]["id"] == c
    async with db.connect() as connection:
        pointer = await connection.scalar(
            text("SELECT merged_into_id FROM claim WHERE id = :id"), {"id": factories.decode(a)}
        )
    assert pointer == factories.decode(c)


async def test_bad_merges_are_refused_and_write_nothing(
    gql: GraphQLClient, db: AsyncEngine
) -> None:
    # given
    story = await _two_statements_of_one_claim(gql)
    keep, merge = story["keep"], story["merge"]
    async with db.connect() as connection:
        revisions = await connection.scalar(text("SELECT count(*) FROM revision"))
    # when
    itself = await _merge(gql, keep=keep, keepVersion=1, merge=keep, mergeVersion=1)
    stale = await _merge(gql, keep=keep, keepVersion=3, merge=merge, mergeVersion=1)
    unknown = await _merge(
        gql, keep=keep, keepVersion=1, merge=factories.global_id("Claim", 999), mergeVersion=1
    )
    wrong_type = await _merge(gql, keep=story["kcna"], keepVersion=1, merge=merge, mergeVersion=1)
    # then
    assert factories.problems(itself) == [("INVALID", ["input"])]
    assert factories.problems(stale) == [("CONFLICT", ["input", "keepVersion"])]
    assert factories.problems(unknown) == [("NOT_FOUND", ["input", "merge"])]
    assert factories.problems(wrong_type) == [("NOT_FOUND", ["input", "keep"])]
    for payload in (itself, stale, unknown, wrong_type):
        assert payload["claim"] is None
    async with db.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM revision")) == revisions
    assert (await gql(CLAIM, {"id": merge}))["claim"]["id"] == merge


async def test_merging_an_already_merged_claim_is_refused(gql: GraphQLClient) -> None:
    # given
    story = await _two_statements_of_one_claim(gql)
    await _merge(gql, keep=story["keep"], keepVersion=1, merge=story["merge"], mergeVersion=1)
    other = await factories.claim(gql, "Etwas anderes")
    # when
    again = await _merge(gql, keep=other, keepVersion=1, merge=story["merge"], mergeVersion=2)
    # then
    assert factories.problems(again) == [("INVALID", ["input", "merge"])]


async def test_two_crossing_merges_do_not_deadlock_and_exactly_one_wins(
    gql: GraphQLClient,
) -> None:
    # given
    story = await _two_statements_of_one_claim(gql)
    keep, merge = story["keep"], story["merge"]
    # when: two editors merge the pair in opposite directions at once
    results = await asyncio.gather(
        _merge(gql, keep=keep, keepVersion=1, merge=merge, mergeVersion=1),
        _merge(gql, keep=merge, keepVersion=1, merge=keep, mergeVersion=1),
    )
    # then
    outcomes = sorted(tuple(e["code"] for e in r["errors"]) for r in results)
    assert outcomes[0] == ()
    assert outcomes[1] and set(outcomes[1]) <= {"INVALID", "CONFLICT"}


async def test_merging_needs_an_editor_key(gql: GraphQLClient, db: AsyncEngine) -> None:
    # given
    story = await _two_statements_of_one_claim(gql)
    variables = {"keep": story["keep"], "keepVersion": 1, "merge": story["merge"],
                 "mergeVersion": 1}
    # when
    async with serving(db) as anonymous:
        payload = await factories.mutate(
            GraphQLClient(anonymous), MERGE, "mergeClaims", **variables
        )
    # then
    assert [e["code"] for e in payload["errors"]] == ["UNAUTHENTICATED"]
    assert (await gql(CLAIM, {"id": story["merge"]}))["claim"]["id"] == story["merge"]
