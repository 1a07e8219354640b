"""No N+1: a page of claims with everything around them costs a fixed number of statements.

These tests measure the resolver path (the reference, and the fallback for whatever
does not compile): compiled reads are off here. tests/schema/compiled counts the compiled path.

The data is written straight into the tables (api/*/models.py) so that 50 claims with
150 attributions and 600 chain links take a few statements instead of 200 mutations.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from tests import factories
from tests.support.app import TEST_SETTINGS, GraphQLClient, new_key, serving
from tests.support.sql import StatementCounter


@pytest.fixture
async def http(db: AsyncEngine) -> AsyncIterator[httpx.AsyncClient]:
    """An editor's client of an app whose reads all run their resolvers."""
    key = await new_key(db, Role.EDITOR, "test-editor")
    settings = TEST_SETTINGS.model_copy(update={"compiled_reads": False})
    async with serving(db, settings, key=key) as client:
        # The first request looks the key up; later ones find it cached.
        warm = await client.post("/graphql", json={"query": "{ __typename }"})
        assert warm.status_code == 200, warm.text
        yield client


PUBLISHERS = 3  # sources 1..3 publish documents 1..3
CITED = 7  # sources 4..10 are attributed and cited
ATTRIBUTIONS_PER_CLAIM = 3
# Observed: 9 with the nested totalCount, 8 without (claims page, claims count, attribution
# pages, [attribution counts], claims, documents, sources, chains, the sources of the chains).
MOST_STATEMENTS = 9

QUERY = """
query($first: Int!) {
  claims(first: $first) {
    totalCount
    edges { node {
      id statement
      attributions(first: 100) {
        %s
        edges { node {
          id confidence quote reportedAt
          claim { id statement }
          document { id title publisher { id name } }
          source { id name }
          via { id name }
          chain { id name }
          origin { id name }
        } }
      }
    } }
  }
}"""
WITH_TOTAL = QUERY % "totalCount"
WITHOUT_TOTAL = QUERY % ""


async def seed(db: AsyncEngine, first_claim: int, last_claim: int) -> None:
    """Claims first_claim..last_claim, each reported 3 times through a 4-source chain."""
    claims = range(first_claim, last_claim + 1)
    attributions: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for claim in claims:
        for k in range(ATTRIBUTIONS_PER_CLAIM):
            pk = (claim - 1) * ATTRIBUTIONS_PER_CLAIM + k + 1
            document = (claim + k) % PUBLISHERS + 1  # published by source `document`
            cited = [PUBLISHERS + 1 + (claim + k + step) % CITED for step in range(3)]
            attributions.append(
                {"id": pk, "claim": claim, "document": document, "source": cited[0]}
            )
            roles = ["PUBLISHER", "SOURCE", "VIA", "VIA"]
            for position, (role, source) in enumerate(zip(roles, [document, *cited], strict=True)):
                links.append({"a": pk, "p": position, "r": role, "s": source, "c": claim})
    async with db.begin() as connection:
        if first_claim == 1:
            await connection.execute(
                text("INSERT INTO source (id, name, kind) VALUES (:id, :name, 'NEWS_AGENCY')"),
                [{"id": n, "name": f"Source {n}"} for n in range(1, PUBLISHERS + CITED + 1)],
            )
            await connection.execute(
                text(
                    "INSERT INTO document (id, title, language, publisher_id, published_at)"
                    " VALUES (:id, :title, 'de', :id, now())"
                ),
                [{"id": n, "title": f"Document {n}"} for n in range(1, PUBLISHERS + 1)],
            )
        await connection.execute(
            text("INSERT INTO claim (id, statement, language) VALUES (:id, :statement, 'de')"),
            [{"id": n, "statement": f"Claim {n}"} for n in claims],
        )
        await connection.execute(
            text(
                "INSERT INTO attribution (id, claim_id, document_id, source_id, reported_at)"
                " VALUES (:id, :claim, :document, :source, now())"
            ),
            attributions,
        )
        await connection.execute(
            text(
                "INSERT INTO attribution_chain (attribution_id, position, role, source_id,"
                " claim_id) VALUES (:a, :p, :r, :s, :c)"
            ),
            links,
        )
        for table in ("source", "document", "claim", "attribution"):
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )


