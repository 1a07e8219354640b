"""`claimgraph export` and `claimgraph import`, as a shell user runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from tests.api.interchange.data import counts, empty, load_story
from tests.api.interchange.jsonld import FIXTURES


def claimgraph(database_url: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMGRAPH_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=env, capture_output=True, timeout=120
    )


async def test_export_then_import_into_an_empty_database(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    # given
    await load_story(db)
    before = await counts(db)
    exported = claimgraph(database_url, "export")
    assert exported.returncode == 0, exported.stderr
    dump = tmp_path / "dump.jsonl"
    dump.write_bytes(exported.stdout)
    await empty(db)
    # when
    imported = claimgraph(database_url, "import", str(dump))
    again = claimgraph(database_url, "export", "--output", str(tmp_path / "again.jsonl"))
    # then
    assert imported.returncode == 0, imported.stderr
    assert b"0 skipped" in imported.stdout
    assert b"\r" not in imported.stderr  # no progress bar when stderr is not a terminal
    assert again.returncode == 0
    assert (tmp_path / "again.jsonl").read_bytes() == exported.stdout
    assert (await counts(db))[:5] == before[:5]


async def test_a_bad_line_is_named_and_strict_writes_nothing(
    db: AsyncEngine, database_url: str, tmp_path: Path
) -> None:
    # given
    dump = tmp_path / "bad.jsonl"
    dump.write_text('{"type": "Header", "format": "claimgraph-jsonl", "version": 1}\n{oops\n')
    # when
    lenient = claimgraph(database_url, "import", str(dump))
    strict = claimgraph(database_url, "import", "--strict", str(dump))
    # then
    assert lenient.returncode == 1
    assert b"skipped line 2: not JSON" in lenient.stderr
    assert strict.returncode == 1
    assert b"line 2" in strict.stderr and b"nothing was imported" in strict.stderr


async def test_a_claimreview_feed_is_imported(db: AsyncEngine, database_url: str) -> None:
    # when
    done = claimgraph(
        database_url, "import", "--format", "claimreview",
        str(FIXTURES / "claimreview-markup.jsonld"),
    )  # fmt: skip
    # then
    assert done.returncode == 1  # the fourth review has no claim
    assert b"skipped item 3" in done.stderr
    assert b"4 reviews read" in done.stdout
    assert (await counts(db))[3] > 0
