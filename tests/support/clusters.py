"""Throwaway PostgreSQL clusters (embedded, fault and replica tests) need the server's
binaries and, when the suite runs as root, a `postgres` user to run them as."""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from pathlib import Path

import pytest

from api.embedded import candidate_bin_dirs

IS_ROOT = os.geteuid() == 0


def has_postgres_user() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True


def _cluster_unavailable() -> str | None:
    if not candidate_bin_dirs():
        return "no PostgreSQL binaries (initdb, pg_ctl) to start a throwaway cluster with"
    if IS_ROOT and not has_postgres_user():
        return "running as root without a 'postgres' user to run a throwaway cluster as"
    return None


needs_cluster = pytest.mark.skipif(
    _cluster_unavailable() is not None, reason=_cluster_unavailable() or ""
)


def scratch_dir(prefix: str) -> Path:
    """A new directory under /tmp for a cluster's files; as root, chowned so the `postgres`
    user can reach into it (pytest's tmp_path sits under /tmp/pytest-of-root, mode 700,
    which `postgres` can't enter). Its name is random: parallel workers never share one."""
    base = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    if IS_ROOT and has_postgres_user():
        shutil.chown(base, user="postgres")
    return base
