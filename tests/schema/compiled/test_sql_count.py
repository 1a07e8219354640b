"""The benchmark shapes of issue 6 run as one SQL statement on the compiled path."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.ids import encode_id
from tests.schema.compiled.test_differential import COMPILED, RESOLVED, exact
from tests.schema.test_sql_count import seed
from tests.support.app import serving
from tests.support.sql import StatementCounter

# Q2: 50 claims, each with up to 10 attributions and their source.
Q2 = """
query Q2 {
  claims(first: 50) {
    edges { node {
      id statement
      attributions(first: 10) { edges { node { id stance confidence source { id name } } } }
    } }
  }
}"""
# Q1: one claim with its attributions, each with source and document.
Q1 = """
query Q1($id: ID!) {
  node(id: $id) {
    ... on Claim {
      id statement createdAt
      attributions { totalCount edges { cursor node {
        id confidence quote reportedAt
        source { id name kind } document { id title publishedAt }
      } } }
    }
  }
}"""
# Q3: the first 50 claims two sources both reported, with the total.
Q3 = """
query Q3($a: ID!, $b: ID!) {
  compareSources(a: $a, b: $b) {
    shared(first: 50) { totalCount edges { node { agrees claim { id statement createdAt } } } }
  }
}"""
PAIR = {"a": encode_id("Source", 4), "b": encode_id("Source", 5)}


@pytest.mark.parametrize(
    ("query", "variables"),
    [(Q2, {}), (Q1, {"id": encode_id("Claim", 7)}), (Q3, PAIR)],
    ids=["Q2", "Q1", "Q3"],
)
async def test_the_benchmark_shapes_cost_one_statement(
    db: AsyncEngine, sql_counter: StatementCounter, query: str, variables: dict[str, str]
) -> None:
    # given
    await seed(db, 1, 50)
    body = {"query": query, "variables": variables}
    async with serving(db, RESOLVED) as http:
        sql_counter.statements.clear()
        expected = await http.post("/graphql", json=body)
        resolved_statements = sql_counter.count

    # when
    async with serving(db, COMPILED) as http:
        sql_counter.statements.clear()
        response = await http.post("/graphql", json=body)

    # then
    assert "errors" not in response.json(), response.text
    assert exact(response.text) == exact(expected.text)
    assert sql_counter.count == 1, sql_counter.statements
    assert resolved_statements > 1


async def test_a_refused_read_runs_no_statement(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given: reads need a key, and none is sent
    closed = COMPILED.model_copy(update={"anonymous_read": False})
    await seed(db, 1, 5)

    # when
    async with serving(db, closed) as http:
        sql_counter.statements.clear()
        response = await http.post("/graphql", json={"query": Q2})

    # then
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert sql_counter.statements == []


async def test_a_comparison_of_a_missing_source_reports_the_resolvers_error(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given: source 99 does not exist
    await seed(db, 1, 5)
    body = {"query": Q3, "variables": {**PAIR, "b": encode_id("Source", 99)}}
    async with serving(db, RESOLVED) as http:
        expected = await http.post("/graphql", json=body)

    # when
    async with serving(db, COMPILED) as http:
        sql_counter.statements.clear()
        response = await http.post("/graphql", json=body)

    # then: the compiled statement saw the missing source; the resolvers answered
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert exact(response.text) == exact(expected.text)
    assert sql_counter.count > 1
