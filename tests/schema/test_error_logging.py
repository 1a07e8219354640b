"""What the server's log says about a failed request: a client's mistake is one quiet
line, a fault of ours is an ERROR with its traceback.

Operators page on ERROR; a stranger sending `first: 500` must not be able to fill the
log with tracebacks (issue 12, item 10).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from schema.access import ReadAccess
from tests.support.app import TEST_SETTINGS, serving

SYNTAX_ERROR = "{ claims(first: 1) { totalCount }"
UNKNOWN_FIELD = "{ claims { noSuchField } }"
TOO_LARGE_A_PAGE = "{ claims(first: 500) { totalCount } }"
TOO_COSTLY = """
{ claims(first: 100) { edges { node {
    attributions(first: 100) { edges { node {
      source { attributions(first: 100) { edges { node { id } } } }
} } } } } } }"""
BAD_ID = '{ node(id: "Claim:0") { id } }'
PAGE_SIZE_VARIABLE = "query($n: Int) { claims(first: $n) { totalCount } }"
CLAIMS = "{ claims { totalCount } }"


def _request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the request logged, leaving out httpx's own line about the request."""
    return [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (SYNTAX_ERROR, "GRAPHQL_PARSE_FAILED"),
        (UNKNOWN_FIELD, "GRAPHQL_VALIDATION_FAILED"),
        (TOO_LARGE_A_PAGE, "INVALID"),
        (TOO_COSTLY, "QUERY_TOO_COSTLY"),
        (BAD_ID, "INVALID"),
    ],
    ids=["syntax", "unknown-field", "first-500", "cost", "bad-id"],
)
async def test_a_clients_mistake_is_one_line_without_a_traceback(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, query: str, code: str
) -> None:
    # given
    caplog.set_level(logging.DEBUG)
    # when
    response = await http.post("/graphql", json={"query": query})
    # then
    assert response.json()["errors"]
    records = _request_records(caplog)
    assert len(records) == 1, [r.getMessage() for r in records]
    [record] = records
    assert record.levelno <= logging.INFO
    assert record.exc_info is None and record.stack_info is None
    assert "\n" not in record.getMessage()
    assert code in record.getMessage()


async def test_the_line_carries_no_variable_values(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given: a key pasted into the wrong variable, which graphql-core quotes back
    caplog.set_level(logging.DEBUG)
    secret = "cg_live_very-secret-value"
    # when
    response = await http.post(
        "/graphql", json={"query": PAGE_SIZE_VARIABLE, "variables": {"n": secret}}
    )
    # then
    assert response.json()["errors"]
    assert secret not in caplog.text


async def test_a_refused_read_without_a_key_is_quiet(
    db: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    # given: anonymous reads are off
    caplog.set_level(logging.DEBUG)
    closed = TEST_SETTINGS.model_copy(update={"anonymous_read": False})
    async with serving(db, closed) as anonymous:
        # when
        response = await anonymous.post("/graphql", json={"query": CLAIMS})
    # then
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert all(r.levelno <= logging.INFO for r in _request_records(caplog))
    assert all(r.exc_info is None for r in _request_records(caplog))


def _failing_hook(self: ReadAccess) -> Iterator[None]:
    raise RuntimeError("the access table is on fire")
    yield  # a generator, as strawberry's hooks are


async def test_a_fault_of_ours_is_an_error_with_its_traceback(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a hook that fails as a bug would
    monkeypatch.setattr(ReadAccess, "on_execute", _failing_hook)
    caplog.set_level(logging.DEBUG)
    # when
    response = await http.post("/graphql", json={"query": CLAIMS})
    # then: masked for the client, told in full to the operator
    assert "on fire" not in response.text
    errors = [r for r in _request_records(caplog) if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in _request_records(caplog)]
    assert errors[0].exc_info is not None
    assert "on fire" in caplog.text


@pytest.mark.parametrize(
    "body", [b"{", b'{"query": 1}', b"\xff\xfe"], ids=["truncated", "not-a-string", "not-utf8"]
)
async def test_a_body_that_is_not_a_request_is_quiet(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture, body: bytes
) -> None:
    # given
    caplog.set_level(logging.DEBUG)
    # when
    response = await http.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    # then
    assert response.status_code == 400
    assert all(r.levelno <= logging.INFO for r in _request_records(caplog))
    assert all(r.exc_info is None for r in _request_records(caplog))
