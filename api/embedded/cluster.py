"""EmbeddedPostgres: a private PostgreSQL cluster that claimgraph initialises, starts and stops.

The cluster listens on 127.0.0.1 only, on a port remembered between runs, with `trust`
authentication (acceptable because nothing outside this machine can reach it).
"""

from __future__ import annotations

import logging
import os
import pathlib
import re
from types import TracebackType
from urllib.parse import quote

from api.embedded.accounts import Account, check, cluster_account, run
from api.embedded.binaries import choose_bin_dir, usable_bin_dir
from api.embedded.datadir import (
    LOG_FILE,
    PORT_FILE,
    log_tail,
    prepare_data_dir,
    write_owned,
    write_settings,
)
from api.embedded.network import HOST, free_port, port_is_free

# One logger for the whole package, so log lines keep the name they had as one module.
logger = logging.getLogger("api.embedded")

DATABASE_NAME = "claimgraph"
_DB_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class EmbeddedPostgres:
    """A private PostgreSQL cluster living in `data_dir`, started and stopped by claimgraph.

    `start()` is synchronous on purpose: the CLI calls it before the event loop (uvicorn)
    starts. The server outlives this object (pg_ctl detaches it), so a later `start()`, even
    from another process, finds and reuses it; `stop()` or leaving the `with` block ends it.
    """

    def __init__(
        self,
        data_dir: pathlib.Path,
        *,
        port: int | None = None,
        bin_dir: pathlib.Path | None = None,
    ) -> None:
        """`port` None means: the remembered port if free, else any free one.

        `bin_dir` (or $CLAIMGRAPH_PG_BIN) forces which PostgreSQL binaries to use.
        """
        self.data_dir = data_dir.expanduser().absolute()
        self._requested_port = port
        env_bin = os.environ.get("CLAIMGRAPH_PG_BIN")
        self._explicit_bin = bin_dir or (pathlib.Path(env_bin) if env_bin else None)
        self._account: Account | None = None
        self._bin_dir: pathlib.Path | None = None

    @property
    def account_name(self) -> str:
        """OS account owning the cluster; also its superuser name (initdb -U)."""
        return self._get_account().name

    @property
    def bin_dir(self) -> pathlib.Path:
        """The PostgreSQL bin directory in use, resolved on first use."""
        if self._bin_dir is None:
            chosen = choose_bin_dir(self._explicit_bin, self._cluster_major())
            account = self._get_account()
            self._bin_dir = usable_bin_dir(chosen, account, self.data_dir.parent)
            logger.debug("Using PostgreSQL binaries from %s", self._bin_dir)
        return self._bin_dir

    @property
    def log_path(self) -> pathlib.Path:
        return self.data_dir / LOG_FILE

    def start(self) -> str:
        """Initialise the cluster if needed, start it unless running, ensure the database.

        Returns the URL of the "claimgraph" database.
        """
        if self.is_running():
            port = self._running_port()
            if self._requested_port not in (None, port):
                logger.warning(
                    "Embedded PostgreSQL already runs on port %d, not %d",
                    port,
                    self._requested_port,
                )
            logger.info("Reusing embedded PostgreSQL in %s on port %d", self.data_dir, port)
        else:
            self._init_cluster()
            port = self._launch()
        return self.ensure_database(DATABASE_NAME)

    def stop(self) -> None:
        """Fast shutdown (open sessions are cut, no data lost); a no-op when not running."""
        if not self.is_running():
            logger.debug("Embedded PostgreSQL in %s is not running", self.data_dir)
            return
        args: list[str | pathlib.Path] = [
            "stop",
            "-D",
            self.data_dir,
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "-s",
        ]
        result = run([self.bin_dir / "pg_ctl", *args], self._get_account())
        if result.returncode != 0 and self.is_running():
            check(result, "pg_ctl stop")
        logger.info("Stopped embedded PostgreSQL in %s", self.data_dir)

    def is_running(self) -> bool:
        """Whether a server runs from this data dir (per pg_ctl status, i.e. postmaster.pid)."""
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        args: list[str | pathlib.Path] = [self.bin_dir / "pg_ctl", "status", "-D", self.data_dir]
        return run(args, self._get_account(), timeout=30).returncode == 0

    def url(self, database: str = DATABASE_NAME) -> str:
        """URL of `database` on the running server (no password: loopback trust auth)."""
        user = quote(self.account_name, safe="")
        return f"postgresql://{user}@{HOST}:{self._running_port()}/{database}"

    def ensure_database(self, name: str = DATABASE_NAME) -> str:
        """Create database `name` unless it exists, with createdb; return its URL.

        Uses the bundled client tools rather than a driver, so no dependency and no event loop.
        """
        if not _DB_NAME_RE.match(name):
            raise ValueError(f"Unsupported database name {name!r}")
        if not self._database_exists(name):
            result = run([self.bin_dir / "createdb", *self._conn_args(), name], self._get_account())
            if result.returncode != 0 and not self._database_exists(name):
                check(result, f"createdb {name}")
            logger.info("Created database %s in embedded PostgreSQL", name)
        return self.url(name)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmbeddedPostgres({str(self.data_dir)!r})"

    # -- internals ---------------------------------------------------------------------------

    def _get_account(self) -> Account:
        if self._account is None:
            self._account = cluster_account(self.data_dir)
        return self._account

    def _cluster_major(self) -> int | None:
        try:
            text = (self.data_dir / "PG_VERSION").read_text().strip()
        except FileNotFoundError:
            return None
        return int(text.split(".")[0])

    def _running_port(self) -> int:
        """The port recorded by the running server (line 4 of postmaster.pid)."""
        try:
            lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
            return int(lines[3])
        except (OSError, IndexError, ValueError):
            raise RuntimeError(f"Embedded PostgreSQL in {self.data_dir} is not running") from None

    def _conn_args(self) -> list[str]:
        return ["-h", HOST, "-p", str(self._running_port()), "-U", self.account_name]

    def _database_exists(self, name: str) -> bool:
        query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"
        args = ["-X", "-A", "-t", "-q", *self._conn_args(), "-d", "postgres", "-c", query]
        out = check(run([self.bin_dir / "psql", *args], self._get_account()), "psql")
        return out.strip() == "1"

    def _init_cluster(self) -> None:
        """Run initdb unless the data dir already holds a cluster."""
        if (self.data_dir / "PG_VERSION").exists():
            return
        account = self._get_account()
        prepare_data_dir(self.data_dir, account)  # first: checks that `account` can reach it
        bin_dir = self.bin_dir  # a pgserver copy for `account` goes next to the data dir
        logger.info("Creating embedded PostgreSQL cluster in %s", self.data_dir)
        args: list[str | pathlib.Path] = [
            "-D",
            self.data_dir,
            "-U",
            account.name,
            "-E",
            "UTF8",
            "--locale=C",
            "--auth=trust",
        ]
        check(run([bin_dir / "initdb", *args], account, timeout=600), "initdb")

    def _launch(self) -> int:
        """pg_ctl start; a port grabbed by someone else meanwhile gets up to two retries."""
        attempts = 1 if self._requested_port is not None else 3
        for _ in range(attempts):
            port = self._pick_port()
            write_settings(self.data_dir, port, self._get_account())
            args: list[str | pathlib.Path] = [
                "start",
                "-D",
                self.data_dir,
                "-l",
                self.log_path,
                "-w",
                "-t",
                "60",
                "-s",
            ]
            result = run([self.bin_dir / "pg_ctl", *args], self._get_account())
            if result.returncode == 0 or self.is_running():  # or a concurrent start won
                port = self._running_port()
                write_owned(self.data_dir / PORT_FILE, f"{port}\n", self._get_account())
                logger.info("Embedded PostgreSQL in %s listens on %s:%d", self.data_dir, HOST, port)
                return port
            if self._requested_port is not None or port_is_free(port):
                break
            logger.warning("Port %d was taken while starting; retrying on another", port)
        raise RuntimeError(
            f"Embedded PostgreSQL in {self.data_dir} failed to start: "
            f"{(result.stderr or result.stdout).strip()}\n"
            f"--- last lines of {self.log_path} ---\n{log_tail(self.log_path)}"
        )

    def _pick_port(self) -> int:
        """Requested port, else the remembered one if still free, else a fresh free one."""
        if self._requested_port is not None:
            return self._requested_port
        try:
            remembered = int((self.data_dir / PORT_FILE).read_text().strip())
        except (OSError, ValueError):
            remembered = None
        if remembered is not None and port_is_free(remembered):
            return remembered
        return free_port()
