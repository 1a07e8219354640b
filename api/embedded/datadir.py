"""The embedded cluster's data directory: where it lives, creating it, the files we write there."""

from __future__ import annotations

import os
import pathlib

from api.embedded.accounts import RUNTIME_ERROR_HINT, Account, blocking_ancestor, make_dirs
from api.embedded.network import HOST, prepare_socket_dir, socket_dir_for

LOG_FILE = "postgres.log"
PORT_FILE = "claimgraph.port"
CONF_FILE = "claimgraph.conf"
_INCLUDE_LINE = f"include_if_exists = '{CONF_FILE}'"


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


def prepare_data_dir(data_dir: pathlib.Path, account: Account) -> None:
    """Create an empty data dir owned by the account; refuse a non-empty non-cluster."""
    blocked = blocking_ancestor(data_dir, account) if account.is_other else None
    if blocked is not None:
        raise RuntimeError(
            f"User {account.name!r} cannot traverse {blocked} to reach {data_dir}. "
            "Choose another directory with CLAIMGRAPH_DATA_DIR. " + RUNTIME_ERROR_HINT
        )
    make_dirs(data_dir.parent, account)
    try:
        data_dir.mkdir(mode=0o700)
    except FileExistsError:
        if any(data_dir.iterdir()):
            raise RuntimeError(
                f"{data_dir} is not empty but holds no PostgreSQL cluster"
                " (no PG_VERSION); empty it or choose another data directory."
            ) from None
    if account.is_other:
        os.chown(data_dir, account.uid, account.gid)


def write_settings(data_dir: pathlib.Path, port: int, account: Account) -> None:
    """Write claimgraph.conf (listen address, port, socket dir) and include it once.

    A config file rather than `pg_ctl -o`, so a manual `pg_ctl start -D` behaves the same.
    """
    sock_dir = socket_dir_for(data_dir)
    if sock_dir != data_dir:
        prepare_socket_dir(sock_dir, account)
    write_owned(
        data_dir / CONF_FILE,
        "# Written by claimgraph before each start of the embedded server; edits are lost.\n"
        f"listen_addresses = '{HOST}'\nport = {port}\n"
        f"unix_socket_directories = {conf_quote(str(sock_dir))}\n",
        account,
    )
    main_conf = data_dir / "postgresql.conf"
    if _INCLUDE_LINE not in main_conf.read_text():
        with main_conf.open("a") as handle:
            handle.write(f"\n# Added by claimgraph\n{_INCLUDE_LINE}\n")


def write_owned(path: pathlib.Path, text: str, account: Account) -> None:
    """Write a file in the data dir, owned by the cluster's account like the rest of it."""
    path.write_text(text)
    if account.is_other:
        os.chown(path, account.uid, account.gid)


def log_tail(path: pathlib.Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log at {path}: {exc})"
    return "\n".join(text.splitlines()[-lines:])


def conf_quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
