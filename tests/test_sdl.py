"""The committed SDL is the served schema, and it keeps the public contract."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from schema import SDL_PATH, sdl

CONTRACT_DIR = Path(__file__).resolve().parents[2] / "shared" / "contract"


def test_committed_sdl_is_the_served_schema() -> None:
    # Regenerate with: python -m schema.export
    assert SDL_PATH.read_text(encoding="utf-8") == sdl()


@pytest.mark.parametrize("contract", ["core.graphql", "compare.graphql", "ingest.graphql"])
def test_contract_is_kept(contract: str) -> None:
    checker = CONTRACT_DIR / "check.py"
    if not checker.exists():
        pytest.skip("the shared contract is not beside this clone")
    result = subprocess.run(
        [sys.executable, str(checker), str(SDL_PATH), str(CONTRACT_DIR / contract)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
