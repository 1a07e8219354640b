"""No secret is ever written to the database: a new key's secret is shown once and kept nowhere.

`createApiKey` under an Idempotency-Key would store its answer, key included, to replay
it; such a request is refused before it runs (api/web/secret_answers.py).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.roles import Role
from api.web import secret_answers
from tests.support.app import new_key, serving

CREATE_KEY = """
mutation($name: String!, $cmid: String) {
  createApiKey(input: {name: $name, role: EDITOR, clientMutationId: $cmid}) {
    apiKey { name } key errors { code }
  }
}"""

CREATE_SOURCE = """
mutation {
  createSource(input: {name: "KCNA", kind: NEWS_AGENCY}) { source { id } errors { code } }
}"""

KEY_FIELDS = 'createApiKey(input: {name: "x", role: READER}) { key }'
SOURCE_FIELDS = 'createSource(input: {name: "KCNA", kind: NEWS_AGENCY}) { source { id } }'
TWO_OPERATIONS = f"query Read {{ apiKeys {{ name }} }} mutation Make {{ {KEY_FIELDS} }}"

# Each may run createApiKey, however it is spelled.
REFUSED = {
    "plain": {"query": f"mutation {{ {KEY_FIELDS} }}"},
    "aliased, after a write": {"query": f"mutation {{ s: {SOURCE_FIELDS} k: {KEY_FIELDS} }}"},
    "in a fragment of a fragment": {
        "query": "mutation { ...Outer } fragment Outer on Mutation { ...Inner }"
        f" fragment Inner on Mutation {{ {KEY_FIELDS} }}"
    },
    "in an inline fragment": {
        "query": f"mutation {{ {SOURCE_FIELDS} ... @include(if: true) {{ {KEY_FIELDS} }} }}"
    },
    "the operation named": {"query": TWO_OPERATIONS, "operationName": "Make"},
    # Walked naively, 2**24 visits; each fragment is entered once.
    "under a fragment fan-out": {
        "query": "mutation { ...F24 }"
        f" fragment F0 on Mutation {{ {KEY_FIELDS} }}"
        + "".join(f" fragment F{i} on Mutation {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 25))
    },
    "in a batch": [{"query": "{ apiKeys { name } }"}, {"query": f"mutation {{ {KEY_FIELDS} }}"}],
}


def _keys_cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMGRAPH_LOG_LEVEL": "DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "keys", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _dump(database_url: str) -> str:
    """Every row of every table, as `pg_dump --data-only` writes them."""
    url = make_url(database_url).set(drivername="postgresql")
    dumped = subprocess.run(
        ["pg_dump", "--data-only", "--dbname", url.render_as_string(hide_password=False)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dumped.stdout


def _readable_forms(secret: str) -> list[str]:
    """The secret as it might be kept readably: itself, its random part, its bytes
    in hex or base64, its text in hex (as bytea would show it)."""
    token = secret.removeprefix("cg_")
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    return [
        secret,
        token,
        raw.hex(),
        base64.b64encode(raw).decode().rstrip("="),
        secret.encode().hex(),
    ]


def _issued(response: httpx.Response) -> str | None:
    """The key a createApiKey answer shows, if any."""
    data = response.json().get("data") or {}
    key: str | None = (data.get("createApiKey") or {}).get("key")
    return key


async def _count(db: AsyncEngine, table: str) -> int:
    async with db.connect() as connection:
        return int(await connection.scalar(text(f"SELECT count(*) FROM {table}")))


async def _post(
    http: httpx.AsyncClient, body: Any, idempotency_key: str | None = None
) -> httpx.Response:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    return await http.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize("body", REFUSED.values(), ids=REFUSED.keys())
async def test_create_api_key_under_an_idempotency_key_is_refused_before_it_runs(
    db: AsyncEngine, body: Any
) -> None:
    # given
    admin = await new_key(db, Role.ADMIN, "chief")
    # when
    async with serving(db, key=admin) as http:
        response = await _post(http, body, "once-1")
    # then: a clear refusal, and nothing written, not even the write before it
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "IDEMPOTENCY_KEY_NOT_ALLOWED"
    assert "createApiKey" in error["message"] and "secret" in error["message"]
    assert await _count(db, "api_key") == 1
    assert await _count(db, "source") == 0
    assert await _count(db, "idempotency_key") == 0


async def test_another_operation_of_the_same_document_runs_under_an_idempotency_key(
    db: AsyncEngine,
) -> None:
    # given
    admin = await new_key(db, Role.ADMIN, "chief")
    # when: the document also holds a createApiKey mutation, but the query is the one run
    async with serving(db, key=admin) as http:
        body = {"query": TWO_OPERATIONS, "operationName": "Read"}
        response = await _post(http, body, "read-1")
    # then
    assert response.json() == {"data": {"apiKeys": [{"name": "chief"}]}}


async def test_a_write_that_only_names_create_api_key_runs_under_an_idempotency_key(
    db: AsyncEngine,
) -> None:
    # given
    admin = await new_key(db, Role.ADMIN, "chief")
    named = (
        'mutation { createSource(input: {name: "createApiKey", kind: PERSON}) { source { name } } }'
    )
    # when
    async with serving(db, key=admin) as http:
        response = await _post(http, {"query": named}, "named-1")
    # then
    assert response.json() == {"data": {"createSource": {"source": {"name": "createApiKey"}}}}
    assert await _count(db, "idempotency_key") == 1


async def test_a_create_api_key_the_walk_misses_is_still_refused_and_writes_nothing(
    db: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a request shape the gate's walk over the document would not see
    monkeypatch.setattr(secret_answers, "secret_fields", lambda request, max_tokens: [])
    admin = await new_key(db, Role.ADMIN, "chief")
    # when
    async with serving(db, key=admin) as http:
        body = {"query": f"mutation {{ s: {SOURCE_FIELDS} k: {KEY_FIELDS} }}"}
        response = await _post(http, body, "once-2")
    # then: the mutation itself refuses, and the gate undoes the request whole
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "IDEMPOTENCY_KEY_NOT_ALLOWED"
    assert "cg_" not in response.text
    assert await _count(db, "api_key") == 1
    assert await _count(db, "source") == 0
    assert await _count(db, "idempotency_key") == 0


async def test_no_secret_ever_issued_is_in_the_database(
    db: AsyncEngine, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # given: keys issued every way there is
    caplog.set_level(logging.DEBUG)
    cli = _keys_cli(database_url, "create", "--role", "admin", "--name", "cli-admin")
    admin = cli.stdout.splitlines()[-1]
    async with serving(db, key=admin) as http:
        plain = await _post(http, {"query": CREATE_KEY, "variables": {"name": "plain"}})
        with_id = {"query": CREATE_KEY, "variables": {"name": "with-id", "cmid": "c-1"}}
        first = await _post(http, with_id)
        retried = await _post(http, with_id)
        under_header = [
            await _post(http, with_id, "i-1"),
            await _post(http, {"query": CREATE_KEY, "variables": {"name": "header"}}, "i-2"),
        ]
    answers = [plain, first, retried, *under_header]
    secrets = [admin, *(key for answer in answers if (key := _issued(answer)))]
    # when: each key is used, for writes under an Idempotency-Key too
    for n, secret in enumerate(secrets):
        async with serving(db, key=secret) as http:
            used = await _post(http, {"query": CREATE_SOURCE}, f"use-{n}")
            assert used.json()["data"]["createSource"]["errors"] == [], used.text
    dump = _dump(database_url)
    # then: only each key's hash is stored, and no log holds a key
    assert cli.returncode == 0 and all(s.startswith("cg_") for s in secrets)
    for secret in secrets:
        assert hashlib.sha256(secret.encode()).hexdigest() in dump
        for form in _readable_forms(secret):
            assert form not in dump, f"a secret is stored: {form[:12]}…"
            assert form not in caplog.text and form not in cli.stderr
    # and: the Idempotency-Key was refused; a retried clientMutationId shows no key
    assert [r.status_code for r in under_header] == [400, 400]
    assert len(secrets) == 3 and _issued(retried) is None
    assert await _count(db, "api_key") == 3 and await _count(db, "idempotency_key") >= 4
