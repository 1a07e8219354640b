"""updateSource, updateDocument and updateAttribution: the rules of creation, versions, chains."""

from __future__ import annotations

from typing import Any

from tests import factories
from tests.support.app import GraphQLClient

UPDATE_SOURCE = """
mutation($input: UpdateSourceInput!) {
  updateSource(input: $input) {
    source { id name kind aliases version affiliation { id } }
    errors { message field code }
  }
}"""

UPDATE_DOCUMENT = """
mutation($input: UpdateDocumentInput!) {
  updateDocument(input: $input) {
    document { id title url version publisher { id } }
    errors { message field code }
  }
}"""

UPDATE_ATTRIBUTION = """
mutation($input: UpdateAttributionInput!) {
  updateAttribution(input: $input) {
    attribution { id version stance confidence hedges quantity { value unit bound } }
    errors { message field code }
  }
}"""

CHAIN = "query($id: ID!) { node(id: $id) { ... on Attribution { chain { id } } } }"
UNKNOWN_SOURCE = factories.global_id("Source", 999999)


async def _edit_source(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    return await factories.mutate(gql, UPDATE_SOURCE, "updateSource", **values)


async def _edit_document(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    return await factories.mutate(gql, UPDATE_DOCUMENT, "updateDocument", **values)


async def _edit_attribution(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    return await factories.mutate(gql, UPDATE_ATTRIBUTION, "updateAttribution", **values)


async def _chain(gql: GraphQLClient, attribution: str) -> list[str]:
    return [s["id"] for s in (await gql(CHAIN, {"id": attribution}))["node"]["chain"]]


async def test_update_source_changes_fields_and_version(gql: GraphQLClient) -> None:
    # given
    kcna, rodong = await factories.source(gql, "KCNA"), await factories.source(gql, "Rodong")
    # when
    payload = await _edit_source(
        gql, id=kcna, version=1, name=" KCNA Watch ", aliases=["ZTAK"], affiliationId=rodong
    )
    # then
    assert payload["errors"] == []
    assert payload["source"] == {
        "id": kcna,
        "name": "KCNA Watch",
        "kind": "NEWS_AGENCY",
        "aliases": ["ZTAK"],
        "version": 2,
        "affiliation": {"id": rodong},
    }


async def test_update_source_refuses_cycles_stale_versions_and_unknown_ids(
    gql: GraphQLClient,
) -> None:
    # given: B is affiliated to A
    a = await factories.source(gql, "A")
    b = await factories.source(gql, "B", affiliationId=a)
    # when
    cycle = await _edit_source(gql, id=a, version=1, affiliationId=b)
    itself = await _edit_source(gql, id=a, version=1, affiliationId=a)
    stale = await _edit_source(gql, id=b, version=7, name="B2")
    unknown = await _edit_source(gql, id=UNKNOWN_SOURCE, version=1, name="X")
    blank = await _edit_source(gql, id=b, version=1, name="  ", affiliationId=UNKNOWN_SOURCE)
    # then
    assert factories.problems(cycle) == [("INVALID", ["input", "affiliationId"])]
    assert factories.problems(itself) == [("INVALID", ["input", "affiliationId"])]
    assert factories.problems(stale) == [("CONFLICT", ["input", "version"])]
    assert factories.problems(unknown) == [("NOT_FOUND", ["input", "id"])]
    assert sorted(factories.problems(blank)) == [
        ("INVALID", ["input", "name"]),
        ("NOT_FOUND", ["input", "affiliationId"]),
    ]
    assert cycle["source"] is None


async def test_update_document_rules_and_conflict(gql: GraphQLClient) -> None:
    # given
    taken = await factories.document(gql, url="https://example.org/a")
    document = await factories.document(gql, url="https://example.org/b")
    # when
    same_url = await _edit_document(gql, id=document, version=1, url="https://example.org/b")
    duplicate = await _edit_document(gql, id=document, version=2, url="https://example.org/a")
    stale = await _edit_document(gql, id=document, version=1, title="Neu")
    bad = await _edit_document(gql, id=taken, version=1, language="??", publisherId=UNKNOWN_SOURCE)
    # then
    assert same_url["errors"] == [] and same_url["document"]["version"] == 2
    assert factories.problems(duplicate) == [("DUPLICATE", ["input", "url"])]
    assert factories.problems(stale) == [("CONFLICT", ["input", "version"])]
    assert sorted(factories.problems(bad)) == [
        ("INVALID", ["input", "language"]),
        ("NOT_FOUND", ["input", "publisherId"]),
    ]


async def test_new_publisher_is_rewritten_into_chains(gql: GraphQLClient) -> None:
    # given: Yonhap publishes KCNA's report, which cites Kim; and Yonhap's own report
    yonhap, kcna = await factories.source(gql, "Yonhap"), await factories.source(gql, "KCNA")
    kim, kyodo = await factories.source(gql, "Kim", "PERSON"), await factories.source(gql, "Kyodo")
    document = await factories.document(gql, publisherId=yonhap)
    claim = await factories.claim(gql)
    cited = await factories.attribution(
        gql, claimId=claim, documentId=document, sourceId=kcna, via=[kim]
    )
    own = await factories.attribution(gql, claimId=claim, documentId=document, sourceId=yonhap)
    # when
    moved = await _edit_document(gql, id=document, version=1, publisherId=kyodo)
    # then
    assert moved["errors"] == [] and moved["document"]["publisher"] == {"id": kyodo}
    assert await _chain(gql, cited["id"]) == [kyodo, kcna, kim]
    assert await _chain(gql, own["id"]) == [kyodo, yonhap]
    assert await factories.claims_citing(gql, kyodo) == 1


async def test_update_attribution_rules_and_conflict(gql: GraphQLClient) -> None:
    # given
    source, document = await factories.source(gql), await factories.document(gql)
    claim = await factories.claim(gql)
    report = await factories.attribution(gql, claimId=claim, documentId=document, sourceId=source)
    # when
    edited = await _edit_attribution(
        gql,
        id=report["id"],
        version=1,
        stance="DENIES",
        confidence=0.4,
        hedges=["angeblich"],
        quantity={"value": 11, "unit": "Millionen", "bound": "AT_MOST"},
    )
    stale = await _edit_attribution(gql, id=report["id"], version=1, confidence=0.5)
    bad = await _edit_attribution(gql, id=report["id"], version=2, confidence=1.5)
    nothing = await _edit_attribution(gql, id=report["id"], version=2)
    unknown = await _edit_attribution(gql, id=source, version=1, confidence=0.5)
    # then
    assert edited["errors"] == []
    assert edited["attribution"] == {
        "id": report["id"],
        "version": 2,
        "stance": "DENIES",
        "confidence": 0.4,
        "hedges": ["angeblich"],
        "quantity": {"value": 11.0, "unit": "Millionen", "bound": "AT_MOST"},
    }
    assert factories.problems(stale) == [("CONFLICT", ["input", "version"])]
    assert factories.problems(bad) == [("INVALID", ["input", "confidence"])]
    assert factories.problems(nothing) == [("INVALID", ["input"])]
    assert factories.problems(unknown) == [("NOT_FOUND", ["input", "id"])]


DOCUMENT_FIELDS = """
query($id: ID!) { node(id: $id) { ... on Document { url publishedAt publisher { id } } } }"""
ATTRIBUTION_FIELDS = """
query($id: ID!) { node(id: $id) { ... on Attribution { reportedAt quantity { value } } } }"""
SOURCE_FIELDS = """
query($id: ID!) { node(id: $id) { ... on Source { reliability affiliation { id } } } }"""


async def test_updates_clear_optional_fields(gql: GraphQLClient) -> None:
    # given: a source with affiliation and reliability, a dated document with url and
    # publisher, and a dated report with a figure
    rodong = await factories.source(gql, "Rodong")
    kcna = await factories.source(gql, "KCNA", affiliationId=rodong, reliability="C")
    document = await factories.document(
        gql, url="https://example.org/a", publishedAt="2023-09-14T10:00:00Z", publisherId=rodong
    )
    report = await factories.attribution(
        gql, claimId=await factories.claim(gql), documentId=document, sourceId=kcna,
        quantity={"value": 11, "unit": "million shells", "bound": "AT_MOST"},
    )
    # when
    source = await _edit_source(gql, id=kcna, version=1, clear=["AFFILIATION_ID", "RELIABILITY"])
    edited = await _edit_document(
        gql, id=document, version=1, clear=["URL", "PUBLISHED_AT", "PUBLISHER_ID"]
    )
    attribution = await _edit_attribution(
        gql, id=report["id"], version=1, clear=["REPORTED_AT", "QUANTITY"]
    )
    # then
    assert [p["errors"] for p in (source, edited, attribution)] == [[], [], []]
    found = await gql(SOURCE_FIELDS, {"id": kcna})
    assert found["node"] == {"reliability": None, "affiliation": None}
    found = await gql(DOCUMENT_FIELDS, {"id": document})
    assert found["node"] == {"url": None, "publishedAt": None, "publisher": None}
    assert await _chain(gql, report["id"]) == [kcna]
    found = await gql(ATTRIBUTION_FIELDS, {"id": report["id"]})
    assert found["node"] == {"reportedAt": None, "quantity": None}


async def test_a_field_cannot_be_both_given_and_cleared(gql: GraphQLClient) -> None:
    # given
    document = await factories.document(gql, url="https://example.org/a")
    # when
    both = await _edit_document(
        gql, id=document, version=1, url="https://example.org/b", clear=["URL"]
    )
    # then
    assert factories.problems(both) == [("INVALID", ["input", "clear"])]
    found = await gql(DOCUMENT_FIELDS, {"id": document})
    assert found["node"]["url"] == "https://example.org/a"
