"""Unexpected failures never reach clients as they are: no SQL, no internals, a code to act on."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import httpx
import pytest
from sqlalchemy.exc import OperationalError

from schema.access import ReadAccess
from schema.errors import failure_code

MASKED = "Internal server error: the failure was logged."


def _raising(exc: BaseException) -> object:
    def on_execute(self: ReadAccess) -> Iterator[None]:
        raise exc
        yield  # a generator, as strawberry's hooks are

    return on_execute


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (RuntimeError("SELECT key_hash FROM api_key"), None),
        (ConnectionRefusedError("connect to 127.0.0.1:5432"), "UNAVAILABLE"),
        (asyncpg.CannotConnectNowError("the database system is shutting down"), "UNAVAILABLE"),
    ],
    ids=["internal", "refused", "shutting-down"],
)
async def test_a_failure_in_an_extension_hook_is_masked(
    http: httpx.AsyncClient,
    monkeypatch: pytest.MonkeyPatch,
    exc: BaseException,
    code: str | None,
) -> None:
    # given: a hook that fails outside any resolver
    monkeypatch.setattr(ReadAccess, "on_execute", _raising(exc))
    # when
    response = await http.post("/graphql", json={"query": "{ claims { totalCount } }"})
    # then
    [error] = response.json()["errors"]
    assert error["message"] == MASKED
    assert (error.get("extensions") or {}).get("code") == code
    assert str(exc) not in response.text


def test_failure_codes_look_through_the_wrappers() -> None:
    # given: SQLAlchemy's wrapper around asyncpg's error, as the engine raises it
    driver = asyncpg.AdminShutdownError("terminating connection due to administrator command")
    wrapped = OperationalError("SELECT 1", {}, driver)
    # then
    assert failure_code(wrapped) == "UNAVAILABLE"
    assert failure_code(asyncpg.QueryCanceledError("canceling statement")) == "TIMEOUT"
    assert failure_code(ValueError("x")) is None
    assert failure_code(None) is None
