"""The OS account that owns the embedded cluster, and running PostgreSQL tools as it.

initdb and postgres refuse to run as root, so as root every server command runs as the
`postgres` system user (or the owner of an existing cluster), and only the directories this
package creates are handed to that user.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import pwd
import stat
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

RUNTIME_ERROR_HINT = (
    "Set DATABASE_URL to use an existing PostgreSQL server, or run claimgraph as a normal user."
)


@dataclass(frozen=True)
class Account:
    """The OS account that owns the cluster and runs every server command."""

    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]
    home: str

    @classmethod
    def from_pwd(cls, entry: pwd.struct_passwd) -> Account:
        groups = tuple(os.getgrouplist(entry.pw_name, entry.pw_gid))
        return cls(entry.pw_name, entry.pw_uid, entry.pw_gid, groups, entry.pw_dir)

    @property
    def is_other(self) -> bool:
        """True when commands must switch to this account (we are root, it is not)."""
        return self.uid != os.geteuid()


def cluster_account(data_dir: pathlib.Path) -> Account:
    """Pick the account to run PostgreSQL as; root is never allowed by initdb/postgres."""
    if os.geteuid() != 0:
        try:
            return Account.from_pwd(pwd.getpwuid(os.geteuid()))
        except KeyError:
            raise RuntimeError(
                f"uid {os.geteuid()} has no passwd entry, which initdb requires. "
                + RUNTIME_ERROR_HINT
            ) from None
    with contextlib.suppress(OSError, KeyError):
        if (data_dir / "PG_VERSION").exists() and data_dir.stat().st_uid != 0:
            return Account.from_pwd(pwd.getpwuid(data_dir.stat().st_uid))
    try:
        return Account.from_pwd(pwd.getpwnam("postgres"))
    except KeyError:
        raise RuntimeError(
            "Running as root, but PostgreSQL refuses to run as root and there is no "
            "'postgres' system user to run the embedded server as. " + RUNTIME_ERROR_HINT
        ) from None


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def _child_env(account: Account) -> dict[str, str]:
    """Environment without PG* variables, so only our explicit options steer the tools."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    if account.is_other:
        env.update(HOME=account.home, USER=account.name, LOGNAME=account.name)
    return env


def run(argv: Sequence[str | pathlib.Path], account: Account, timeout: float = 120) -> Result:
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
        return Result(proc.returncode, out.read(), err.read())


def check(result: Result, what: str) -> str:
    """Return stdout, or raise with the tool's own words when it failed."""
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise RuntimeError(f"{what} failed (exit {result.returncode}): {detail}")
    return result.stdout


def make_dirs(path: pathlib.Path, account: Account) -> None:
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


def blocking_ancestor(path: pathlib.Path, account: Account) -> pathlib.Path | None:
    """The first existing ancestor of `path` that `account` cannot traverse (by mode bits).

    Ancestors still missing will be created as 0755 by `make_dirs`, so they are fine.
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
