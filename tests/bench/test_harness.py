"""The bench harness's pieces on a tiny data set: same data from both servers, same rows.

No timing here: figures come from `python -m bench` (docs/performance.md). These tests
check what the figures rest on: that the reference answers each bench query with the
very data claimgraph gives, that the bench's data is sized and seeded as documented,
and that the harness's comparison and wrk script helpers say what they should.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from api.generate import GenerateOptions, generate
from bench.harness import data
from bench.harness.load import Load, lua_string
from bench.harness.measure import Cell, difference, merge
from bench.harness.postgraphile import fingerprint
from bench.harness.queries import Query, queries
from bench.harness.reference import create_app
from tests.api.generate.test_generate import CHECKSUM, empty
from tests.support.app import serving

OPTIONS = GenerateOptions(claims=300, seed=5)


async def fill(engine: AsyncEngine) -> None:
    with data.attributions_per_claim(3):
        await generate(engine, OPTIONS)


def plain_url(database_url: str) -> str:
    """The test database's URL as asyncpg takes it (no SQLAlchemy driver suffix)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(False)


@pytest.fixture
async def reference(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(plain_url(database_url), pool_size=2)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://ref") as client:
            yield client


async def ask(client: httpx.AsyncClient, query: Query) -> Any:
    response = await client.post("/graphql", json=query.body())
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("name", ["Q1", "Q2", "Q3"])
async def test_the_reference_gives_claimgraphs_data(
    db: AsyncEngine, database_url: str, reference: httpx.AsyncClient, name: str
) -> None:
    # given
    await fill(db)
    query = queries(await data.targets(plain_url(database_url)))[name]

    # when
    async with serving(db) as claimgraph:
        expected = await ask(claimgraph, query)
    actual = await ask(reference, query)

    # then
    assert "errors" not in expected, expected
    assert difference(expected, actual) is None
    assert actual == expected


async def test_the_queries_find_data_worth_measuring(
    db: AsyncEngine, database_url: str, reference: httpx.AsyncClient
) -> None:
    # given
    await fill(db)
    chosen = queries(await data.targets(plain_url(database_url)))

    # when
    answers = {
        name: (await ask(reference, query))["data"]
        for name, query in chosen.items()
        if query.referenced
    }

    # then
    assert len(answers["Q1"]["node"]["attributions"]["edges"]) == 5
    assert len(answers["Q2"]["claims"]["edges"]) == 50
    assert answers["Q3"]["compareSources"]["shared"]["totalCount"] > 50


@pytest.mark.parametrize("name", ["C1", "S1", "S2"])
async def test_claimgraph_answers_the_unreferenced_queries(
    db: AsyncEngine, database_url: str, name: str
) -> None:
    # given
    await fill(db)
    query = queries(await data.targets(plain_url(database_url)))[name]

    # when
    async with serving(db) as claimgraph:
        answer = await ask(claimgraph, query)

    # then
    assert not query.referenced
    assert "errors" not in answer, answer
    assert answer["data"]


async def test_the_reference_refuses_other_documents(reference: httpx.AsyncClient) -> None:
    # when
    response = await reference.post("/graphql", json={"query": "{ claims { totalCount } }"})

    # then
    assert response.status_code == 400
    assert "errors" in response.json()


async def test_bench_data_has_three_attributions_per_claim_and_follows_the_seed(
    db: AsyncEngine,
) -> None:
    # given
    await fill(db)
    async with db.connect() as connection:
        first = (await connection.execute(text(CHECKSUM))).scalar_one()
        per_claim = (
            await connection.execute(
                text(
                    "SELECT min(n), max(n), avg(n) FROM"
                    " (SELECT count(*) n FROM attribution GROUP BY claim_id) c"
                )
            )
        ).one()

    # when
    await empty(db)
    await fill(db)
    async with db.connect() as connection:
        second = (await connection.execute(text(CHECKSUM))).scalar_one()

    # then
    assert (per_claim[0], per_claim[1]) == (1, 5)
    assert 2.7 < per_claim[2] < 3.3
    assert first == second


def test_difference_names_the_first_path_that_differs() -> None:
    # given
    left = {"data": {"claims": {"edges": [{"node": {"id": "a"}}, {"node": {"id": "b"}}]}}}
    right = {"data": {"claims": {"edges": [{"node": {"id": "a"}}, {"node": {"id": "c"}}]}}}

    # then
    assert difference(left, left) is None
    assert difference(left, right) == ".data.claims.edges[1].node.id: 'b' against 'c'"
    assert difference({"a": 1.0}, {"a": 1}) is None


def test_a_lua_long_string_holds_any_body() -> None:
    # given
    body = '{"query":"x]]y]=]z"}'

    # when
    quoted = lua_string(body)

    # then
    assert quoted == '[==[{"query":"x]]y]=]z"}]==]'


def test_a_fingerprint_keeps_values_in_order_and_drops_ids_and_dates() -> None:
    # given
    ours = {
        "data": {
            "node": {
                "id": "Q2xhaW06Ng==",
                "statement": "s",
                "createdAt": "2024",
                "attributions": {
                    "edges": [
                        {"node": {"hedges": ["bis zu"], "source": {"name": "A"}}},
                        {"node": {"hedges": [], "source": {"name": "B"}}},
                    ]
                },
            }
        }
    }
    theirs = {
        "data": {
            "claimByRowId": {
                "rowId": "6",
                "statement": "s",
                "createdAt": "2024-01",
                "attributionsByClaimId": {
                    "nodes": [
                        {"hedges": ["bis zu"], "sourceBySourceId": {"name": "A"}},
                        {"hedges": [], "sourceBySourceId": {"name": "B"}},
                    ]
                },
            }
        }
    }

    # when
    print_ours, print_theirs = fingerprint(ours), fingerprint(theirs)

    # then
    assert print_ours == print_theirs
    assert print_ours == [
        ("statement", "s"),
        ("hedges", ["bis zu"]),
        ("name", "A"),
        ("hedges", []),
        ("name", "B"),
    ]
    assert fingerprint(theirs) != fingerprint({"data": {"x": {"statement": "t"}}})


def test_rounds_merge_into_one_cell_weighted_by_requests() -> None:
    # given
    first = Cell("Q1", 16, "claimgraph", Load(100, 5.0, 0, 2.0, 9.0), 1.0, 1.0, 4.0)
    second = Cell("Q1", 16, "claimgraph", Load(300, 5.0, 1, 3.0, 7.0), 2.0, 1.0, 2.0)

    # when
    cell = merge([first, second])

    # then
    assert cell.load == Load(400, 10.0, 1, 2.5, 9.0)
    assert cell.load.rate == 40.0
    assert (cell.cpu_ms, cell.statements, cell.other_statements) == (1.75, 1.0, 2.5)
