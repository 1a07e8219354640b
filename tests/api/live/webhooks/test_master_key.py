"""The master key: the setting, or one key file that every process of a machine shares."""

from __future__ import annotations

import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pydantic import SecretStr

from api.live.webhooks import master_key as module
from api.live.webhooks.master_key import key_check, key_file, master_key, webhook_secret
from api.settings import Settings


def _settings(data_dir: Path, key: str | None = None) -> Settings:
    return Settings(
        database_url="postgresql://unused/unused",
        data_dir=str(data_dir),
        webhook_key=None if key is None else SecretStr(key),
    )


def _fresh_key(data_dir: str) -> bytes:
    module._read_keys.clear()
    return master_key(_settings(Path(data_dir)))


def test_the_setting_is_the_master_key(tmp_path: Path) -> None:
    assert master_key(_settings(tmp_path / "pgdata", "k" * 20)) == b"k" * 20
    assert not (tmp_path / "webhook-key").exists()


def test_unset_a_key_file_is_made_beside_the_data_dir_readable_only_by_its_owner(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path / "pgdata")
    key = _fresh_key(str(tmp_path / "pgdata"))
    path = key_file(settings)
    assert path == tmp_path / "webhook-key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 32 and _fresh_key(str(tmp_path / "pgdata")) == key


def test_processes_racing_to_make_the_key_file_all_get_the_same_key(tmp_path: Path) -> None:
    data_dir = str(tmp_path / "pgdata")
    with ProcessPoolExecutor(4) as pool:
        keys = set(pool.map(_fresh_key, [data_dir] * 8))
    assert len(keys) == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "webhook-key"]  # no temporary left


def test_a_secret_is_derived_from_the_master_key_the_id_and_the_salt() -> None:
    master = b"m" * 32
    secret = webhook_secret(master, 7, "salt" * 4)
    assert secret == webhook_secret(master, 7, "salt" * 4)
    assert secret != webhook_secret(master, 8, "salt" * 4)
    assert secret != webhook_secret(master, 7, "pepper" * 3)
    assert secret != webhook_secret(b"n" * 32, 7, "salt" * 4)
    assert len(key_check(master)) == 8 and key_check(master) != key_check(b"n" * 32)
