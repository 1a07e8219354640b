"""Build test data through the public mutations, as a client would."""

from __future__ import annotations

from typing import Any

from tests.conftest import GraphQLClient

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
