"""Abuse limits, production mode and CORS, through HTTP as a client meets them.

Each limit is set low in a tiny app of its own, then met just below (accepted) and just
above (refused with its `extensions.code`). Nothing here may ever answer 500.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx
import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from api.auth.roles import Role
from api.settings import Settings
from schema import build_schema
from schema.limits import Limits, document_cost
from tests.support.app import TEST_SETTINGS, new_key, serving

Client = Callable[..., AbstractAsyncContextManager[httpx.AsyncClient]]
GRAPHQL_RESPONSE = "application/graphql-response+json"

CREATE_SOURCE = """
mutation($name: String!) {
  createSource(input: {name: $name, kind: NEWS_AGENCY}) { source { id } errors { code } }
}"""
SOURCE_COUNT = "{ sources { totalCount } }"
CLAIM_PAGE = "query($n: Int) { claims(first: $n) { edges { node { id } } } }"
THREE_NESTED_PAGES = """
{ claims(first: 100) { edges { node {
    attributions(first: 100) { edges { node {
      source { attributions(first: 100) { edges { node { id } } } }
} } } } } } }"""
THREE_NESTED_PAGES_OF_N = """
query($n: Int!) { claims(first: $n) { edges { node {
    attributions(first: $n) { edges { node {
      source { attributions(first: $n) { edges { node { id } } } }
} } } } } } }"""


@pytest.fixture
def client(db: AsyncEngine) -> Client:
    """An HTTP client for an app built with these settings, on the test database."""

    @asynccontextmanager
    async def make(engine: AsyncEngine = db, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
        # As an editor (the CREATE_SOURCE checks write), with the suite's high rate limit;
        # anonymous on an engine other than the test database's (it may be unreachable).
        key = None
        if engine is db:
            key = await new_key(engine, Role.EDITOR, f"limits-{uuid.uuid4().hex[:8]}")
        limited = TEST_SETTINGS.model_copy(update=settings)
        async with serving(engine, limited, key=key) as http:
            yield http

    return make


async def post(http: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str | None]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


def nested_affiliations(levels: int) -> str:
    """A document whose deepest field sits at depth 3 + levels."""
    opened, closed = "affiliation { " * levels, "} " * levels
    return "{ sources { edges { node { " + opened + "name " + closed + "} } } }"


# Depth


async def test_a_query_at_the_depth_limit_runs_and_one_level_more_is_refused(
    client: Client,
) -> None:
    async with client(max_query_depth=6) as http:
        at_limit = await post(http, nested_affiliations(3))
        over = await post(http, nested_affiliations(4))
    assert at_limit == {"data": {"sources": {"edges": []}}}
    assert codes(over) == ["QUERY_TOO_DEEP"]
    assert over["data"] is None


async def test_absurd_nesting_is_refused_by_a_limit_not_a_crash(client: Client) -> None:
    async with client() as http:
        deep = await post(http, nested_affiliations(100))
        deeper = await post(http, nested_affiliations(5_000))
    assert codes(deep) == ["QUERY_TOO_DEEP"]
    # The parser gives up on this one before the depth rule could see it.
    assert codes(deeper) == ["QUERY_TOO_DEEP"]
    assert "nested too deeply" in deeper["errors"][0]["message"]


# Aliases


async def test_aliases_up_to_the_limit_run_and_one_more_is_refused(client: Client) -> None:
    async with client(max_aliases=3) as http:
        three = await post(http, "{ a: __typename b: __typename c: __typename }")
        four = await post(http, "{ a: __typename b: __typename c: __typename d: __typename }")
    assert three == {"data": {"a": "Query", "b": "Query", "c": "Query"}}
    assert codes(four) == ["TOO_MANY_ALIASES"]


async def test_hundreds_of_aliases_are_refused_by_default(client: Client) -> None:
    query = "{ " + " ".join(f"c{n}: claims {{ totalCount }}" for n in range(300)) + " }"
    async with client(max_tokens=10_000) as http:
        body = await post(http, query)
    assert codes(body) == ["TOO_MANY_ALIASES"]


# Tokens


async def test_tokens_up_to_the_limit_parse_and_one_more_is_refused(client: Client) -> None:
    # given: `{`, n fields and `}` make n + 2 tokens
    async with client(max_tokens=10) as http:
        ten = await post(http, "{ " + "__typename " * 8 + "}")
        eleven = await post(http, "{ " + "__typename " * 9 + "}")
    assert ten == {"data": {"__typename": "Query"}}
    assert codes(eleven) == ["TOO_MANY_TOKENS"]


# Cost


async def test_a_page_within_the_cost_budget_runs_and_over_it_is_refused(client: Client) -> None:
    # given: a page of n claims costs 1 (the page) + n (its edges)
    async with client(max_query_cost=51) as http:
        within = await post(http, CLAIM_PAGE, n=50)
        over = await post(http, CLAIM_PAGE, n=51)
        default_page = await post(http, "{ claims { edges { node { id } } } }")
    assert within == {"data": {"claims": {"edges": []}}}
    assert codes(over) == ["QUERY_TOO_COSTLY"]
    assert over["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_COSTLY",
        "cost": 52,
        "budget": 51,
    }
    assert "errors" not in default_page  # first defaults to 20: cost 21


async def test_repeated_documents_are_costed_for_their_own_variables(client: Client) -> None:
    # given: costs are remembered per document and variables
    async with client(max_query_cost=51) as http:
        # when: the same document, within, over, and within the budget again
        answers = [await post(http, CLAIM_PAGE, n=n) for n in (50, 51, 50, 51)]
    # then
    assert [codes(a) for a in answers] == [[], ["QUERY_TOO_COSTLY"], [], ["QUERY_TOO_COSTLY"]]


async def test_three_nested_full_pages_are_too_costly_by_default(client: Client) -> None:
    async with client() as http:
        body = await post(http, THREE_NESTED_PAGES)
    assert codes(body) == ["QUERY_TOO_COSTLY"]


async def test_float_page_sizes_are_costed_as_the_ints_they_become(client: Client) -> None:
    # given: graphql-core coerces 100.0 to the Int 100, which the resolvers then see
    async with client() as http:
        # when
        body = await post(http, THREE_NESTED_PAGES_OF_N, n=100.0)
    # then: costed as 100 x 100 x 100, not as three default pages of 20
    assert codes(body) == ["QUERY_TOO_COSTLY"]
    assert body["errors"][0]["extensions"]["cost"] == 1_020_201


async def test_a_huge_first_gets_a_clear_error(client: Client) -> None:
    async with client() as http:
        huge = await post(http, CLAIM_PAGE, n=1_000_000)
        beyond_int = await post(http, CLAIM_PAGE, n=10**12)
        nested = await post(http, THREE_NESTED_PAGES.replace("100", "2147483647"))
    assert codes(huge) == ["INVALID"]
    assert "first" in huge["errors"][0]["message"]
    assert "Int cannot represent" in beyond_int["errors"][0]["message"]
    assert codes(nested) == ["QUERY_TOO_COSTLY"]


def test_cost_follows_fragments_variables_defaults_and_ids() -> None:
    # given
    schema = build_schema(Limits())._schema
    document = parse(
        """
        query($n: Int = 10, $ids: [ID!]!) {
          claims(first: $n) { ...page }
          nodes(ids: $ids) { ... on Claim { attributions(first: 3) { edges { node { id } } } } }
        }
        fragment page on ClaimConnection { edges { node { id } } }
        """
    )
    operation, fragment = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    assert isinstance(fragment, FragmentDefinitionNode)
    fragments = {"page": fragment}
    # when
    default = document_cost(schema, operation, fragments, {"ids": ["a", "b"]})
    given = document_cost(schema, operation, fragments, {"n": 40, "ids": []})
    # then: claims 1 + n; nodes 2 x (1 + attributions (1 + 3))
    assert default == (1 + 10) + 2 * (1 + 1 + 3)
    assert given == 1 + 40


# Body size


async def test_a_body_over_the_limit_gets_413_and_writes_nothing(client: Client) -> None:
    # given: a body of about 1 kB, with a limit just above and just below it
    variables = {"name": "Kyodo", "padding": "x" * 900}
    body = json.dumps({"query": CREATE_SOURCE, "variables": variables}).encode()
    async with client(max_body_bytes=len(body) - 1) as http:
        # when
        refused = await http.post("/graphql", content=body, headers=JSON_HEADERS)
        chunked = await http.post("/graphql", content=chunks(body), headers=JSON_HEADERS)
        count = await post(http, SOURCE_COUNT)
    async with client(max_body_bytes=len(body)) as http:
        accepted = await http.post("/graphql", content=body, headers=JSON_HEADERS)
    # then
    assert refused.status_code == chunked.status_code == 413
    assert codes(refused.json()) == codes(chunked.json()) == ["PAYLOAD_TOO_LARGE"]
    assert count == {"data": {"sources": {"totalCount": 0}}}
    assert accepted.json()["data"]["createSource"]["errors"] == []


JSON_HEADERS = {"content-type": "application/json"}


async def chunks(body: bytes) -> AsyncIterator[bytes]:
    """A body sent without Content-Length, 100 bytes at a time."""
    for start in range(0, len(body), 100):
        yield body[start : start + 100]


async def test_the_default_body_limit_leaves_room_for_a_whole_document(client: Client) -> None:
    # given: ingestDocument takes 2,000,000 characters, up to 8 MB of UTF-8
    padding = "ü" * 4_000_000  # 8 MB of UTF-8
    body = json.dumps(
        {"query": "{ __typename }", "variables": {"text": padding}}, ensure_ascii=False
    )
    async with client() as http:
        response = await http.post("/graphql", content=body.encode(), headers=JSON_HEADERS)
    assert Settings().max_body_bytes == 10 * 1024 * 1024
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_batches_are_not_enabled_and_write_nothing(client: Client) -> None:
    batch = [{"query": CREATE_SOURCE, "variables": {"name": f"S{n}"}} for n in range(2)]
    async with client() as http:
        response = await http.post("/graphql", json=batch)
        count = await post(http, SOURCE_COUNT)
    assert (response.status_code, response.text) == (400, "Batching is not enabled")
    assert count == {"data": {"sources": {"totalCount": 0}}}


# Media types


async def test_graphql_response_json_turns_request_errors_into_400(client: Client) -> None:
    headers = {"accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"}
    async with client(max_aliases=0) as http:
        refused = await http.post("/graphql", json={"query": "{ a: __typename }"}, headers=headers)
        ran = await http.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
        legacy = await http.post("/graphql", json={"query": "{ a: __typename }"})
    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert "data" not in refused.json() and codes(refused.json()) == ["TOO_MANY_ALIASES"]
    assert (ran.status_code, ran.json()) == (200, {"data": {"__typename": "Query"}})
    assert ran.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    assert (legacy.status_code, legacy.headers["content-type"]) == (200, "application/json")


async def test_a_field_error_is_still_a_200_with_graphql_response_json(client: Client) -> None:
    headers = {"accept": GRAPHQL_RESPONSE}
    async with client() as http:
        response = await http.post(
            "/graphql", json={"query": "{ claims(first: 101) { totalCount } }"}, headers=headers
        )
    assert response.status_code == 200
    assert response.json()["data"] is None and codes(response.json()) == ["INVALID"]


# Production mode, introspection, GraphiQL


async def test_introspection_can_be_turned_off(client: Client) -> None:
    query = "{ __schema { queryType { name } } }"
    async with client(introspection=False) as http:
        refused = await post(http, query)
        typename = await post(http, "{ __typename }")
    async with client() as http:
        allowed = await post(http, query)
    assert set(codes(refused)) == {"INTROSPECTION_DISABLED"}
    assert typename == {"data": {"__typename": "Query"}}
    assert allowed == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


async def test_production_turns_graphiql_off_unless_asked_for(client: Client) -> None:
    browser = {"accept": "text/html"}
    async with client(production=True) as http:
        production = await http.get("/graphql", headers=browser)
    async with client(production=True, graphiql=True) as http:
        asked = await http.get("/graphql", headers=browser)
    async with client() as http:
        development = await http.get("/graphql", headers=browser)
    assert production.status_code == 404
    assert asked.status_code == development.status_code == 200
    assert "graphiql" in development.text.lower()


async def test_production_masks_unexpected_errors(client: Client) -> None:
    # given: a database nobody listens on
    nowhere = create_async_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    async with client(engine=nowhere, production=True) as http:
        body = await post(http, SOURCE_COUNT)
    await nowhere.dispose()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "Internal server error: the failure was logged."
    assert "127.0.0.1" not in json.dumps(body)


def test_settings_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMGRAPH_PRODUCTION", "true")
    monkeypatch.setenv("CLAIMGRAPH_INTROSPECTION", "false")
    monkeypatch.setenv("CLAIMGRAPH_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("CLAIMGRAPH_MAX_QUERY_COST", "500")
    settings = Settings()
    assert (settings.production, settings.introspection, settings.serve_graphiql) == (
        True,
        False,
        False,
    )
    assert settings.cors_origin_list == ["https://a.example", "https://b.example"]
    assert settings.max_query_cost == 500


# CORS


async def test_no_cors_headers_unless_origins_are_configured(client: Client) -> None:
    origin = {"origin": "https://newsroom.example"}
    async with client() as http:
        plain = await http.post("/graphql", json={"query": "{ __typename }"}, headers=origin)
    assert plain.status_code == 200
    assert not any(h.startswith("access-control-") for h in plain.headers)


async def test_configured_origins_get_cors_headers_and_others_do_not(client: Client) -> None:
    allowed = {"origin": "https://newsroom.example"}
    other = {"origin": "https://elsewhere.example"}
    preflight = {**allowed, "access-control-request-method": "POST"}
    async with client(cors_origins="https://newsroom.example, https://factcheck.example") as http:
        ok = await http.post("/graphql", json={"query": "{ __typename }"}, headers=allowed)
        refused = await http.post("/graphql", json={"query": "{ __typename }"}, headers=other)
        options = await http.options("/graphql", headers=preflight)
    assert ok.headers["access-control-allow-origin"] == "https://newsroom.example"
    assert "access-control-allow-origin" not in refused.headers
    assert options.status_code == 200
    assert "POST" in options.headers["access-control-allow-methods"]