async def measure(
    gql: GraphQLClient, counter: StatementCounter, query: str, first: int
) -> tuple[int, list[Any]]:
    """The statements one request costs, and its claims (checked to be whole)."""
    counter.statements.clear()
    data = await gql(query, {"first": first})
    count = counter.count
    edges = data["claims"]["edges"]
    for edge in edges:
        attributions = edge["node"]["attributions"]["edges"]
        assert len(attributions) == ATTRIBUTIONS_PER_CLAIM
        for attribution in (a["node"] for a in attributions):
            assert attribution["claim"]["id"] == edge["node"]["id"]
            assert len(attribution["chain"]) == 4 and len(attribution["via"]) == 2
            assert attribution["origin"] == attribution["via"][-1]
            assert attribution["chain"][0] == attribution["document"]["publisher"]
    return count, edges


@pytest.mark.parametrize("query", [WITH_TOTAL, WITHOUT_TOTAL], ids=["with-total", "without"])
async def test_statement_count_does_not_grow_with_the_page(
    db: AsyncEngine, gql: GraphQLClient, sql_counter: StatementCounter, query: str
) -> None:
    # given
    await seed(db, 1, 5)
    # when: 5 claims in the database, then 50
    with_5, edges_5 = await measure(gql, sql_counter, query, 100)
    await seed(db, 6, 50)
    with_50, edges_50 = await measure(gql, sql_counter, query, 100)
    page_of_5, edges_page = await measure(gql, sql_counter, query, 5)
    # then
    assert (len(edges_5), len(edges_50), len(edges_page)) == (5, 50, 5)
    assert with_5 == with_50 == page_of_5, sql_counter.statements
    assert with_50 <= MOST_STATEMENTS, sql_counter.statements


ATTRIBUTION_FIELDS = "id claim { id } document { id } source { id } via { id } origin { id }"
DOCUMENTS = f"""{{ documents {{ edges {{ node {{ id attributions(first: 100) {{
  totalCount edges {{ node {{ {ATTRIBUTION_FIELDS} }} }}
}} }} }} }} }}"""
NODES = f"""query($ids: [ID!]!) {{
  nodes(ids: $ids) {{ ... on Attribution {{ {ATTRIBUTION_FIELDS} }} }}
}}"""


async def test_documents_and_refetches_are_batched_too(
    db: AsyncEngine, gql: GraphQLClient, sql_counter: StatementCounter
) -> None:
    # given
    await seed(db, 1, 50)
    ids = [factories.global_id("Attribution", pk) for pk in range(1, 101)]
    # when
    counts: list[int] = []
    for document, variables in [(DOCUMENTS, {}), (NODES, {"ids": ids[:30]}), (NODES, {"ids": ids})]:
        sql_counter.statements.clear()
        data = await gql(document, variables)
        counts.append(sql_counter.count)
    # then
    assert len(data["nodes"]) == 100 and all(data["nodes"])
    assert counts[0] <= MOST_STATEMENTS
    assert counts[1] == counts[2] <= MOST_STATEMENTS


HISTORIES = """
query($first: Int!) {
  claims(first: $first) {
    edges { node { id history(first: 5) { totalCount edges { node { operation after } } } } }
  }
}"""


async def test_histories_of_a_page_cost_two_statements_however_many_claims(
    db: AsyncEngine, gql: GraphQLClient, sql_counter: StatementCounter
) -> None:
    # given: 50 claims, each created (one revision each)
    await seed(db, 1, 50)
    # when
    sql_counter.statements.clear()
    few = await gql(HISTORIES, {"first": 5})
    with_5 = sql_counter.count
    sql_counter.statements.clear()
    many = await gql(HISTORIES, {"first": 50})
    with_50 = sql_counter.count
    # then: the claims page, one for all histories, one for all their counts
    assert with_5 == with_50 == 3, sql_counter.statements
    for data in (few, many):
        for edge in data["claims"]["edges"]:
            history = edge["node"]["history"]
            assert history["totalCount"] == 1
            [created] = history["edges"]
            assert created["node"]["operation"] == "CREATE"
            created_id = created["node"]["after"]["id"]
            assert created_id == edge["node"]["id"]
