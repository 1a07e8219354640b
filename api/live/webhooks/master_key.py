"""The master key webhook secrets are derived from, and the derivation.

A webhook's secret is urlsafe-base64(HMAC-SHA256(master key, "webhook:<id>:<salt>")):
the database holds the id and the salt, never the secret, and gives nothing back
without the master key, which lives outside it.

The master key is CLAIMGRAPH_WEBHOOK_KEY. Unset, it is a random key kept in the file
`webhook-key` (mode 0600) in the directory that holds the data directory: beside the
embedded cluster's `pgdata` ($XDG_DATA_HOME/claimgraph/webhook-key by default, or
beside CLAIMGRAPH_DATA_DIR). The first process to need it writes it whole to a
temporary file and links that into place, which fails if another process won the
race; the loser reads the winner's key, so every worker of one machine agrees. Servers
on several machines must share CLAIMGRAPH_WEBHOOK_KEY: `key_check` on each webhook
names the key it was made under, and a server with another key never signs for it.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from api.embedded.datadir import default_data_dir
from api.settings import Settings

FILE_NAME = "webhook-key"
_CHECK_LABEL = b"claimgraph webhook master key check"


def key_file(settings: Settings) -> Path:
    data_dir = Path(settings.data_dir) if settings.data_dir else default_data_dir()
    return data_dir.parent / FILE_NAME


def master_key(settings: Settings) -> bytes:
    """The configured master key, else the one in the key file (made on first use)."""
    if settings.webhook_key is not None:
        return settings.webhook_key.get_secret_value().encode()
    path = key_file(settings)
    if path not in _read_keys:
        _read_keys[path] = _read_or_create(path)
    return _read_keys[path]


# A key file's key, once read: it never changes while it exists.
_read_keys: dict[Path, bytes] = {}


def _read_or_create(path: Path) -> bytes:
    with contextlib.suppress(FileNotFoundError):
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # another process was first: use its key
            os.link(temporary, path)
    finally:
        temporary.unlink()
    return _read(path)


def _read(path: Path) -> bytes:
    key = path.read_text().strip().encode()
    if len(key) < 16:
        raise RuntimeError(f"{path} holds no webhook master key; delete it to make a new one")
    return key


def key_check(master: bytes) -> bytes:
    """Names a master key without revealing it: 8 bytes of an HMAC of a fixed label."""
    return hmac.digest(master, _CHECK_LABEL, hashlib.sha256)[:8]


def webhook_secret(master: bytes, webhook_id: int, salt: str) -> str:
    digest = hmac.digest(master, f"webhook:{webhook_id}:{salt}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_salt() -> str:
    return secrets.token_hex(16)
