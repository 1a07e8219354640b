"""Fragment fan-out against a real `claimgraph serve`: one anonymous 1.5 KB document
must not hold the server (issue 12).

`fragment F{i} { ...F{i-1} ...F{i-1} }` down 24 levels spreads F0 2^24 times. A walk
that expands each spread (the cost, the depth and the alias counts once did) works for
minutes, and the process answers nobody meanwhile. Here the fan-out is answered or
refused at once, and a client sending a plain query meanwhile is answered too. (Which
limit refuses it is the business of tests/schema/limits/test_document_walks.py: its cost is
2^24 pages; it also repeats one response name 2^24 times in one selection set.)
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.load_mix import Server, running_server
from tests.schema.limits.test_document_walks import FAN_OUT_ON_CLAIM, FAN_OUT_ON_QUERY, fan_out
from tests.schema.test_sql_count import seed

FAN_OUT_OF_FIELDS = "query { claims(first: 3) { edges { node { ...F24 } } } }\n" + fan_out(
    "Claim", "id statement"
)
# Generous against a loaded test machine; the fan-out used to take minutes.
PROMPT_SECONDS = 2.0
LIMIT_CODES = {"QUERY_TOO_COSTLY", "TOO_MANY_REPEATED_FIELDS"}


@pytest.fixture(scope="module")
def server(engine: AsyncEngine, database_url: str) -> Iterator[Server]:
    """One server for the module, on the migrated test database."""
    with running_server(database_url) as started:
        yield started


async def timed(http: httpx.AsyncClient, query: str) -> tuple[float, dict[str, Any]]:
    """Seconds to the answer, and the answer; a client gives up after 10 s."""
    started = time.monotonic()
    try:
        response = await http.post("/graphql", json={"query": query}, timeout=10)
    except httpx.TimeoutException:
        return float("inf"), {}
    return time.monotonic() - started, response.json()


async def fan_out_and_meanwhile(server: Server, query: str) -> tuple[float, dict[str, Any], float]:
    """The fan-out's time and answer, and the longest a plain query sent meanwhile took."""
    async with (
        httpx.AsyncClient(base_url=server.base_url) as attacker,
        httpx.AsyncClient(base_url=server.base_url) as other,
    ):
        fan = asyncio.create_task(timed(attacker, query))
        plain = []
        for _ in range(3):
            await asyncio.sleep(0.02)
            plain.append((await timed(other, "{ __typename }"))[0])
        seconds, body = await fan
    return seconds, body, max(plain)


async def test_a_fan_out_on_query_is_refused_at_once_and_others_are_answered(
    server: Server,
) -> None:
    # when
    seconds, body, meanwhile = await fan_out_and_meanwhile(server, FAN_OUT_ON_QUERY)
    # then
    assert seconds < PROMPT_SECONDS and meanwhile < PROMPT_SECONDS
    assert refused(body)


async def test_a_fan_out_on_an_object_type_is_refused_at_once(server: Server) -> None:
    seconds, body, meanwhile = await fan_out_and_meanwhile(server, FAN_OUT_ON_CLAIM)
    assert seconds < PROMPT_SECONDS and meanwhile < PROMPT_SECONDS
    assert refused(body)


async def test_a_fan_out_of_plain_fields_is_answered_at_once_twice(
    db: AsyncEngine, server: Server
) -> None:
    # given: claims to answer with; the second request takes the fast path
    await seed(db, 1, 3)
    # when
    first, answer, meanwhile = await fan_out_and_meanwhile(server, FAN_OUT_OF_FIELDS)
    again, repeated, _ = await fan_out_and_meanwhile(server, FAN_OUT_OF_FIELDS)
    # then: refused, or F0's fields once per claim, as field collection merges them
    assert max(first, again, meanwhile) < PROMPT_SECONDS
    assert answer == repeated
    if not refused(answer):
        nodes = [edge["node"] for edge in answer["data"]["claims"]["edges"]]
        assert len(nodes) == 3 and all(set(node) == {"id", "statement"} for node in nodes)


def refused(body: dict[str, Any]) -> bool:
    """Refused by an abuse limit, before any resolver ran."""
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    return body.get("data") is None and bool(codes) and codes <= LIMIT_CODES
