"""Build test data through the public mutations, as a client would."""

from __future__ import annotations

import base64
from typing import Any

from tests.support.app import GraphQLClient

CREATE_SOURCE = """
mutation($input: CreateSourceInput!) {
  createSource(input: $input) {
    source { id name kind aliases reliability stateAffiliated affiliation { id name } }
    errors { message field code }
  }
}"""

CREATE_DOCUMENT = """
mutation($input: CreateDocumentInput!) {
  createDocument(input: $input) {
    document { id url title language publishedAt text publisher { id name } }
    errors { message field code }
  }
}"""

CREATE_CLAIM = """
mutation($input: CreateClaimInput!) {
  createClaim(input: $input) {
    claim { id statement language createdAt }
    errors { message field code }
  }
}"""

ADD_ATTRIBUTION = """
mutation($input: AddAttributionInput!) {
  addAttribution(input: $input) {
    attribution {
      id stance confidence hedges quote quoteStart quoteEnd reportedAt
      quantity { value unit bound }
      claim { id } document { id } source { id name }
      via { id name } chain { id name } origin { id name }
    }
    errors { message field code }
  }
}"""

TEXT = (
    "Putin hat die Einladung angenommen, wie KCNA berichtete. "
    "Kim werde voraussichtlich eine Fabrik besuchen. KCNA KCNA."
)


async def mutate(gql: GraphQLClient, document: str, field: str, **values: Any) -> dict[str, Any]:
    payload: dict[str, Any] = (await gql(document, {"input": values}))[field]
    return payload


async def source(gql: GraphQLClient, name: str = "KCNA", kind: str = "NEWS_AGENCY",
                 **values: Any) -> str:
    payload = await mutate(gql, CREATE_SOURCE, "createSource", name=name, kind=kind, **values)
    assert payload["errors"] == [], payload
    return str(payload["source"]["id"])


async def document(gql: GraphQLClient, title: str = "Ein Artikel", **values: Any) -> str:
    values.setdefault("language", "de")
    values.setdefault("text", TEXT)
    payload = await mutate(gql, CREATE_DOCUMENT, "createDocument", title=title, **values)
    assert payload["errors"] == [], payload
    return str(payload["document"]["id"])


async def claim(gql: GraphQLClient, statement: str = "Putin nahm die Einladung an",
                language: str = "de") -> str:
    payload = await mutate(
        gql, CREATE_CLAIM, "createClaim", statement=statement, language=language
    )
    assert payload["errors"] == [], payload
    return str(payload["claim"]["id"])


async def attribution(gql: GraphQLClient, **values: Any) -> dict[str, Any]:
    payload = await mutate(gql, ADD_ATTRIBUTION, "addAttribution", **values)
    assert payload["errors"] == [], payload
    result: dict[str, Any] = payload["attribution"]
    return result


# Helpers added for the GraphQL black-box suites (tests/schema/test_*.py).

TOTALS = "{ sources { totalCount } documents { totalCount } claims { totalCount } }"

ATTRIBUTION_TOTALS = """{
  claims(first: 100) { edges { node { attributions { totalCount } } } }
  documents(first: 100) { edges { node { attributions { totalCount } } } }
}"""


def decode(global_id_: str) -> int:
    """The primary key inside a global id."""
    return int(base64.b64decode(global_id_).decode().split(":")[1])


def global_id(type_name: str, pk: int) -> str:
    """The Relay id the API gives object `pk` of `type_name`: base64 of "Type:pk"."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


async def totals(gql: GraphQLClient) -> dict[str, int]:
    """How many sources, documents and claims are stored."""
    data = await gql(TOTALS)
    return {name: int(data[name]["totalCount"]) for name in ("sources", "documents", "claims")}


async def attribution_totals(gql: GraphQLClient) -> list[int]:
    """Every attribution count the API shows per claim and per document."""
    data = await gql(ATTRIBUTION_TOTALS)
    return [
        int(edge["node"]["attributions"]["totalCount"])
        for name in ("claims", "documents")
        for edge in data[name]["edges"]
    ]


def problems(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    """The (code, field) of every error in a mutation payload, in order."""
    return [(error["code"], error["field"]) for error in payload["errors"]]


CLAIMS_CITING = "query($source: ID!) { claims(sourceId: $source) { totalCount } }"


async def claims_citing(gql: GraphQLClient, source: str) -> int:
    """How many claims have an attribution whose chain holds `source`."""
    data = await gql(CLAIMS_CITING, {"source": source})
    return int(data["claims"]["totalCount"])


# Helpers for the comparison suites (test_comparison, test_consensus, test_compare_sources).

COMPARISON_FIELDS = """
  sourceCount independentOriginCount affirmCount denyCount contested
  consensusConfidence explanation quantityMin quantityMax
  firstReport { id reportedAt source { id name } }
"""
CLAIM_COMPARISON = (
    "query($id: ID!) { node(id: $id) { ... on Claim { comparison {" + COMPARISON_FIELDS + "} } } }"
)


async def comparison(gql: GraphQLClient, claim_id: str) -> dict[str, Any]:
    """Claim.comparison of one claim, every field."""
    data = await gql(CLAIM_COMPARISON, {"id": claim_id})
    found: dict[str, Any] = data["node"]["comparison"]
    return found


async def consensus(gql: GraphQLClient, claim_id: str) -> float:
    return float((await comparison(gql, claim_id))["consensusConfidence"])


async def report(
    gql: GraphQLClient,
    claim_id: str,
    source_id: str,
    *,
    publisher: str | None = None,
    published_at: str | None = None,
    **values: Any,
) -> dict[str, Any]:
    """One attribution of `claim_id` to `source_id`, in a new document of `publisher`."""
    document_id = await document(
        gql, "Bericht", publisherId=publisher, publishedAt=published_at, text=None
    )
    return await attribution(
        gql, claimId=claim_id, documentId=document_id, sourceId=source_id, **values
    )
