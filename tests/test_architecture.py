"""The house plan's import rules hold (STYLE.md, issue 13).

The rules are import-linter contracts in pyproject.toml ([tool.importlinter]); these
tests run `lint-imports` on each and fail on a broken one, so the next change that
crosses a line fails here rather than in review.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import ColumnElement, Table, TableClause

import api
from api.models import Base

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}
# The faces of api/: the composition root, the HTTP face and the command line face.
FACES = {"app", "__main__", "web", "cli"}
AGGREGATOR = "models"


def lint_imports(contract_id: str) -> subprocess.CompletedProcess[str]:
    """`lint-imports` from this interpreter's environment, on one contract."""
    command = Path(sys.executable).parent / "lint-imports"
    return subprocess.run(
        [str(command), "--no-cache", "--contract", contract_id],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("contract_id", sorted(CONTRACTS))
def test_the_import_contract_is_kept(contract_id: str) -> None:
    # given one contract of pyproject.toml
    # when lint-imports checks it
    result = lint_imports(contract_id)
    # then it is kept
    assert result.returncode == 0, f"{CONTRACTS[contract_id]['name']}:\n{result.stdout}"


def api_children() -> set[str]:
    """Every module and package directly under api/, by dotted name."""
    return {f"api.{info.name}" for info in pkgutil.iter_modules(api.__path__)}


def test_every_domain_module_of_api_is_under_contract() -> None:
    # given the modules of api/ that are neither a face nor the models aggregator
    domain = api_children() - {f"api.{name}" for name in (*FACES, AGGREGATOR)}
    # when the contracts about the domain name their source modules
    # then each names exactly those: a new package cannot slip past the rules
    for contract_id in ("domain-without-faces", "domain-without-aggregator"):
        named = set(CONTRACTS[contract_id]["source_modules"]) - {"schema"}
        assert named == domain, contract_id
    # and the GraphQL layer, too, imports each model from its own domain
    assert "schema" in CONTRACTS["domain-without-aggregator"]["source_modules"]


def named_tables() -> list[tuple[str, TableClause]]:
    """Tables a domain module names by table name instead of importing the model (so that
    its package need not import a package above it): (module.attribute, table)."""
    found: list[tuple[str, TableClause]] = []
    for info in pkgutil.walk_packages(api.__path__, "api."):
        if info.name.split(".")[1] in FACES:
            continue
        module = importlib.import_module(info.name)
        for attribute, value in vars(module).items():
            if isinstance(value, TableClause) and not isinstance(value, Table):
                found.append((f"{info.name}.{attribute}", value))
    return found


def declared_type(column: ColumnElement[Any]) -> str:
    """The column's type as declared, arguments too: `TIMESTAMP(timezone=True)`."""
    return repr(column.type)


def test_tables_named_by_string_match_their_models() -> None:
    # given every table a domain module names without importing its model
    named = named_tables()
    assert {name for name, _ in named} >= {
        "api.claims.provenance_tables.attribution",
        "api.claims.provenance_tables.chain",
        "api.provenance.service.document_table",
        "api.revisions.repository.claim",
    }
    for name, table in named:
        # when it is compared with the model's table
        assert table.name in Base.metadata.tables, f"{name}: no table {table.name}"
        model = Base.metadata.tables[table.name]
        # then each of its columns is one of the model's, with the model's type
        for column in table.c:
            assert column.name in model.c, f"{name}: no column {column.name}"
            assert declared_type(column) == declared_type(model.c[column.name]), name
