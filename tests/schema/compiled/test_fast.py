"""The fast path (schema/compiled/fast.py): a read compiled before is answered from its
statement, in front of strawberry, with the same answer and the same refusals.

A fast answer sends its statement on the bare statement pool, not through the engine:
the engine's statement counter stays at zero while the answer is the full path's.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from schema.ids import encode_id
from tests.schema.compiled.test_differential import COMPILED, RESOLVED, exact
from tests.schema.compiled.test_sql_count import Q1, Q2
from tests.schema.test_sql_count import seed
from tests.support.app import new_key, serving
from tests.support.sql import StatementCounter

PAGES = """
query Pages($n: Int!, $m: Int!) {
  claims(first: $n) { edges { node { id attributions(first: $m) { edges { node { id } } } } } }
}"""


def q1(claim: int) -> dict[str, Any]:
    return {"query": Q1, "variables": {"id": encode_id("Claim", claim)}}


async def test_a_repeated_read_is_answered_from_its_statement(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given: the first request went the full way and compiled the query
    await seed(db, 1, 10)
    async with serving(db, COMPILED) as http:
        first = await http.post("/graphql", json=q1(7))
        sql_counter.statements.clear()

        # when
        again = await http.post("/graphql", json=q1(7))

    # then
    assert sql_counter.count == 0
    assert again.status_code == 200
    assert exact(again.text) == exact(first.text)
    assert again.headers["content-type"] == "application/json"
    assert again.headers["vary"] == "Accept"


async def test_other_variables_of_a_known_document_need_no_full_path(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given: the document was compiled for claim 7
    await seed(db, 1, 10)
    async with serving(db, RESOLVED) as http:
        expected = await http.post("/graphql", json=q1(8))
    async with serving(db, COMPILED) as http:
        await http.post("/graphql", json=q1(7))
        sql_counter.statements.clear()

        # when: claim 8
        response = await http.post("/graphql", json=q1(8))

    # then
    assert sql_counter.count == 0
    assert exact(response.text) == exact(expected.text)
    assert response.json()["data"]["node"]["id"] == encode_id("Claim", 8)


async def test_the_answer_has_the_media_type_the_client_asked_for(db: AsyncEngine) -> None:
    # given
    await seed(db, 1, 3)
    accept = {"accept": "application/graphql-response+json"}
    async with serving(db, COMPILED) as http:
        first = await http.post("/graphql", json={"query": Q2}, headers=accept)

        # when
        again = await http.post("/graphql", json={"query": Q2}, headers=accept)

    # then
    media = "application/graphql-response+json; charset=utf-8"
    assert first.headers["content-type"] == again.headers["content-type"] == media
    assert exact(again.text) == exact(first.text)


async def test_a_caller_the_policy_refuses_is_refused_after_a_reader_compiled_the_read(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given: reads need a key; a reader's request compiled Q2
    await seed(db, 1, 3)
    closed = COMPILED.model_copy(update={"anonymous_read": False})
    reader = await new_key(db, Role.READER, "reader")
    async with serving(db, closed) as http:
        warm = await http.post(
            "/graphql", json={"query": Q2}, headers={"authorization": f"Bearer {reader}"}
        )
        sql_counter.statements.clear()

        # when: the same request without a key
        anonymous = await http.post(
            "/graphql", json={"query": Q2}, headers={"accept": "application/graphql-response+json"}
        )

    # then
    assert "errors" not in warm.json()
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "data" not in anonymous.json()
    assert sql_counter.statements == []


async def test_variables_over_the_cost_budget_are_refused_after_the_document_compiled(
    db: AsyncEngine,
) -> None:
    # given: a budget of 200 objects; the document compiled with small pages
    await seed(db, 1, 3)
    tight = COMPILED.model_copy(update={"max_query_cost": 200})
    async with serving(db, tight) as http:
        small = await http.post("/graphql", json={"query": PAGES, "variables": {"n": 2, "m": 2}})

        # when: 50 claims with 50 attributions each
        large = await http.post("/graphql", json={"query": PAGES, "variables": {"n": 50, "m": 50}})

    # then
    assert "errors" not in small.json()
    assert large.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


async def test_float_variables_are_costed_as_ints_after_the_document_compiled(
    db: AsyncEngine,
) -> None:
    # given: a budget of 500 objects; the document compiled with small pages
    await seed(db, 1, 3)
    tight = COMPILED.model_copy(update={"max_query_cost": 500})
    async with serving(db, tight) as http:
        small = await http.post("/graphql", json={"query": PAGES, "variables": {"n": 2, "m": 2}})

        # when: 50.0 claims with 50.0 attributions each, coerced to 50 (as 20 each: 441)
        large = await http.post(
            "/graphql", json={"query": PAGES, "variables": {"n": 50.0, "m": 50.0}}
        )

    # then: 1 + 50 x (1 + 1 + 50)
    assert "errors" not in small.json()
    assert large.json()["errors"][0]["extensions"] == {
        "code": "QUERY_TOO_COSTLY",
        "cost": 2601,
        "budget": 500,
    }


NULLABLE_PAGE = "query Page($n: Int) { claims(first: $n) { totalCount edges { node { id } } } }"


async def test_a_non_finite_number_is_refused_even_after_null_was_answered(
    db: AsyncEngine,
) -> None:
    # given: orjson writes NaN, Infinity and 1e999 as null; null was answered, twice
    await seed(db, 1, 3)
    null_body = json.dumps({"query": NULLABLE_PAGE, "variables": {"n": None}})
    bodies = [
        null_body.replace('"n": null', f'"n": {n}').encode()
        for n in ("NaN", "Infinity", "-Infinity", "1e999")
    ]
    json_post = {"content-type": "application/json"}
    async with serving(db, COMPILED) as http:
        null = [
            await http.post("/graphql", json={"query": NULLABLE_PAGE, "variables": {"n": None}})
            for _ in range(2)
        ]

        # when
        refused = [await http.post("/graphql", content=b, headers=json_post) for b in bodies]
    async with serving(db, RESOLVED) as http:
        full_path = [await http.post("/graphql", content=b, headers=json_post) for b in bodies]

    # then: not JSON, a 400 on both paths, no answer from any cache
    assert null[0].json() == null[1].json() and "errors" not in null[0].json()
    assert [r.status_code for r in refused + full_path] == [400] * 8
    assert [r.text for r in refused] == [r.text for r in full_path]
    assert "NaN, which is not a JSON number" in refused[0].text
    assert "beyond the range of a double" in refused[3].text


async def test_variables_of_the_wrong_type_get_the_full_paths_error(db: AsyncEngine) -> None:
    # given: the document compiled for a valid id
    await seed(db, 1, 3)
    wrong = {"query": Q1, "variables": {"id": {"not": "an id"}}}
    async with serving(db, RESOLVED) as http:
        expected = await http.post("/graphql", json=wrong)
    async with serving(db, COMPILED) as http:
        await http.post("/graphql", json=q1(2))

        # when
        response = await http.post("/graphql", json=wrong)

    # then
    assert response.status_code == expected.status_code
    assert response.json() == expected.json()
    assert response.json()["errors"]


async def test_an_idempotency_key_request_reads_in_its_own_transaction(
    db: AsyncEngine, sql_counter: StatementCounter
) -> None:
    # given
    await seed(db, 1, 3)
    async with serving(db, COMPILED) as http:
        first = await http.post("/graphql", json={"query": Q2})
        sql_counter.statements.clear()

        # when
        keyed = await http.post(
            "/graphql", json={"query": Q2}, headers={"Idempotency-Key": "read-1"}
        )

    # then: it ran on the gate's connection, through the engine
    assert sql_counter.count > 0
    assert keyed.json() == first.json()


async def test_a_connection_the_server_ended_does_not_fail_the_next_read(
    db: AsyncEngine, database_url: str
) -> None:
    # given: the statement pool holds a connection, which the server then ends
    await seed(db, 1, 3)
    async with serving(db, COMPILED) as http:
        first = await http.post("/graphql", json={"query": Q2})
        await http.post("/graphql", json={"query": Q2})
        await _terminate(database_url, "claimgraph-statements")

        # when
        again = await http.post("/graphql", json={"query": Q2})

    # then
    assert again.status_code == 200
    assert exact(again.text) == exact(first.text)


async def test_a_statement_that_times_out_is_reported_once_as_timeout(
    db: AsyncEngine, sql_counter: StatementCounter, database_url: str
) -> None:
    # given: Q2 compiled; then another session locks the claims away
    await seed(db, 1, 3)
    quick = COMPILED.model_copy(update={"statement_timeout_ms": 300})
    locker = await asyncpg.connect(database_url)
    try:
        async with serving(db, quick) as http:
            await http.post("/graphql", json={"query": Q2})
            transaction = locker.transaction()
            await transaction.start()
            await locker.execute("LOCK TABLE claim IN ACCESS EXCLUSIVE MODE")
            sql_counter.statements.clear()

            # when
            response = await http.post("/graphql", json={"query": Q2})
            await transaction.rollback()
    finally:
        await locker.close()

    # then: masked, with its code; the full path did not run the statement again
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "TIMEOUT"}
    assert sql_counter.statements == []


async def _terminate(database_url: str, application_name: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        ended = await connection.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = $1 AND datname = current_database()",
            application_name,
        )
    finally:
        await connection.close()
    assert ended >= 1
    await asyncio.sleep(0.05)  # let the ended sessions' sockets close
