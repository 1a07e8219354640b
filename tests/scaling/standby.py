"""A real primary and hot standby on loopback, throwaway, for the replica tests.

initdb a primary (wal_level=replica), pg_basebackup -R a standby from it on another port,
both in a scratch directory under /tmp, as user postgres when run as root. Never the
server on 127.0.0.1:5432.
"""

from __future__ import annotations

import asyncio
import pwd
import shutil
import subprocess
import time
from pathlib import Path

import asyncpg

from api.embedded import candidate_bin_dirs
from tests.support.clusters import IS_ROOT, scratch_dir
from tests.support.servers import free_port


def _run(*argv: str | Path) -> None:
    command = [str(a) for a in argv]
    if IS_ROOT:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed: {done.stdout}\n{done.stderr}")


def available() -> bool:
    if not candidate_bin_dirs():
        return False
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return not IS_ROOT
    return True


class PrimaryAndStandby:
    """`start()` both servers; `stop_standby()`/`start_standby()`; `close()` removes all."""

    def __init__(self) -> None:
        self.bin = candidate_bin_dirs()[0]
        self.base = scratch_dir("cg-replica-")
        self.primary_dir = self.base / "primary"
        self.standby_dir = self.base / "standby"
        self.primary_port = free_port()
        self.standby_port = free_port()

    def url(self, port: int, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{port}/{database}"

    def start(self) -> None:
        _run(self.bin / "initdb", "-D", self.primary_dir, "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-sync")
        settings = {
            "port": self.primary_port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.base}'",
            "wal_level": "replica",
            "max_wal_senders": 5,
            "hot_standby": "on",
            "fsync": "off",
            "max_connections": 60,
        }
        with (self.primary_dir / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        self._ctl(self.primary_dir, "start")
        _run(self.bin / "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port),
             "-U", "postgres", "-D", self.standby_dir, "-R", "-X", "stream",
             "--checkpoint=fast", "--no-sync")
        with (self.standby_dir / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {self.standby_port}\n")
        self.start_standby()

    def _ctl(self, data_dir: Path, action: str) -> None:
        _run(self.bin / "pg_ctl", "-D", data_dir, "-l", data_dir.with_suffix(".log"), "-w",
             "-m", "fast", action)

    def start_standby(self) -> None:
        self._ctl(self.standby_dir, "start")

    def stop_standby(self) -> None:
        self._ctl(self.standby_dir, "stop")

    def close(self) -> None:
        for data_dir in (self.standby_dir, self.primary_dir):
            if (data_dir / "postmaster.pid").exists():
                self._ctl(data_dir, "stop")
        shutil.rmtree(self.base, ignore_errors=True)


async def create_database(pair: PrimaryAndStandby, name: str) -> None:
    """A database on the primary, waited for until the standby has it too."""
    primary = await asyncpg.connect(pair.url(pair.primary_port))
    try:
        await primary.execute(f'CREATE DATABASE "{name}"')
    finally:
        await primary.close()
    deadline = time.monotonic() + 30
    while True:
        try:
            standby = await asyncpg.connect(pair.url(pair.standby_port, name))
            await standby.close()
            return
        except asyncpg.InvalidCatalogNameError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)
