"""The committed SDL is the served schema, and it keeps the public contract."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from schema import SDL_PATH, sdl

CONTRACT_DIR = Path(__file__).resolve().parents[3] / "shared" / "contract"


def on_ci(environ: Mapping[str, str]) -> bool:
    """CI=true (as GitHub Actions, GitLab and most runners set it) marks a CI run."""
    return environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def contract_checker(contract_dir: Path, environ: Mapping[str, str]) -> Path:
    """The contract's check.py. Missing, it skips the test in a plain clone and fails it
    on CI, where a skipped contract check would let the public API drift unseen."""
    checker = contract_dir / "check.py"
    if not checker.exists():
        if on_ci(environ):
            pytest.fail(f"CI=true but the shared contract is missing: no {checker}")
        pytest.skip("the shared contract is not beside this clone")
    return checker


def test_committed_sdl_is_the_served_schema() -> None:
    # Regenerate with: python -m schema.export
    assert SDL_PATH.read_text(encoding="utf-8") == sdl()


@pytest.mark.parametrize("contract", ["core.graphql", "compare.graphql", "ingest.graphql"])
def test_contract_is_kept(contract: str) -> None:
    checker = contract_checker(CONTRACT_DIR, os.environ)
    result = subprocess.run(
        [sys.executable, str(checker), str(SDL_PATH), str(CONTRACT_DIR / contract)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("value", ["true", "TRUE", " 1 "])
def test_on_ci_a_missing_contract_fails_the_contract_tests(tmp_path: Path, value: str) -> None:
    # given no contract beside the clone, on CI
    missing = tmp_path / "contract"
    # when the contract tests look for it, then they fail rather than skip
    with pytest.raises(pytest.fail.Exception, match="CI=true but the shared contract is missing"):
        contract_checker(missing, {"CI": value})


@pytest.mark.parametrize("environ", [{}, {"CI": "false"}, {"CI": ""}])
def test_in_a_plain_clone_a_missing_contract_skips_them(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    with pytest.raises(pytest.skip.Exception, match="not beside this clone"):
        contract_checker(tmp_path / "contract", environ)


def test_a_contract_beside_the_clone_is_checked_on_ci_and_off(tmp_path: Path) -> None:
    # given a contract folder with its checker
    (tmp_path / "check.py").write_text("", encoding="utf-8")
    # then its checker is run, whatever CI says
    assert contract_checker(tmp_path, {"CI": "true"}) == tmp_path / "check.py"
    assert contract_checker(tmp_path, {}) == tmp_path / "check.py"
