"""Where the embedded server listens: its TCP port on 127.0.0.1 and its unix socket directory."""

from __future__ import annotations

import hashlib
import os
import pathlib
import socket
import stat

from api.embedded.accounts import Account

HOST = "127.0.0.1"
_SOCKET_PATH_MAX = 107  # sizeof(sockaddr_un.sun_path) - 1 on Linux
_SOCKET_SUFFIX_MAX = len("/.s.PGSQL.65535")


def socket_dir_for(data_dir: pathlib.Path) -> pathlib.Path:
    """Unix socket directory: the data dir, or a short /tmp path if its socket path is too long.

    A unix socket path cannot exceed 107 bytes; deep data directories would break the server.
    """
    if len(os.fsencode(data_dir)) + _SOCKET_SUFFIX_MAX <= _SOCKET_PATH_MAX:
        return data_dir
    digest = hashlib.sha256(os.fsencode(data_dir)).hexdigest()[:16]
    return pathlib.Path("/tmp") / f"claimgraph-pg-{digest}"


def prepare_socket_dir(path: pathlib.Path, account: Account) -> None:
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


def port_is_free(port: int) -> bool:
    """Whether postgres could listen on HOST:port (it sets SO_REUSEADDR, so we do too)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port
