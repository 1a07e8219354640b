"""Reads: refetch by id, the claim filters, search, and GraphQL over GET."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pytest

from tests import factories
from tests.support.app import GraphQLClient

# The same selections as the mutation payloads in tests/factories.py.
NODE_FIELDS = """
  ... on Source { id name kind aliases reliability stateAffiliated affiliation { id name } }
  ... on Document { id url title language publishedAt text publisher { id name } }
  ... on Claim { id statement language createdAt }
  ... on Attribution {
    id stance confidence hedges quote quoteStart quoteEnd reportedAt
    quantity { value unit bound }
    claim { id } document { id } source { id name }
    via { id name } chain { id name } origin { id name }
  }
"""
NODE = f"query($id: ID!) {{ node(id: $id) {{ {NODE_FIELDS} }} }}"
NODES = f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {NODE_FIELDS} }} }}"

CLAIMS = """
query($search: String, $sourceId: ID, $documentId: ID) {
  claims(search: $search, sourceId: $sourceId, documentId: $documentId) {
    totalCount edges { node { id statement } }
  }
}"""
SOURCES = "query($s: String) { sources(search: $s) { totalCount edges { node { name } } } }"
DOCUMENTS = "query($s: String) { documents(search: $s) { totalCount edges { node { title } } } }"


async def claim_ids(gql: GraphQLClient, **filters: str) -> list[str]:
    connection = (await gql(CLAIMS, filters))["claims"]
    ids = [edge["node"]["id"] for edge in connection["edges"]]
    assert connection["totalCount"] == len(ids)
    return ids


@dataclass(frozen=True)
class Graph:
    """Yonhap publishes `article`, where KCNA says `first`; in `note` (no publisher) Kim says
    `second`, citing unnamed sources, and `third`; `lonely` has no attribution."""

    yonhap: str
    kcna: str
    kim: str
    unnamed: str
    bystander: str
    article: str
    note: str
    first: str
    second: str
    third: str
    lonely: str


@pytest.fixture
async def graph(gql: GraphQLClient) -> Graph:
    yonhap = await factories.source(gql, "Yonhap", "NEWS_AGENCY", aliases=["연합뉴스"])
    kcna = await factories.source(gql, "KCNA", "NEWS_AGENCY", aliases=["Korean Central News"])
    kim = await factories.source(gql, "Kim Yo Jong", "PERSON")
    unnamed = await factories.source(gql, "unnamed sources", "ANONYMOUS")
    bystander = await factories.source(gql, "Bystander", "OTHER")
    article = await factories.document(
        gql,
        "Kim in Wladiwostok",
        url="https://example.org/kim_1",
        publisherId=yonhap,
        publishedAt="2023-09-14T06:00:00+00:00",
    )
    note = await factories.document(gql, "Notiz", text="Grüße aus Pjöngjang, 50% mehr.")
    first = await factories.claim(gql, "Putin nahm die Einladung an")
    second = await factories.claim(gql, "Kim reist mit dem Zug")
    third = await factories.claim(gql, "Die Fabrik steigert die Produktion um 50%")
    lonely = await factories.claim(gql, "Niemand sagt das")
    await factories.attribution(
        gql, claimId=first, documentId=article, sourceId=kcna, quote="Putin hat die Einladung"
    )
    await factories.attribution(
        gql, claimId=second, documentId=note, sourceId=kim, via=[unnamed], quote="Pjöngjang"
    )
    await factories.attribution(gql, claimId=third, documentId=note, sourceId=kim)
    sources = (yonhap, kcna, kim, unnamed, bystander)
    return Graph(*sources, article, note, first, second, third, lonely)


async def test_every_type_is_refetched_with_the_fields_it_was_created_with(
    gql: GraphQLClient,
) -> None:
    # given
    rusi = await factories.source(gql, "RUSI", "THINK_TANK")
    creates: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            factories.CREATE_SOURCE,
            "createSource",
            "source",
            {"name": "Watling", "kind": "PERSON", "aliases": ["W"], "affiliationId": rusi},
        ),
        (
            factories.CREATE_DOCUMENT,
            "createDocument",
            "document",
            {"title": "T", "language": "de", "text": "Kim", "publisherId": rusi},
        ),
        (factories.CREATE_CLAIM, "createClaim", "claim", {"statement": "S", "language": "en-GB"}),
    ]
    created = [
        (await factories.mutate(gql, document, field, **values))[key]
        for document, field, key, values in creates
    ]
    source, document, claim = (node["id"] for node in created)
    created.append(
        await factories.attribution(
            gql,
            claimId=claim,
            documentId=document,
            sourceId=source,
            via=[rusi],
            quote="Kim",
            confidence=0.5,
            hedges=["etwa"],
            quantity={"value": 1},
            reportedAt="2023-09-14T06:00Z",
        )
    )
    # when
    singles = [(await gql(NODE, {"id": node["id"]}))["node"] for node in created]
    batch = (await gql(NODES, {"ids": [node["id"] for node in created]}))["nodes"]
    # then
    assert singles == created
    assert batch == created


async def test_unknown_ids_are_null_in_order(gql: GraphQLClient) -> None:
    # given: Source:1 exists; Claim:1, Attribution:1 and Source:99 do not
    kcna = await factories.source(gql)
    unknown = [
        factories.global_id(t, pk)
        for t, pk in [("Claim", 1), ("Attribution", 1), ("Source", 99), ("Document", 1)]
    ]
    # when
    single = (await gql(NODE, {"id": unknown[0]}))["node"]
    batch = await gql(NODES, {"ids": [unknown[0], kcna, unknown[1], unknown[2], unknown[3]]})
    # then
    assert single is None
    assert [node and node["id"] for node in batch["nodes"]] == [None, kcna, None, None, None]


@pytest.mark.parametrize(
    "bad_id",
    [
        "garbage",
        "",
        base64.b64encode(b"Claim:abc").decode(),
        base64.b64encode(b"Widget:1").decode(),
        base64.b64encode(b"Claim:-1").decode(),
        factories.global_id("Claim", 1)[:-2],
    ],
    ids=["garbage", "empty", "non-numeric", "unknown-type", "negative", "truncated"],
)
async def test_malformed_id_is_a_graphql_error(gql: GraphQLClient, bad_id: str) -> None:
    for body in [await gql.raw(NODE, {"id": bad_id}), await gql.raw(NODES, {"ids": [bad_id]})]:
        assert body["errors"] and "not a valid id" in body["errors"][0]["message"]


async def test_claims_by_source_cover_publisher_source_and_via(
    gql: GraphQLClient, graph: Graph
) -> None:
    assert await claim_ids(gql, sourceId=graph.yonhap) == [graph.first]  # as publisher
    assert await claim_ids(gql, sourceId=graph.kcna) == [graph.first]  # as source
    assert await claim_ids(gql, sourceId=graph.unnamed) == [graph.second]  # as via
    assert await claim_ids(gql, sourceId=graph.kim) == [graph.third, graph.second]
    assert await claim_ids(gql, sourceId=graph.bystander) == []


async def test_claims_by_document(gql: GraphQLClient, graph: Graph) -> None:
    assert await claim_ids(gql, documentId=graph.article) == [graph.first]
    assert await claim_ids(gql, documentId=graph.note) == [graph.third, graph.second]
    assert await claim_ids(gql, documentId=graph.note, sourceId=graph.unnamed) == [graph.second]


async def test_claims_newest_first_without_filters(gql: GraphQLClient, graph: Graph) -> None:
    assert await claim_ids(gql) == [graph.lonely, graph.third, graph.second, graph.first]


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("EINLADUNG", ["first"]),  # statement, ignoring case
        ("hat die einladung", ["first"]),  # a quote, not the statement
        ("PJÖNGJANG", ["second"]),  # a quote, ignoring the case of an umlaut
        ("50%", ["third"]),  # % is literal: it matches only itself
        ("%", ["third"]),
        ("_", []),  # _ is literal too: no statement or quote holds one
        ("n_emand", []),
        ("  zug ", ["second"]),
        ("Seoul", []),
        ("a\x00b", []),  # NUL cannot be stored, so it matches nothing
    ],
)
async def test_claim_search(
    gql: GraphQLClient, graph: Graph, search: str, expected: list[str]
) -> None:
    assert await claim_ids(gql, search=search) == [getattr(graph, name) for name in expected]


@pytest.mark.parametrize(
    ("search", "expected"),
    [("kcna", ["KCNA"]), ("central NEWS", ["KCNA"]), ("연합", ["Yonhap"]), ("%", []), ("_", [])],
)
async def test_source_search_on_name_and_aliases(
    gql: GraphQLClient, graph: Graph, search: str, expected: list[str]
) -> None:
    sources = (await gql(SOURCES, {"s": search}))["sources"]
    assert [edge["node"]["name"] for edge in sources["edges"]] == expected
    assert sources["totalCount"] == len(expected)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("wladiwostok", ["Kim in Wladiwostok"]),
        ("EXAMPLE.ORG/KIM_", ["Kim in Wladiwostok"]),
        ("grüße AUS", ["Notiz"]),
        ("50% MEHR", ["Notiz"]),  # words of the text, stemmed in its language
    ],
)
async def test_document_search_on_title_url_and_text(
    gql: GraphQLClient, graph: Graph, search: str, expected: list[str]
) -> None:
    documents = (await gql(DOCUMENTS, {"s": search}))["documents"]
    assert [edge["node"]["title"] for edge in documents["edges"]] == expected
    assert documents["totalCount"] == len(expected)


async def test_queries_work_over_get(gql: GraphQLClient, graph: Graph) -> None:
    # when
    response = await gql.http.get("/graphql", params={"query": "{ claims { totalCount } }"})
    # then
    assert response.status_code == 200
    assert response.json() == {"data": {"claims": {"totalCount": 4}}}


async def test_mutations_over_get_are_refused(gql: GraphQLClient) -> None:
    # given
    mutation = (
        'mutation { createClaim(input: {statement: "GET", language: "de"}) { claim { id } } }'
    )
    # when
    response = await gql.http.get("/graphql", params={"query": mutation})
    # then
    assert 400 <= response.status_code < 500
    assert (await factories.totals(gql))["claims"] == 0


SOURCE_REPORTS = """{ sources { edges { node {
  name attributions { totalCount edges { node { claim { id } } } }
} } } }"""


async def test_each_source_lists_only_the_attributions_citing_it(
    gql: GraphQLClient, graph: Graph
) -> None:
    # when: the attributions of several sources are loaded in one batch
    edges = (await gql(SOURCE_REPORTS))["sources"]["edges"]
    # then
    found = {
        edge["node"]["name"]: [
            a["node"]["claim"]["id"] for a in edge["node"]["attributions"]["edges"]
        ]
        for edge in edges
    }
    assert found == {
        "Yonhap": [graph.first],
        "KCNA": [graph.first],
        "Kim Yo Jong": [graph.third, graph.second],
        "unnamed sources": [graph.second],
        "Bystander": [],
    }
    assert [edge["node"]["attributions"]["totalCount"] for edge in edges] == [0, 1, 2, 1, 1]
