"""A wrong DATABASE_URL: every command says what failed in a line, no traceback.

Each case runs the real command in a subprocess, as a user would, against a port where
nothing listens, a database that does not exist on the test server, or a URL that is
not one; the in-process tests pin down how the causes are found inside the wrappers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from api.cli.database_failures import database_failure
from tests.support.database import SERVER_URL
from tests.support.servers import free_port

ARTICLE = "Officials said on Tuesday that the bridge would reopen in May.\n"


def _refused() -> tuple[str, str]:
    port = free_port()
    return f"postgresql://postgres@127.0.0.1:{port}/claimgraph", f"127.0.0.1:{port}: connection"


def _missing() -> tuple[str, str]:
    name = f"claimgraph_missing_{uuid.uuid4().hex[:8]}"
    url = make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    return url, f'database "{name}" does not exist'


def _malformed() -> tuple[str, str]:
    return "postgresql://claimgraph:s3cret@db:notaport/claimgraph", "DATABASE_URL is malformed"


@pytest.mark.parametrize(
    ("command", "where"),
    [
        (["migrate"], _refused),
        (["keys", "list"], _refused),
        (["serve", "--no-migrate", "--port", "0"], _refused),
        (["serve", "--workers", "2", "--port", "0"], _refused),
        (["import", "{file}"], _refused),
        (["ingest", "{file}", "--dry-run"], _refused),
        (["load-demo"], _missing),
        (["keys", "create", "--role", "editor", "--name", "x"], _missing),
        (["export"], _missing),
        (["serve", "--port", "0"], _missing),
        (["keys", "revoke", "x"], _malformed),
    ],
    ids=lambda value: "-".join(value[:2]) if isinstance(value, list) else value.__name__[1:],
)
def test_a_wrong_database_url_is_one_line_on_stderr(
    tmp_path: Path, command: list[str], where: object
) -> None:
    # given
    assert callable(where)
    url, reason = where()
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": url}
    argv = [part.format(file=article) for part in command]
    # when
    done = subprocess.run(
        [sys.executable, "-m", "api.cli", *argv],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=90,
    )
    # then
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) <= 2, done.stderr
    assert lines[-1].startswith("claimgraph: ") and reason in lines[-1], done.stderr
    assert "s3cret" not in done.stderr


def test_the_cause_is_found_inside_sqlalchemys_wrapper() -> None:
    # given: what the engine raises for a wrong password
    driver = asyncpg.InvalidPasswordError('password authentication failed for user "cg"')
    wrapped = DBAPIError("connect", {}, driver)
    # when
    reason = database_failure(wrapped, "postgresql://cg:wrong@db.internal:6432/cg")
    # then
    assert reason == (
        'cannot connect to db.internal:6432: password authentication failed for user "cg"'
    )


def test_the_cause_is_found_inside_an_exception_group() -> None:
    # given: a refusal inside a task group, behind SQLAlchemy's wrapper
    refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5999)")
    group = ExceptionGroup("unhandled errors in a TaskGroup", [OperationalError("x", {}, refused)])
    # when
    reason = database_failure(group, "postgresql://cg@127.0.0.1:5999/cg")
    # then
    assert reason == "cannot connect to 127.0.0.1:5999: connection refused"


def test_an_unknown_host_is_named() -> None:
    unresolved = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    reason = database_failure(unresolved, "postgresql://cg@db.invalid/cg")
    assert reason == "cannot resolve the database host db.invalid: Name or service not known"


def test_a_bug_met_while_handling_a_refusal_keeps_its_traceback() -> None:
    # given: a KeyError raised in an except block for a refused connection
    try:
        try:
            raise ConnectionRefusedError(111, "refused")
        except ConnectionRefusedError:
            raise KeyError("missing")  # noqa: B904 (the implicit context is the point)
    except KeyError as bug:
        # then: it is not described as the database's failure
        assert database_failure(bug, "postgresql://cg@127.0.0.1/cg") is None
