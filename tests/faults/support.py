"""What the fault tests share: they need PostgreSQL binaries for throwaway clusters."""

from __future__ import annotations

import os
import pwd

import pytest

from api.embedded import candidate_bin_dirs


def _cluster_unavailable() -> str | None:
    if not candidate_bin_dirs():
        return "no PostgreSQL binaries (initdb, pg_ctl) to start a throwaway cluster with"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a 'postgres' user to run a throwaway cluster as"
    return None


needs_cluster = pytest.mark.skipif(
    _cluster_unavailable() is not None, reason=_cluster_unavailable() or ""
)
