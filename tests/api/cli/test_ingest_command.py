"""`claimgraph ingest FILE`: a readable table, and nothing written on a dry run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

SEED = Path(__file__).parents[3] / "api/demo/kim-putin-vostochny.de.txt"


def _ingest(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "CLAIMGRAPH_LOG_LEVEL": "WARNING"}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "ingest", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def _documents(db: AsyncEngine) -> int:
    async with db.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM document")) or 0)


async def test_dry_run_prints_the_table_and_writes_nothing(
    db: AsyncEngine, database_url: str
) -> None:
    # when
    result = _ingest(database_url, str(SEED), "--dry-run")
    # then
    assert result.returncode == 0, result.stderr
    assert "dry run: nothing written" in result.stdout
    assert "Kyodo" in result.stdout and "voraussichtlich" in result.stdout
    assert "AT_MOST 11,000,000 shells" in result.stdout
    assert await _documents(db) == 0


async def test_ingest_stores_once_and_refuses_a_missing_file(
    db: AsyncEngine, database_url: str
) -> None:
    first = _ingest(database_url, str(SEED), "--url", "https://example.org/seed")
    again = _ingest(database_url, str(SEED), "--url", "https://example.org/seed")
    missing = _ingest(database_url, "/nonexistent/article.txt")
    assert first.returncode == 0, first.stderr
    assert "stored as suggestions for review" in first.stdout
    assert "already stored" in again.stdout
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    assert await _documents(db) == 1
