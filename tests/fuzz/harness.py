"""What every fuzzed request is held to, and the app it is sent to.

The properties: no 5xx; no internals in any body (tracebacks, SQL, driver and ORM names,
file paths); no unexpected (masked) failure; a well-formed GraphQL response whenever the
status is 200; and a rejected request writes nothing, checked by fingerprinting every
data table before and after it.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import HealthCheck, settings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

# Examples per property test; the default keeps the module within a CI budget.
EXAMPLES = int(os.environ.get("CLAIMGRAPH_FUZZ_EXAMPLES", "300"))
SEED = os.environ.get("CLAIMGRAPH_FUZZ_SEED")

# How many inputs each property test actually sent (requests, and operations in them).
TRIED: Counter[str] = Counter()

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # Reproducible in CI; CLAIMGRAPH_FUZZ_SEED explores elsewhere (tests/fuzz/conftest.py).
    derandomize=SEED is None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one app and data set per test, on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

MASKED = "Internal server error"
# None of these may reach a client. The hostile strings sent are chosen not to contain
# them, so an echo of the input (a stored name, an error quoting a bad value) is no leak.
LEAKS = re.compile(
    r"Traceback|File \"|line \d+, in |site-packages|/work/|/usr/lib|\.py\b"
    r"|asyncpg|sqlalchemy|sqlalche\.me|psycopg|strawberry\.|graphql\.error|starlette"
    r"|\[SQL: |\[parameters: |\$\d+::|\bSELECT \w+\.\w+|\bINSERT INTO \w+ \(|RETURNING \w+\.?"
    r"|Violation(Error)?\b|IntegrityError|DataError|ProgrammingError|DBAPIError"
    r"|InterfaceError|OperationalError|StatementError|MissingGreenlet|RecursionError"
    r"|KeyError|TypeError|AttributeError|ValueError|OverflowError|UnicodeEncodeError"
    r"|at 0x[0-9a-f]+>"
)
WRITE_TABLES_SQL = """
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
  AND table_name NOT IN ('alembic_version', 'api_key')
ORDER BY table_name
"""


@dataclass
class Fuzz:
    """The app under fuzzing, as an editor reaches it, and its database."""

    http: httpx.AsyncClient
    engine: AsyncEngine
    tables: list[str]

    async def fingerprint(self, *, idempotency: bool = True) -> dict[str, str]:
        """Per data table: rows, and a digest of all their contents (api_key aside: its
        last-use time moves with every request). Without `idempotency`, leaves out the
        stored answers to requests that carried an Idempotency-Key: a refused request's
        answer is stored, and replayed, like any other."""
        tables = [t for t in self.tables if idempotency or t != "idempotency_key"]
        parts = ", ".join(
            f"(SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, ',' ORDER BY t::text),"
            f" '')) FROM \"{name}\" t) AS \"{name}\""
            for name in tables
        )
        async with self.engine.connect() as connection:
            row = (await connection.execute(text(f"SELECT {parts}"))).mappings().one()
        return dict(row)


def check_response(response: httpx.Response, *, graphql_response: bool = False) -> Any:
    """Properties 1, 2 and 4 for any answer; returns the decoded JSON body, if any."""
    assert response.status_code < 500, (response.status_code, response.text[:2_000])
    body_text = response.text
    leak = LEAKS.search(body_text)
    assert leak is None, (leak.group(0), body_text[:2_000])
    assert MASKED not in body_text, body_text[:2_000]
    media = response.headers.get("content-type", "")
    if response.status_code != 200 and "json" not in media:
        return None
    body = json.loads(body_text)
    if response.status_code == 200 or "graphql-response+json" in media:
        well_formed(body, status=response.status_code)
    return body


def well_formed(body: Any, status: int) -> None:
    """A GraphQL response: `data` and/or `errors`, errors with messages, locations, paths."""
    if isinstance(body, list):  # a batch answers with one response per operation
        for item in body:
            well_formed(item, status)
        return
    assert isinstance(body, dict), body
    assert set(body) <= {"data", "errors", "extensions"}, body
    assert "data" in body or "errors" in body, body
    assert body.get("data") is None or isinstance(body["data"], dict), body
    if status != 200:
        assert "data" not in body and body.get("errors"), body
    if "errors" in body:
        errors = body["errors"]
        assert isinstance(errors, list) and errors, body
        for error in errors:
            assert isinstance(error, dict) and isinstance(error.get("message"), str), error
            assert error["message"], error
            for location in error.get("locations") or []:
                assert isinstance(location["line"], int) and location["line"] >= 1, error
                assert isinstance(location["column"], int) and location["column"] >= 1, error
            path = error.get("path")
            assert path is None or all(isinstance(p, (str, int)) for p in path), error


def rejected(body: Any, fields: list[str]) -> bool | None:
    """True when every root field of a mutation was refused (so nothing may have been
    written), False when one went through, None when the response cannot tell.

    A root field is refused when it answers non-empty `errors`, or when it raised itself
    (an error whose path is just its key). An error deeper down (a nested field of the
    payload) comes after the mutation ran, and may null the payload or all of `data`.
    """
    if not isinstance(body, dict):
        return True
    errors = body.get("errors") or []
    paths = [e.get("path") for e in errors if isinstance(e, dict)]
    if any(path is not None and len(path) > 1 for path in paths):
        return None
    raised = {path[0] for path in paths if path}
    data = body.get("data")
    if data is None:
        # Refused before execution (no paths), or every root field raised.
        return all(p is None for p in paths) or raised >= set(fields) or None
    verdicts = []
    for key in fields:
        if key not in data:  # @include(if: false)
            return None
        payload = data[key]
        if payload is None:
            if key not in raised:
                return None
            verdicts.append(True)
        elif isinstance(payload.get("errors"), list):
            verdicts.append(bool(payload["errors"]))
        else:
            return None  # its errors were not selected
    return all(verdicts)
